#pragma once
// A block source that breaks like a device losing power in the middle of a commit, for the
// crash-safety tests of the write path. Wraps another source; reads pass through and see what
// reached it. Once armed:
// - failAfterWrites(k): writes 1..k reach the device, write k+1 fails and so does everything
//   after it (the device is gone: later writes and flushes fail without touching it);
// - tearWrite(k, ...): write k reaches the device only partly, then fails, and the device is gone:
//   either only its first N bytes, or only the 512-byte sectors chosen by a mask (the others keep
//   their old bytes), as a drive that writes sectors in any order may leave it.
// Write numbers count from the moment the fault is armed. Every write and flush is counted and
// logged, so tests can also check the commit order (superblock last, after a flush).

#include "core/BlockSource.h"

#include <memory>
#include <optional>
#include <vector>

namespace dms {

class FaultInjectingBlockSource final : public BlockSource {
public:
    static constexpr std::size_t kSectorSize = 512;
    static constexpr unsigned kSectorsPerBlock = kBlockSize / kSectorSize;

    enum class EventKind { Write, TornWrite, FailedWrite, Flush, FailedFlush };
    struct Event {
        EventKind kind;
        std::uint64_t block = 0; // 0 for flushes
    };

    explicit FaultInjectingBlockSource(std::shared_ptr<BlockSource> inner);

    // Writes 1..k (counted from now) succeed; write k+1 and every later write and flush fail.
    void failAfterWrites(std::uint64_t k);
    // Write k (1-based, counted from now) writes only bytes [0, bytes), then fails.
    void tearWritePrefix(std::uint64_t k, std::size_t bytes);
    // Write k writes the sectors whose bit is set in newSectors (bit i: bytes 512i..512i+511),
    // leaves the others as they were, then fails.
    void tearWriteSectors(std::uint64_t k, std::uint8_t newSectors);
    // No fault from now on (a device that has failed stays failed).
    void disarm();

    bool failed() const { return failed_; }
    std::uint64_t writeCalls() const { return writeCalls_; }
    std::uint64_t completedWrites() const { return completedWrites_; }
    std::uint64_t flushCalls() const { return flushCalls_; }
    std::uint64_t completedFlushes() const { return completedFlushes_; }
    // The block of the torn write, once it happened.
    std::optional<std::uint64_t> tornBlock() const { return tornBlock_; }
    const std::vector<Event>& events() const { return events_; }
    void clearEvents() { events_.clear(); }

    std::uint64_t blockCount() const override { return inner_->blockCount(); }
    std::uint64_t byteSize() const override { return inner_->byteSize(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override { return inner_->mapped(block); }
    bool writable() const override { return inner_->writable(); }
    Status write(std::uint64_t block, const std::uint8_t* in) override;
    Status flush() override;
    std::string name() const override { return inner_->name(); }

    BlockSource& inner() { return *inner_; }

private:
    enum class Plan { None, FailAfter, TearPrefix, TearSectors };
    void arm(Plan plan, std::uint64_t k);
    Status deviceGone(std::optional<std::uint64_t> block, const char* what) const;
    Status tear(std::uint64_t block, const std::uint8_t* in);

    std::shared_ptr<BlockSource> inner_;
    Plan plan_ = Plan::None;
    std::uint64_t k_ = 0;
    std::uint64_t armedAt_ = 0; // writeCalls_ when armed
    std::size_t prefixBytes_ = 0;
    std::uint8_t sectorMask_ = 0;
    bool failed_ = false;
    std::uint64_t writeCalls_ = 0;
    std::uint64_t completedWrites_ = 0;
    std::uint64_t flushCalls_ = 0;
    std::uint64_t completedFlushes_ = 0;
    std::optional<std::uint64_t> tornBlock_;
    std::vector<Event> events_;
};

} // namespace dms
