#pragma once
// A metadata snapshot held on a live pool for as long as dmscope reads it: reserve_metadata_snap
// on acquire, release_metadata_snap on release or destruction. The reservation is recorded
// (SnapshotRecords) before the message is sent, so a process that dies while holding it leaves a
// record naming its pid. A snapshot somebody else already holds is borrowed: read, never
// released.

#include "core/Expected.h"
#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/SnapshotRecords.h"
#include "core/devmapper/ThinPoolInfo.h"

#include <memory>
#include <mutex>

namespace dms {

class MetadataSnapshotLease {
public:
    static Expected<std::unique_ptr<MetadataSnapshotLease>>
    acquire(DeviceMapper& dm, const ThinPoolInfo& pool, SnapshotRecords records);
    ~MetadataSnapshotLease();
    MetadataSnapshotLease(const MetadataSnapshotLease&) = delete;
    MetadataSnapshotLease& operator=(const MetadataSnapshotLease&) = delete;

    // Sends release_metadata_snap when this lease reserved the snapshot; idempotent and safe to
    // call from another thread (a signal-handling thread) while the owner reads.
    Status release();

    const std::string& pool() const { return pool_; }
    std::uint64_t heldRoot() const { return heldRoot_; }
    bool reservedHere() const { return reservedHere_; }

private:
    MetadataSnapshotLease(DeviceMapper& dm, std::string pool, SnapshotRecords records)
        : dm_(dm), pool_(std::move(pool)), records_(std::move(records)) {}

    DeviceMapper& dm_;
    std::string pool_;
    SnapshotRecords records_;
    std::uint64_t heldRoot_ = 0;
    bool reservedHere_ = false;
    bool released_ = false;
    std::mutex mutex_;
};

// Releases a snapshot recorded by a dmscope process (dead, or alive with `force`), or one held by
// somebody else with `force`; removes the record.
Status releaseRecordedSnapshot(DeviceMapper& dm, const std::string& pool, SnapshotRecords& records,
                               bool force);

} // namespace dms
