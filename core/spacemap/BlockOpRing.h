#pragma once
// The metadata space map's ring buffer of uncommitted block operations: while the space map is
// updating itself (recursing) or bootstrapping, inc/dec requests are queued here and applied in
// FIFO order when the outermost operation ends. 1024 ops in 1025 slots: one slot stays empty so
// that full and empty differ (begin == end means empty).

#include "core/Expected.h"

#include <array>

namespace dms {

enum class BlockOpType { Inc, Dec };

// [begin, end): the reference policy queues single blocks (end = begin + 1); the mainline
// policy may queue ranges.
struct BlockOp {
    BlockOpType type = BlockOpType::Inc;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

class BlockOpRing {
public:
    static constexpr std::uint32_t kMaxOps = 1024;
    static constexpr std::uint32_t kSlots = kMaxOps + 1;

    bool empty() const { return begin_ == end_; }
    bool full() const { return next(end_) == begin_; }
    std::uint32_t size() const { return (end_ + kSlots - begin_) % kSlots; }
    std::uint32_t begin() const { return begin_; }
    std::uint32_t end() const { return end_; }
    const BlockOp& slot(std::uint32_t i) const { return slots_[i]; }
    static std::uint32_t next(std::uint32_t i) { return i + 1 >= kSlots ? 0 : i + 1; }

    // Fails with "too many recursive allocations" when 1024 ops are queued.
    Status push(BlockOpType type, std::uint64_t begin, std::uint64_t end);
    // Fails when empty (the kernel's "bug in bop ring buffer").
    Expected<BlockOp> pop();
    void clear() { begin_ = end_ = 0; }

    // Net queued adjustment for block b (inc +1, dec -1 for each op covering b).
    std::int64_t adjustment(std::uint64_t b) const;

private:
    std::array<BlockOp, kSlots> slots_{};
    std::uint32_t begin_ = 0;
    std::uint32_t end_ = 0;
};

} // namespace dms
