#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/LivePool.h"
#include "core/thin/ThinMetadata.h"

#include <csignal>
#include <mutex>
#include <ostream>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace dms::cli {
namespace {

// One lease at a time is guarded. Signals that end the program are taken by a thread (sigwait)
// rather than a handler, so the release runs as ordinary code: it sends the message, then exits
// with 128+signal.
std::mutex gGuardMutex;
MetadataSnapshotLease* gGuarded = nullptr;

sigset_t terminatingSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    return set;
}

// Blocks the terminating signals in this (and every later) thread and starts the thread that
// takes them. Call before reserving: a signal that arrives during the reservation then waits for
// gGuardMutex, which the reserving code holds until the lease is guarded.
void startSignalGuard() {
    static std::once_flag started;
    std::call_once(started, [] {
        sigset_t set = terminatingSignals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        std::thread([set] {
            int sig = 0;
            sigwait(&set, &sig);
            std::lock_guard<std::mutex> lock(gGuardMutex);
            if (gGuarded && gGuarded->reservedHere()) {
                const bool released = gGuarded->release().ok();
                const std::string note = "dmscope-cli: signal " + std::to_string(sig) + ": " +
                                         (released ? "released" : "could not release") +
                                         " the metadata snapshot of " + gGuarded->pool() + "\n";
                [[maybe_unused]] auto n = ::write(2, note.data(), note.size());
            }
            _exit(128 + sig);
        }).detach();
    });
}

} // namespace

LiveRead::~LiveRead() {
    metadata.reset();
    if (lease) {
        // Released while still guarded: a signal now waits for the mutex, then finds nothing.
        std::lock_guard<std::mutex> lock(gGuardMutex);
        lease->release();
        if (gGuarded == lease.get()) gGuarded = nullptr;
    }
    lease.reset();
}

std::optional<ThinPoolInfo> activePoolOf(const std::string& path) {
    if (!blockDeviceNumber(path)) return std::nullopt; // images: no device-mapper query at all
    auto dm = makeSystemDeviceMapper();
    auto pool = activePoolForMetadata(*dm, path);
    if (!pool) return std::nullopt;
    return *pool;
}

Error explainBusy(const std::string& path, Error e) {
    if (e.kind != ErrorKind::Busy) return e;
    if (auto pool = activePoolOf(path)) e.message = "cannot open " + busyPoolMessage(path, *pool);
    return e;
}

Expected<std::shared_ptr<const BlockSource>> LiveRead::openSource(const std::string& path) const {
    auto src =
        helper
            ? helper->openSource(path, pool ? DeviceAccess::ReadOnlyDirect : DeviceAccess::ReadOnly)
            : FileBlockSource::open(path, pool ? OpenMode::ReadOnlyDirect : OpenMode::ReadOnly);
    if (!src) return src.takeError();
    return std::shared_ptr<const BlockSource>(std::move(*src));
}

Expected<std::unique_ptr<LiveRead>> openThinLive(const std::string& path, bool metadataSnap,
                                                 CliIo& io, const char* command, bool viaHelper) {
    auto live = prepareLiveRead(path, metadataSnap, io, command, viaHelper);
    if (!live) return live;
    auto src = (*live)->openSource(path);
    if (!src) return src.takeError();
    auto md = ThinMetadata::open(std::move(*src));
    if (!md) return md.takeError();
    (*live)->metadata = std::move(*md);
    return live;
}

Expected<std::unique_ptr<LiveRead>> prepareLiveRead(const std::string& path, bool metadataSnap,
                                                    CliIo& io, const char* command,
                                                    bool viaHelper) {
    auto live = std::make_unique<LiveRead>();
    HelperClient*& helper = live->helper;
    const bool device = blockDeviceNumber(path).has_value();
    if (device && viaHelper) {
        auto h = HelperClient::start();
        if (!h) return h.takeError();
        helper = h->get();
        live->dm = std::move(*h);
    } else if (device) {
        live->dm = makeSystemDeviceMapper();
    }
    if (live->dm) {
        auto pool = activePoolForMetadata(*live->dm, path);
        if (pool)
            live->pool = *pool;
        else if (helper && pool.error().kind == ErrorKind::Permission)
            return pool.takeError(); // authentication refused: nothing will open either
    }
    if (live->pool && metadataSnap) {
        startSignalGuard();
        {
            std::lock_guard<std::mutex> lock(gGuardMutex);
            auto lease = MetadataSnapshotLease::acquire(*live->dm, *live->pool, SnapshotRecords());
            if (!lease) return lease.takeError();
            live->lease = std::move(*lease);
            gGuarded = live->lease.get();
        }
        if (!live->lease->reservedHere()) {
            io.err << "dmscope-cli " << command << ": note: pool " << live->pool->name
                   << " already holds a metadata snapshot (root " << live->lease->heldRoot()
                   << "); reading it, leaving it held";
            const auto rec = SnapshotRecords().find(live->pool->name);
            if (rec && !rec->ownerAlive)
                io.err << " (left by dmscope pid " << rec->pid
                       << ", which died: 'dmscope-cli release-snap " << live->pool->name
                       << "' releases it)";
            io.err << '\n';
        }
    } else if (live->pool) {
        io.err << "dmscope-cli " << command << ": warning: " << path
               << " is the metadata of the active pool " << live->pool->name
               << "; the kernel may change it while it is read (use --metadata-snap for a "
                  "consistent view)\n";
    }
    return live;
}

} // namespace dms::cli
