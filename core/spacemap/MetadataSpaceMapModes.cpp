#include "core/spacemap/MetadataSpaceMapModes.h"

namespace dms {

// --- normal mode -------------------------------------------------------------------------------

Expected<std::uint64_t> MetadataSpaceMap::NormalMode::nrFree() const {
    // While create() replays the bootstrap ops there is no committed view yet (a trace observer
    // asks for the state then): the live map is all there is.
    const LowLevelSpaceMap& old = sm_.committed_ ? *sm_.committed_ : *sm_.live_;
    return old.nrBlocks() - old.nrAllocated() - sm_.allocatedThisTransaction_;
}

Expected<std::uint32_t> MetadataSpaceMap::NormalMode::count(std::uint64_t b) {
    auto c = sm_.live_->lookup(b);
    if (!c) return c.takeError();
    return static_cast<std::uint32_t>(std::int64_t(*c) + sm_.ring_.adjustment(b));
}

Expected<bool> MetadataSpaceMap::NormalMode::countIsMoreThanOne(std::uint64_t b) {
    const std::int64_t adj = sm_.ring_.adjustment(b);
    if (adj > 1) return true;
    auto rc = sm_.live_->lookupBitmap(b);
    if (!rc) return rc.takeError();
    if (*rc == 3) return true; // errs on the side of caution, as the kernel does
    return std::int64_t(*rc) + adj > 1;
}

Status MetadataSpaceMap::NormalMode::setCount(std::uint64_t b, std::uint32_t count) {
    if (sm_.depth_)
        return makeError(ErrorKind::Usage, "cannot recurse set_count(): the space map is busy", b);
    sm_.in();
    auto r = sm_.live_->insert(b, count);
    Status r2 = sm_.out();
    if (!r) return r.error();
    return r2;
}

Status MetadataSpaceMap::NormalMode::inc(std::uint64_t b) {
    if (sm_.depth_) return sm_.queue(BlockOpType::Inc, b);
    return sm_.applyOne(BlockOpType::Inc, b);
}

Status MetadataSpaceMap::NormalMode::dec(std::uint64_t b) {
    if (sm_.depth_) return sm_.queue(BlockOpType::Dec, b);
    return sm_.applyOne(BlockOpType::Dec, b);
}

Expected<std::uint64_t> MetadataSpaceMap::NormalMode::newBlock() {
    std::optional<std::uint64_t> pick;
    // The filter (space-map rebuild) may veto blocks; each veto moves the cursor on, and the number
    // of tries is bounded so that a wrapping policy cannot loop.
    for (std::uint64_t tries = 0; !pick && tries <= sm_.live_->nrBlocks(); ++tries) {
        auto found = sm_.policy_->findFree(*sm_.committed_, *sm_.live_, sm_.cursor_);
        if (!found) return found.takeError();
        if (!*found) break;
        sm_.cursor_ = **found + 1;
        if (!sm_.excluded_ || !sm_.excluded_(**found)) pick = **found;
    }
    if (!pick)
        return makeError(ErrorKind::Corrupt,
                         "unable to allocate new metadata block: no free block in the committed "
                         "space map (" +
                             std::to_string(sm_.committed_->nrBlocks()) + " blocks)");
    const std::uint64_t b = *pick;
    Status s = sm_.depth_ ? sm_.queue(BlockOpType::Inc, b) : sm_.applyOne(BlockOpType::Inc, b);
    if (!s) return s.error();
    ++sm_.allocatedThisTransaction_;
    sm_.trace(TraceKind::BlockAllocated, "new", b);
    auto free = nrFree();
    if (!free) return free.takeError();
    sm_.trace(TraceKind::ThresholdChecked, "new", b, sm_.threshold_.value(), *free);
    if (sm_.threshold_.check(*free))
        sm_.trace(TraceKind::ThresholdFired, "new", b, sm_.threshold_.value(), *free);
    return b;
}

Status MetadataSpaceMap::NormalMode::commit() {
    if (Status s = sm_.live_->commit(); !s) return s;
    *sm_.committed_ = *sm_.live_;
    if (sm_.policy_->resetsCursorOnCommit()) sm_.cursor_ = 0;
    sm_.allocatedThisTransaction_ = 0;
    return Status::success();
}

// --- bootstrap mode ----------------------------------------------------------------------------

Expected<std::uint64_t> MetadataSpaceMap::BootstrapMode::nrFree() const {
    const std::uint64_t size = sm_.live_ ? sm_.live_->nrBlocks() : sm_.pendingNrBlocks_;
    return size - sm_.cursor_;
}

Expected<std::uint32_t> MetadataSpaceMap::BootstrapMode::count(std::uint64_t b) {
    return b < sm_.cursor_ ? 1u : 0u;
}

Status MetadataSpaceMap::BootstrapMode::setCount(std::uint64_t b, std::uint32_t) {
    return makeError(ErrorKind::Usage, "the bootstrap allocator does not support set_count", b);
}

Status MetadataSpaceMap::BootstrapMode::inc(std::uint64_t b) {
    return sm_.queue(BlockOpType::Inc, b);
}

Status MetadataSpaceMap::BootstrapMode::dec(std::uint64_t b) {
    return sm_.queue(BlockOpType::Dec, b);
}

Expected<std::uint64_t> MetadataSpaceMap::BootstrapMode::newBlock() {
    // The whole area after the cursor is known to be unused. The kernel tests for equality only:
    // while the map is being created its size is still 0 and allocation must go on.
    const std::uint64_t size = sm_.live_ ? sm_.live_->nrBlocks() : sm_.pendingNrBlocks_;
    if (sm_.cursor_ == size)
        return makeError(ErrorKind::Corrupt, "bootstrap allocator ran out of blocks");
    const std::uint64_t b = sm_.cursor_++;
    sm_.trace(TraceKind::BlockAllocated, "new", b);
    return b;
}

} // namespace dms
