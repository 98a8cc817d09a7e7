#include "core/spacemap/BlockOpRing.h"

namespace dms {

Status BlockOpRing::push(BlockOpType type, std::uint64_t begin, std::uint64_t end) {
    if (full())
        return makeError(ErrorKind::Corrupt,
                         "too many recursive allocations: the block-op ring buffer already holds " +
                             std::to_string(kMaxOps) + " ops",
                         begin);
    slots_[end_] = BlockOp{type, begin, end};
    end_ = next(end_);
    return Status::success();
}

Expected<BlockOp> BlockOpRing::pop() {
    if (empty())
        return makeError(ErrorKind::Usage, "bug in block-op ring buffer: pop from an empty ring");
    const BlockOp op = slots_[begin_];
    begin_ = next(begin_);
    return op;
}

std::int64_t BlockOpRing::adjustment(std::uint64_t b) const {
    std::int64_t adj = 0;
    for (std::uint32_t i = begin_; i != end_; i = next(i)) {
        const BlockOp& op = slots_[i];
        if (b < op.begin || b >= op.end) continue;
        adj += op.type == BlockOpType::Inc ? 1 : -1;
    }
    return adj;
}

} // namespace dms
