#include "core/spacemap/MetadataSpaceMap.h"

#include "core/spacemap/MetadataIndexStore.h"
#include "core/spacemap/MetadataSpaceMapModes.h"

namespace dms {

MetadataSpaceMap::MetadataSpaceMap(TransactionManager& tm, AllocationPolicyKind policy,
                                   TraceObserver* observer)
    : tm_(&tm), policy_(AllocationPolicy::make(policy)), observer_(observer),
      normal_(std::make_unique<NormalMode>(*this)),
      bootstrap_(std::make_unique<BootstrapMode>(*this)), mode_(normal_.get()) {}

MetadataSpaceMap::~MetadataSpaceMap() = default;

Expected<std::unique_ptr<MetadataSpaceMap>>
MetadataSpaceMap::create(TransactionManager& tm, std::uint64_t nrBlocks, std::uint64_t superblock,
                         AllocationPolicyKind policy, TraceObserver* observer) {
    std::unique_ptr<MetadataSpaceMap> sm(new MetadataSpaceMap(tm, policy, observer));
    tm.setSpaceMap(sm.get());
    sm->cursor_ = superblock + 1;
    sm->setMode(sm->bootstrap_.get());

    auto index = MetadataIndexStore::create(tm);
    if (!index) return index.takeError();
    auto refs = createRefCountStore(tm);
    if (!refs) return refs.takeError();
    sm->live_ = std::make_unique<LowLevelSpaceMap>(tm, std::move(*index), std::move(*refs), 0, 0);
    sm->live_->setTrace(observer, TraceSource::MetadataSpaceMap,
                        [p = sm.get()] { return p->state(); });
    if (Status s = sm->live_->extend(std::min(nrBlocks, kMaxBlocks)); !s) return s.error();

    sm->setMode(sm->normal_.get());
    // Give every block the bootstrap allocator handed out its count of 1.
    for (std::uint64_t b = superblock; b < sm->cursor_; ++b) {
        auto r = sm->live_->inc(b);
        if (!r) return r.takeError();
    }
    if (Status s = sm->applyBops(); !s) return s.error();
    sm->committed_ = std::make_unique<LowLevelSpaceMap>(*sm->live_);
    if (Status s = sm->commit(); !s) return s.error();
    return sm;
}

Expected<std::unique_ptr<MetadataSpaceMap>> MetadataSpaceMap::open(TransactionManager& tm,
                                                                   const SpaceMapRoot& root,
                                                                   AllocationPolicyKind policy,
                                                                   TraceObserver* observer) {
    std::unique_ptr<MetadataSpaceMap> sm(new MetadataSpaceMap(tm, policy, observer));
    auto index = MetadataIndexStore::open(tm, root.bitmapRoot);
    if (!index) return index.takeError();
    auto refs = openRefCountStore(tm, root.refCountRoot);
    if (!refs) return refs.takeError();
    sm->live_ = std::make_unique<LowLevelSpaceMap>(tm, std::move(*index), std::move(*refs),
                                                   root.nrBlocks, root.nrAllocated);
    sm->live_->setTrace(observer, TraceSource::MetadataSpaceMap,
                        [p = sm.get()] { return p->state(); });
    sm->committed_ = std::make_unique<LowLevelSpaceMap>(*sm->live_);
    tm.setSpaceMap(sm.get());
    return sm;
}

void MetadataSpaceMap::setObserver(TraceObserver* observer) {
    observer_ = observer;
    auto stateFn = [this] { return state(); };
    if (live_) live_->setTrace(observer, TraceSource::MetadataSpaceMap, stateFn);
    if (committed_) committed_->setTrace(nullptr, TraceSource::MetadataSpaceMap, stateFn);
}

SpaceMapState MetadataSpaceMap::state() const {
    SpaceMapState s;
    s.ringBegin = ring_.begin();
    s.ringEnd = ring_.end();
    s.recursionDepth = depth_;
    s.cursor = cursor_;
    s.allocatedThisTransaction = allocatedThisTransaction_;
    if (auto f = mode_->nrFree(); f) s.nrFree = *f;
    s.bootstrap = mode_->isBootstrap();
    return s;
}

void MetadataSpaceMap::trace(TraceKind kind, const char* op, std::uint64_t block,
                             std::uint64_t oldValue, std::uint64_t newValue) const {
    if (!observer_) return;
    TraceEvent e;
    e.kind = kind;
    e.source = TraceSource::MetadataSpaceMap;
    e.op = op;
    e.block = block;
    e.oldValue = oldValue;
    e.newValue = newValue;
    e.state = state();
    observer_->onTrace(e);
}

void MetadataSpaceMap::setMode(Mode* mode) {
    if (mode_ == mode) return;
    mode_ = mode;
    trace(TraceKind::ModeChanged, mode->isBootstrap() ? "bootstrap" : "normal");
}

bool MetadataSpaceMap::bootstrapping() const {
    return mode_->isBootstrap();
}

void MetadataSpaceMap::setThreshold(std::uint64_t value, std::function<void()> callback) {
    threshold_.set(value, std::move(callback));
}

void MetadataSpaceMap::in() {
    ++depth_;
    trace(TraceKind::RecursionDepth, "in", 0, depth_ - 1, depth_);
}

Status MetadataSpaceMap::out() {
    if (depth_ == 0)
        return makeError(ErrorKind::Usage, "lost track of recursion depth (out() at depth 0)");
    Status r;
    if (depth_ == 1) r = applyBops();
    --depth_;
    trace(TraceKind::RecursionDepth, "out", 0, depth_ + 1, depth_);
    return r;
}

Status MetadataSpaceMap::queue(BlockOpType type, std::uint64_t b, std::uint64_t end) {
    if (end == 0) end = b + 1;
    if (Status s = ring_.push(type, b, end); !s) return s;
    trace(TraceKind::BopPushed, type == BlockOpType::Inc ? "inc" : "dec", b, b, end);
    return Status::success();
}

Status MetadataSpaceMap::applyOne(BlockOpType type, std::uint64_t b) {
    in();
    auto r = type == BlockOpType::Inc ? live_->inc(b) : live_->dec(b);
    if (r && *r == AllocationEvent::Free) trace(TraceKind::BlockFreed, "dec", b);
    Status r2 = out();
    if (!r) return r.error();
    return r2;
}

Status MetadataSpaceMap::applyBops() {
    while (!ring_.empty()) {
        auto op = ring_.pop();
        if (!op) return op.error();
        const char* name = op->type == BlockOpType::Inc ? "inc" : "dec";
        trace(TraceKind::BopPopped, name, op->begin, op->begin, op->end);
        for (std::uint64_t b = op->begin; b < op->end; ++b) {
            auto r = op->type == BlockOpType::Inc ? live_->inc(b) : live_->dec(b);
            if (!r) return r.error();
            if (*r == AllocationEvent::Free) trace(TraceKind::BlockFreed, name, b);
            trace(TraceKind::BopApplied, name, b);
        }
    }
    return Status::success();
}

// --- the ops table -----------------------------------------------------------------------------

std::uint64_t MetadataSpaceMap::nrBlocks() const {
    return live_ ? live_->nrBlocks() : 0;
}
Expected<std::uint64_t> MetadataSpaceMap::nrFree() const {
    return mode_->nrFree();
}

Expected<std::uint32_t> MetadataSpaceMap::count(std::uint64_t b) {
    return mode_->count(b);
}

Expected<bool> MetadataSpaceMap::countIsMoreThanOne(std::uint64_t b) {
    return mode_->countIsMoreThanOne(b);
}

Status MetadataSpaceMap::setCount(std::uint64_t b, std::uint32_t count) {
    trace(TraceKind::OpRequested, "set_count", b, 0, count);
    return mode_->setCount(b, count);
}

Status MetadataSpaceMap::inc(std::uint64_t b) {
    trace(TraceKind::OpRequested, "inc", b);
    return mode_->inc(b);
}

Status MetadataSpaceMap::dec(std::uint64_t b) {
    trace(TraceKind::OpRequested, "dec", b);
    return mode_->dec(b);
}

Status MetadataSpaceMap::incRange(std::uint64_t begin, std::uint64_t end) {
    if (policy_->kind() == AllocationPolicyKind::Reference || mode_->isBootstrap() || end <= begin)
        return SpaceMap::incRange(begin, end);
    trace(TraceKind::OpRequested, "inc_range", begin, begin, end);
    if (depth_) return queue(BlockOpType::Inc, begin, end);
    in();
    Status r;
    for (std::uint64_t b = begin; r && b < end; ++b)
        if (auto e = live_->inc(b); !e) r = e.error();
    Status r2 = out();
    return r ? r2 : r;
}

Expected<std::uint64_t> MetadataSpaceMap::newBlock() {
    trace(TraceKind::OpRequested, "new");
    return mode_->newBlock();
}

Status MetadataSpaceMap::commit() {
    trace(TraceKind::OpRequested, "commit");
    Status s = mode_->commit();
    if (s) trace(TraceKind::Committed, "commit");
    return s;
}

Status MetadataSpaceMap::recountHints() {
    return live_->recountHints();
}

SpaceMapRoot MetadataSpaceMap::root() const {
    return live_->root();
}

Status MetadataSpaceMap::extend(std::uint64_t extraBlocks) {
    trace(TraceKind::OpRequested, "extend", 0, 0, extraBlocks);
    if (mode_->isBootstrap())
        return makeError(ErrorKind::Usage, "the bootstrap allocator does not support extend");
    if (nrBlocks() + extraBlocks > kMaxBlocks)
        return makeError(ErrorKind::Usage, "cannot extend the metadata space map to " +
                                               std::to_string(nrBlocks() + extraBlocks) +
                                               " blocks (at most " + std::to_string(kMaxBlocks) +
                                               ")");
    std::uint64_t oldLen = live_->nrBlocks();
    // All new blocks come from the new area while the map grows.
    cursor_ = oldLen;
    setMode(bootstrap_.get());
    Status r = live_->extend(extraBlocks);
    // Increment what the extension allocated, then commit, until a commit allocates nothing.
    if (r) {
        do {
            for (std::uint64_t b = oldLen; r && b < cursor_; ++b)
                if (auto e = live_->inc(b); !e) r = e.error();
            oldLen = cursor_;
            if (r) r = applyBops();
            if (r) r = live_->commit();
            // One event per round: the cursor before and after its commit (equal: the last).
            if (r) trace(TraceKind::Committed, "extend", 0, oldLen, cursor_);
        } while (r && oldLen != cursor_);
    }
    setMode(normal_.get());
    return r;
}

} // namespace dms
