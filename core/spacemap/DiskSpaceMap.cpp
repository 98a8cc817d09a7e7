#include "core/spacemap/DiskSpaceMap.h"

#include "core/spacemap/DiskIndexStore.h"

namespace dms {

Expected<std::unique_ptr<DiskSpaceMap>>
DiskSpaceMap::create(TransactionManager& tm, std::uint64_t nrBlocks, TraceObserver* observer) {
    std::unique_ptr<DiskSpaceMap> sm(new DiskSpaceMap(observer));
    auto index = DiskIndexStore::create(tm);
    if (!index) return index.takeError();
    auto refs = createRefCountStore(tm);
    if (!refs) return refs.takeError();
    sm->live_ = std::make_unique<LowLevelSpaceMap>(tm, std::move(*index), std::move(*refs), 0, 0);
    sm->setObserver(observer);
    if (Status s = sm->live_->extend(nrBlocks); !s) return s.error();
    sm->committed_ = std::make_unique<LowLevelSpaceMap>(*sm->live_);
    if (Status s = sm->commit(); !s) return s.error();
    return sm;
}

Expected<std::unique_ptr<DiskSpaceMap>>
DiskSpaceMap::open(TransactionManager& tm, const SpaceMapRoot& root, TraceObserver* observer) {
    std::unique_ptr<DiskSpaceMap> sm(new DiskSpaceMap(observer));
    auto refs = openRefCountStore(tm, root.refCountRoot);
    if (!refs) return refs.takeError();
    sm->live_ = std::make_unique<LowLevelSpaceMap>(
        tm, std::make_unique<DiskIndexStore>(tm, root.bitmapRoot), std::move(*refs), root.nrBlocks,
        root.nrAllocated);
    sm->setObserver(observer);
    sm->committed_ = std::make_unique<LowLevelSpaceMap>(*sm->live_);
    return sm;
}

void DiskSpaceMap::setObserver(TraceObserver* observer) {
    observer_ = observer;
    live_->setTrace(observer, TraceSource::DataSpaceMap, [this] { return state(); });
}

SpaceMapState DiskSpaceMap::state() const {
    SpaceMapState s;
    s.cursor = cursor_;
    s.allocatedThisTransaction = static_cast<std::uint64_t>(allocatedThisTransaction_);
    s.nrFree = live_->nrBlocks() - live_->nrAllocated();
    return s;
}

void DiskSpaceMap::trace(TraceKind kind, const char* op, std::uint64_t block,
                         std::uint64_t newValue) const {
    if (!observer_) return;
    TraceEvent e;
    e.kind = kind;
    e.source = TraceSource::DataSpaceMap;
    e.op = op;
    e.block = block;
    e.newValue = newValue;
    e.state = state();
    observer_->onTrace(e);
}

void DiskSpaceMap::account(AllocationEvent ev, std::uint64_t b) {
    if (ev == AllocationEvent::Alloc) ++allocatedThisTransaction_;
    if (ev == AllocationEvent::Free) {
        --allocatedThisTransaction_;
        trace(TraceKind::BlockFreed, "dec", b);
    }
}

Expected<std::uint64_t> DiskSpaceMap::nrFree() const {
    return live_->nrBlocks() - live_->nrAllocated();
}

Expected<bool> DiskSpaceMap::countIsMoreThanOne(std::uint64_t b) {
    auto c = live_->lookup(b);
    if (!c) return c.takeError();
    return *c > 1;
}

Status DiskSpaceMap::setCount(std::uint64_t b, std::uint32_t count) {
    trace(TraceKind::OpRequested, "set_count", b, count);
    auto ev = live_->insert(b, count);
    if (!ev) return ev.error();
    account(*ev, b);
    return Status::success();
}

Status DiskSpaceMap::inc(std::uint64_t b) {
    trace(TraceKind::OpRequested, "inc", b);
    auto ev = live_->inc(b);
    if (!ev) return ev.error();
    account(*ev, b);
    return Status::success();
}

Status DiskSpaceMap::dec(std::uint64_t b) {
    trace(TraceKind::OpRequested, "dec", b);
    auto ev = live_->dec(b);
    if (!ev) return ev.error();
    account(*ev, b);
    return Status::success();
}

Expected<std::uint64_t> DiskSpaceMap::newBlock() {
    trace(TraceKind::OpRequested, "new", 0);
    // Only blocks free at the last commit (a block freed in this transaction may still be
    // referenced by the committed metadata) and still free now (an explicit map may have taken
    // one in this transaction).
    std::optional<std::uint64_t> found;
    for (std::uint64_t from = cursor_; !found;) {
        auto f = committed_->findFreeBlock(from, committed_->nrBlocks());
        if (!f) return f.takeError();
        if (!*f)
            return makeError(ErrorKind::Corrupt, "no free data block: the data device is full");
        auto now = live_->lookupBitmap(**f);
        if (!now) return now.takeError();
        if (*now == 0)
            found = **f;
        else
            from = **f + 1;
    }
    const std::uint64_t b = *found;
    cursor_ = b + 1;
    auto ev = live_->inc(b);
    if (!ev) return ev.takeError();
    account(*ev, b);
    trace(TraceKind::BlockAllocated, "new", b);
    return b;
}

Status DiskSpaceMap::commit() {
    trace(TraceKind::OpRequested, "commit", 0);
    if (Status s = live_->commit(); !s) return s;
    *committed_ = *live_;
    cursor_ = 0;
    allocatedThisTransaction_ = 0;
    trace(TraceKind::Committed, "commit", 0);
    return Status::success();
}

Status DiskSpaceMap::extend(std::uint64_t extraBlocks) {
    trace(TraceKind::OpRequested, "extend", 0, extraBlocks);
    return live_->extend(extraBlocks);
}

} // namespace dms
