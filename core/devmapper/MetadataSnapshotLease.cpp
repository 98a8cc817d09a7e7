#include "core/devmapper/MetadataSnapshotLease.h"

#include "core/devmapper/LivePool.h"

#include <ctime>
#include <unistd.h>

namespace dms {

Expected<std::unique_ptr<MetadataSnapshotLease>>
MetadataSnapshotLease::acquire(DeviceMapper& dm, const ThinPoolInfo& pool,
                               SnapshotRecords records) {
    if (!pool.status)
        return makeError(ErrorKind::Io, "pool " + pool.name + " has no readable status (" +
                                            pool.statusError + ")");
    if (pool.status->failed())
        return makeError(ErrorKind::Io, "pool " + pool.name + " is in " +
                                            poolModeName(pool.status->mode) + " mode");
    std::unique_ptr<MetadataSnapshotLease> lease(
        new MetadataSnapshotLease(dm, pool.name, std::move(records)));
    if (pool.status->heldRoot) { // held already: borrow it
        lease->heldRoot_ = *pool.status->heldRoot;
        return lease;
    }
    SnapshotRecord rec;
    rec.pool = pool.name;
    rec.pid = static_cast<int>(::getpid());
    rec.metadataDev = pool.metadata.dev;
    rec.since = static_cast<std::int64_t>(std::time(nullptr));
    if (Status s = lease->records_.add(rec); !s) return s.error();
    if (Status s = dm.sendPoolMessage(pool.name, "reserve_metadata_snap"); !s) {
        lease->records_.remove(pool.name);
        return s.error();
    }
    lease->reservedHere_ = true;
    auto now = findPool(dm, pool.name);
    if (!now) return now.takeError(); // the destructor releases
    if (!now->status || !now->status->heldRoot)
        return makeError(ErrorKind::Io,
                         "pool " + pool.name + " shows no held root after reserve_metadata_snap");
    lease->heldRoot_ = *now->status->heldRoot;
    rec.heldRoot = lease->heldRoot_;
    lease->records_.add(rec);
    return lease;
}

MetadataSnapshotLease::~MetadataSnapshotLease() {
    release();
}

Status MetadataSnapshotLease::release() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (released_ || !reservedHere_) return Status::success();
    released_ = true;
    Status s = dm_.sendPoolMessage(pool_, "release_metadata_snap");
    // The record stays when the release failed: the next run offers it again.
    if (s) records_.remove(pool_);
    return s;
}

Status releaseRecordedSnapshot(DeviceMapper& dm, const std::string& pool, SnapshotRecords& records,
                               bool force) {
    const auto rec = records.find(pool);
    if (rec && rec->ownerAlive && !force)
        return makeError(ErrorKind::Busy, "the snapshot on " + pool + " is held by dmscope pid " +
                                              std::to_string(rec->pid) +
                                              ", which is still running (--force releases it)");
    auto p = findPool(dm, pool);
    if (!p) return p.error();
    const bool held = p->status && p->status->heldRoot;
    if (!held) {
        records.remove(pool); // stale record: nothing to release
        return makeError(ErrorKind::Usage, "pool " + pool + " holds no metadata snapshot");
    }
    if (!rec && !force)
        return makeError(ErrorKind::Usage,
                         "the snapshot on " + pool +
                             " was not reserved by dmscope (--force releases it)");
    if (Status s = dm.sendPoolMessage(pool, "release_metadata_snap"); !s) return s;
    return records.remove(pool);
}

} // namespace dms
