#pragma once
// Replays a kernel-like thin-pool history into a GeneratedPool: create thin devices, snapshot
// them (pool time + 1, the snapshot shares every data block of its origin), write runs (fresh
// data blocks at the current time, splitting whatever they overwrite), discard ranges, delete
// devices. Data reference counts are tracked so that no block is shared by more than
// kMaxSharing devices and freed blocks can be reused.

#include "tests/interop/PoolXmlGenerator.h"

#include <map>

namespace dms::test {

struct HistoryLimits {
    std::uint64_t targetMapped = 0;      // stop when the devices map this many blocks in total
    std::size_t maxDevices = 1;          // live devices at any time
    std::uint64_t maxRunLength = 16;     // longest single write
    std::uint64_t virtualSpan = 1024;    // virtual blocks are drawn below this
    bool snapshotStorm = false;          // once, many snapshots of one device in a row
    std::size_t initialDevices = 0;      // thin devices created (with a few writes) up front
    std::uint64_t firstDeviceBlocks = 0; // the first device is written until it maps this many
};

class PoolHistory {
public:
    PoolHistory(PoolRandom& rng, GeneratedPool& pool, const HistoryLimits& limits);

    // Runs the history and stores the devices (ascending id) and final times into the pool.
    void run();

private:
    struct LiveDevice {
        GeneratedDevice details;
        std::map<std::uint64_t, MappingRun> runs; // by virtual begin
        std::uint64_t mapped = 0;
    };

    std::size_t createThin();
    void snapshot(std::size_t origin);
    void write(std::size_t dev, unsigned nrRuns);
    void discard(std::size_t dev);
    void deleteDevice(std::size_t dev);

    std::uint64_t newDeviceId();
    std::uint64_t sampleLength();
    std::uint64_t sampleVirtual(const LiveDevice& dev, std::uint64_t length);
    // A free extent of at most `length` blocks; returns its length (0: the data device is full).
    std::uint64_t allocate(std::uint64_t length, std::uint64_t& begin);
    void removeRange(LiveDevice& dev, std::uint64_t begin, std::uint64_t length);
    void insertRun(LiveDevice& dev, const MappingRun& run);
    void addRef(std::uint64_t dataBegin, std::uint64_t length);
    void dropRef(std::uint64_t dataBegin, std::uint64_t length);

    PoolRandom& rng_;
    GeneratedPool& pool_;
    HistoryLimits limits_;
    std::vector<std::uint8_t> refs_; // per data block
    std::uint64_t dataInUse_ = 0;    // blocks with refs_ > 0
    std::uint64_t allocCursor_ = 0;  // the kernel allocates data blocks mostly in ascending order
    std::vector<LiveDevice> devices_;
    std::uint64_t totalMapped_ = 0;
    std::uint32_t time_ = 0;
    std::uint64_t transaction_ = 0;
    int idStyle_ = 0;
    std::uint64_t nextSequentialId_ = 0;
};

} // namespace dms::test
