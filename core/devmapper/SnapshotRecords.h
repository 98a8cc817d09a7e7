#pragma once
// Metadata snapshots dmscope reserved on live pools, recorded in a state directory so that a
// later run can tell a snapshot still held by a dead dmscope process and offer to release it
// (the kernel keeps one held snapshot per pool until someone sends release_metadata_snap).
//
// One file per pool, <dir>/<pool>.held, lines "key value": pid, pool, metadata (maj:min),
// held_root, since (unix seconds).

#include "core/Expected.h"
#include "core/devmapper/DmDevice.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dms {

struct SnapshotRecord {
    std::string pool;
    int pid = 0;
    DevNo metadataDev;
    std::uint64_t heldRoot = 0;
    std::int64_t since = 0;
    bool ownerAlive = false; // filled in by list()/find()
};

class SnapshotRecords {
public:
    explicit SnapshotRecords(std::string dir = defaultDirectory());

    // $DMSCOPE_STATE_DIR, else /run/dmscope for root, else $XDG_RUNTIME_DIR/dmscope, else
    // /tmp/dmscope-<uid>.
    static std::string defaultDirectory();

    const std::string& directory() const { return dir_; }
    Status add(const SnapshotRecord& r); // replaces the pool's record
    Status remove(const std::string& pool);
    std::vector<SnapshotRecord> list() const;
    std::optional<SnapshotRecord> find(const std::string& pool) const;

private:
    std::string fileFor(const std::string& pool) const;
    std::string dir_;
};

// True while process `pid` exists (also when it belongs to another user).
bool processAlive(int pid);

} // namespace dms
