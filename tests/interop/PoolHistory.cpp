#include "tests/interop/PoolHistory.h"

#include <algorithm>

namespace dms::test {

namespace {
// Mapping times are 24-bit fields.
constexpr std::uint32_t kMaxMappingTime = (1u << 24) - 1;
// Keep a quarter of the data device free so allocation never has to search long.
constexpr std::uint64_t kDataFillPercent = 75;
} // namespace

PoolHistory::PoolHistory(PoolRandom& rng, GeneratedPool& pool, const HistoryLimits& limits)
    : rng_(rng), pool_(pool), limits_(limits), refs_(pool.nrDataBlocks, 0) {
    // Most pools start at time 0 like a new pool; some have lived long.
    const auto r = rng_.below(100);
    time_ = r < 80   ? 0
            : r < 95 ? std::uint32_t(rng_.between(1, 5000))
                     : std::uint32_t(kMaxMappingTime - rng_.between(300, 2000));
    transaction_ = rng_.chance(85) ? rng_.below(20) : rng_.logBetween(20, 1ull << 62);
    idStyle_ = int(rng_.below(10)); // 0-4 sequential, 5-8 random 24-bit, 9 random 32-bit
    nextSequentialId_ = rng_.below(3);
    allocCursor_ = pool_.nrDataBlocks ? rng_.below(pool_.nrDataBlocks) : 0;
}

void PoolHistory::run() {
    if (limits_.maxDevices > 0) createThin();
    // One deep device: a bottom-level tree of three levels needs some 32k entries.
    for (unsigned guard = 0;
         !devices_.empty() && devices_[0].mapped < limits_.firstDeviceBlocks && guard < 100000;
         ++guard)
        write(0, 8);
    while (devices_.size() < limits_.initialDevices)
        write(createThin(), 1 + unsigned(rng_.below(3)));
    bool stormDone = !limits_.snapshotStorm;
    unsigned idle = 0; // operations that could not add anything
    for (unsigned op = 0; op < 100000 && idle < 200; ++op) {
        if (totalMapped_ >= limits_.targetMapped) break;
        const std::uint64_t before = totalMapped_;
        const auto r = rng_.below(100);
        if (devices_.empty()) {
            if (limits_.maxDevices == 0) break;
            createThin();
        } else if (!stormDone && totalMapped_ > limits_.targetMapped / 3) {
            // A small device snapshotted (or snapshot chains) until its blocks are shared by
            // kMaxSharing devices.
            std::size_t origin = createThin();
            const std::uint64_t longest = limits_.maxRunLength;
            limits_.maxRunLength = std::min<std::uint64_t>(longest, 256);
            write(origin, 1 + unsigned(rng_.below(6)));
            limits_.maxRunLength = longest;
            for (unsigned i = 0; i + 1 < kMaxSharing && devices_.size() < limits_.maxDevices; ++i) {
                snapshot(origin);
                if (rng_.chance(30)) origin = devices_.size() - 1;
            }
            stormDone = true;
        } else if (r < 55) {
            write(rng_.below(devices_.size()), 1 + unsigned(rng_.below(8)));
        } else if (r < 68 && devices_.size() < limits_.maxDevices) {
            const std::size_t origin = rng_.below(devices_.size());
            // A snapshot copies its origin's mappings; do not overshoot the budget by much.
            if (totalMapped_ + devices_[origin].mapped <= limits_.targetMapped * 3 / 2 + 64)
                snapshot(origin);
        } else if (r < 76 && devices_.size() < limits_.maxDevices) {
            write(createThin(), 1 + unsigned(rng_.below(4)));
        } else if (r < 86) {
            discard(rng_.below(devices_.size()));
        } else if (r < 89 && devices_.size() > 1) {
            deleteDevice(rng_.below(devices_.size()));
        } else {
            transaction_ += rng_.between(1, 3);
        }
        idle = totalMapped_ == before ? idle + 1 : 0;
    }

    // Thin devices that were never written: thin_restore gives them all one shared empty leaf.
    if (limits_.maxDevices > 0 && rng_.chance(15))
        for (auto k = rng_.between(1, 4); k > 0; --k)
            createThin();
    // The pool may have taken snapshots since (devices deleted) and committed more transactions.
    if (rng_.chance(30)) time_ += std::uint32_t(rng_.between(1, 3));
    if (rng_.chance(50)) transaction_ += rng_.between(1, 5);
    pool_.time = time_;
    pool_.transaction = transaction_;
    pool_.devices.clear();
    for (auto& d : devices_) {
        d.details.runs.clear();
        for (const auto& [v, run] : d.runs)
            d.details.runs.push_back(run);
        pool_.devices.push_back(std::move(d.details));
    }
    std::sort(pool_.devices.begin(), pool_.devices.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    pool_.maxDataRefCount = refs_.empty() ? 0 : *std::max_element(refs_.begin(), refs_.end());
}

std::uint64_t PoolHistory::newDeviceId() {
    for (;;) {
        std::uint64_t id = 0;
        if (idStyle_ < 5)
            id = nextSequentialId_++;
        else if (idStyle_ < 9)
            id = rng_.below(1ull << 24);
        else
            id = rng_.below(1ull << 32);
        const bool used = std::any_of(devices_.begin(), devices_.end(),
                                      [&](const auto& d) { return d.details.id == id; });
        if (!used) return id;
    }
}

std::size_t PoolHistory::createThin() {
    LiveDevice d;
    d.details.id = newDeviceId();
    d.details.transaction = transaction_;
    d.details.creationTime = time_;
    d.details.snapTime = time_;
    devices_.push_back(std::move(d));
    return devices_.size() - 1;
}

void PoolHistory::snapshot(std::size_t originIndex) {
    if (time_ < kMaxMappingTime) ++time_;
    LiveDevice snap;
    snap.details.id = newDeviceId();
    snap.details.transaction = transaction_;
    snap.details.creationTime = time_;
    snap.details.snapTime = time_;
    LiveDevice& origin = devices_[originIndex];
    origin.details.snapTime = time_;
    // Share every block whose count is below the limit; split runs around saturated blocks.
    for (const auto& [v, run] : origin.runs) {
        std::uint64_t i = 0;
        while (i < run.length) {
            while (i < run.length && refs_[run.dataBegin + i] >= kMaxSharing)
                ++i;
            std::uint64_t j = i;
            while (j < run.length && refs_[run.dataBegin + j] < kMaxSharing)
                ++j;
            if (j > i) insertRun(snap, {run.virtualBegin + i, run.dataBegin + i, j - i, run.time});
            i = j;
        }
    }
    devices_.push_back(std::move(snap));
}

std::uint64_t PoolHistory::sampleLength() {
    const auto r = rng_.below(100);
    std::uint64_t len =
        r < 45   ? 1
        : r < 80 ? rng_.between(2, 16)
        : r < 95 ? rng_.between(17, 256)
                 : rng_.logBetween(257, std::max<std::uint64_t>(257, limits_.maxRunLength));
    return std::min(len, limits_.maxRunLength);
}

std::uint64_t PoolHistory::sampleVirtual(const LiveDevice& dev, std::uint64_t length) {
    const std::uint64_t span = std::max(limits_.virtualSpan, length + 1);
    if (!dev.runs.empty() && rng_.chance(45)) {
        // Near existing mappings: overwrite parts of them (this splits shared runs).
        auto it = dev.runs.lower_bound(rng_.below(span));
        if (it == dev.runs.end()) --it;
        const MappingRun& run = it->second;
        const std::uint64_t lo = run.virtualBegin > 8 ? run.virtualBegin - 8 : 0;
        const std::uint64_t v = lo + rng_.below(run.length + 16);
        return std::min(v, span - length);
    }
    return rng_.below(span - length);
}

std::uint64_t PoolHistory::allocate(std::uint64_t length, std::uint64_t& begin) {
    const std::uint64_t n = pool_.nrDataBlocks;
    if (n == 0 || dataInUse_ * 100 >= n * kDataFillPercent) return 0;
    std::uint64_t start = n;
    if (rng_.chance(60)) {
        // Next free block from the cursor, like the kernel's allocator.
        for (std::uint64_t k = 0; k < n && start == n; ++k) {
            const std::uint64_t b = (allocCursor_ + k) % n;
            if (refs_[b] == 0) start = b;
        }
    } else {
        for (int tries = 0; tries < 64 && start == n; ++tries) {
            const std::uint64_t b = rng_.below(n);
            if (refs_[b] == 0) start = b;
        }
    }
    if (start == n) return 0;
    std::uint64_t got = 0;
    while (got < length && start + got < n && refs_[start + got] == 0)
        ++got;
    begin = start;
    allocCursor_ = start + got;
    return got;
}

void PoolHistory::write(std::size_t devIndex, unsigned nrRuns) {
    LiveDevice& dev = devices_[devIndex];
    for (unsigned i = 0; i < nrRuns && totalMapped_ < limits_.targetMapped; ++i) {
        const std::uint64_t length = sampleLength();
        const std::uint64_t v = sampleVirtual(dev, length);
        removeRange(dev, v, length);
        std::uint64_t data = 0;
        const std::uint64_t got = allocate(length, data);
        if (got == 0) return;
        insertRun(dev, {v, data, got, time_});
    }
}

void PoolHistory::discard(std::size_t devIndex) {
    LiveDevice& dev = devices_[devIndex];
    if (dev.runs.empty()) return;
    const std::uint64_t length = sampleLength();
    removeRange(dev, sampleVirtual(dev, length), length);
}

void PoolHistory::deleteDevice(std::size_t devIndex) {
    LiveDevice& dev = devices_[devIndex];
    for (const auto& [v, run] : dev.runs)
        dropRef(run.dataBegin, run.length);
    totalMapped_ -= dev.mapped;
    devices_.erase(devices_.begin() + std::ptrdiff_t(devIndex));
}

void PoolHistory::removeRange(LiveDevice& dev, std::uint64_t begin, std::uint64_t length) {
    const std::uint64_t end = begin + length;
    auto it = dev.runs.upper_bound(begin);
    if (it != dev.runs.begin()) --it;
    while (it != dev.runs.end() && it->first < end) {
        const MappingRun run = it->second;
        const std::uint64_t runEnd = run.virtualBegin + run.length;
        if (runEnd <= begin) {
            ++it;
            continue;
        }
        it = dev.runs.erase(it);
        const std::uint64_t cutBegin = std::max(begin, run.virtualBegin);
        const std::uint64_t cutEnd = std::min(end, runEnd);
        dropRef(run.dataBegin + (cutBegin - run.virtualBegin), cutEnd - cutBegin);
        dev.mapped -= cutEnd - cutBegin;
        totalMapped_ -= cutEnd - cutBegin;
        if (run.virtualBegin < cutBegin)
            dev.runs.emplace(run.virtualBegin, MappingRun{run.virtualBegin, run.dataBegin,
                                                          cutBegin - run.virtualBegin, run.time});
        if (cutEnd < runEnd) {
            const std::uint64_t skip = cutEnd - run.virtualBegin;
            it = dev.runs
                     .emplace(cutEnd,
                              MappingRun{cutEnd, run.dataBegin + skip, runEnd - cutEnd, run.time})
                     .first;
            ++it;
        }
    }
}

void PoolHistory::insertRun(LiveDevice& dev, const MappingRun& run) {
    dev.runs.emplace(run.virtualBegin, run);
    dev.mapped += run.length;
    totalMapped_ += run.length;
    addRef(run.dataBegin, run.length);
}

void PoolHistory::addRef(std::uint64_t dataBegin, std::uint64_t length) {
    for (std::uint64_t b = dataBegin; b < dataBegin + length; ++b)
        if (refs_[b]++ == 0) ++dataInUse_;
}

void PoolHistory::dropRef(std::uint64_t dataBegin, std::uint64_t length) {
    for (std::uint64_t b = dataBegin; b < dataBegin + length; ++b)
        if (--refs_[b] == 0) --dataInUse_;
}

} // namespace dms::test
