#include "core/spacemap/LowLevelSpaceMap.h"

#include "core/spacemap/BitmapBlock.h"

namespace dms {

LowLevelSpaceMap::LowLevelSpaceMap(TransactionManager& tm, std::unique_ptr<IndexStore> index,
                                   std::unique_ptr<RefCountStore> refCounts, std::uint64_t nrBlocks,
                                   std::uint64_t nrAllocated)
    : tm_(&tm), index_(std::move(index)), refCounts_(std::move(refCounts)), nrBlocks_(nrBlocks),
      nrAllocated_(nrAllocated) {}

LowLevelSpaceMap::LowLevelSpaceMap(const LowLevelSpaceMap& o)
    : tm_(o.tm_), index_(o.index_->clone()), refCounts_(o.refCounts_->clone()),
      nrBlocks_(o.nrBlocks_), nrAllocated_(o.nrAllocated_), indexChanged_(o.indexChanged_),
      observer_(o.observer_), source_(o.source_), state_(o.state_) {}

LowLevelSpaceMap& LowLevelSpaceMap::operator=(const LowLevelSpaceMap& o) {
    if (this == &o) return *this;
    tm_ = o.tm_;
    index_ = o.index_->clone();
    refCounts_ = o.refCounts_->clone();
    nrBlocks_ = o.nrBlocks_;
    nrAllocated_ = o.nrAllocated_;
    indexChanged_ = o.indexChanged_;
    observer_ = o.observer_;
    source_ = o.source_;
    state_ = o.state_;
    return *this;
}

void LowLevelSpaceMap::setTrace(TraceObserver* observer, TraceSource source,
                                std::function<SpaceMapState()> state) {
    observer_ = observer;
    source_ = source;
    state_ = std::move(state);
}

void LowLevelSpaceMap::trace(TraceKind kind, std::uint64_t block, std::uint64_t oldValue,
                             std::uint64_t newValue, std::uint64_t newBlock) {
    if (!observer_) return;
    TraceEvent e;
    e.kind = kind;
    e.source = source_;
    e.block = block;
    e.newBlock = newBlock;
    e.oldValue = oldValue;
    e.newValue = newValue;
    if (state_) e.state = state_();
    observer_->onTrace(e);
}

SpaceMapRoot LowLevelSpaceMap::root() const {
    SpaceMapRoot r;
    r.nrBlocks = nrBlocks_;
    r.nrAllocated = nrAllocated_;
    r.bitmapRoot = index_->root();
    r.refCountRoot = refCounts_->root();
    return r;
}

Expected<Block> LowLevelSpaceMap::readBitmap(const IndexEntry& ie, std::uint64_t index) {
    auto bm = tm_->read(ie.blocknr, BlockType::Bitmap);
    if (!bm) {
        Error e = bm.takeError();
        e.message = "bitmap " + std::to_string(index) + ": " + e.message;
        return e;
    }
    return bm;
}

Expected<unsigned> LowLevelSpaceMap::lookupBitmap(std::uint64_t b) {
    if (b >= nrBlocks_)
        return makeError(ErrorKind::OutOfRange,
                         "block " + std::to_string(b) + " is beyond the space map (" +
                             std::to_string(nrBlocks_) + " blocks)",
                         b);
    auto ie = index_->load(b / kEntriesPerBitmap);
    if (!ie) return ie.takeError();
    auto bm = readBitmap(*ie, b / kEntriesPerBitmap);
    if (!bm) return bm.takeError();
    return bitmapEntry(bm->data(), b % kEntriesPerBitmap);
}

Expected<std::uint32_t> LowLevelSpaceMap::lookup(std::uint64_t b) {
    auto v = lookupBitmap(b);
    if (!v) return v.takeError();
    if (*v < 3) return static_cast<std::uint32_t>(*v);
    return refCounts_->lookup(b);
}

Expected<std::optional<std::uint64_t>> LowLevelSpaceMap::findFreeBlock(std::uint64_t begin,
                                                                       std::uint64_t end) {
    end = std::min(end, nrBlocks_);
    if (begin >= end) return std::optional<std::uint64_t>();
    const std::uint64_t firstIndex = begin / kEntriesPerBitmap;
    const std::uint64_t lastIndex = (end - 1) / kEntriesPerBitmap;
    for (std::uint64_t i = firstIndex; i <= lastIndex; ++i) {
        auto ie = index_->load(i);
        if (!ie) return ie.takeError();
        if (ie->nrFree == 0) continue;
        auto bm = readBitmap(*ie, i);
        if (!bm) return bm.takeError();
        const std::uint64_t base = i * kEntriesPerBitmap;
        std::uint64_t from = (i == firstIndex) ? begin - base : 0;
        from = std::max<std::uint64_t>(from, ie->noneFreeBefore);
        const std::uint64_t to = (i == lastIndex) ? end - base : kEntriesPerBitmap;
        for (std::uint64_t e = from; e < to; ++e) {
            // Skip whole words whose 32 entries are all in use.
            if (e % 32 == 0 && e + 32 <= to) {
                const std::uint64_t w = loadLe64(bm->data() + kBitmapPayloadOffset + e / 4);
                const std::uint64_t used = (w | (w >> 1)) & 0x5555555555555555ull;
                if (used == 0x5555555555555555ull) {
                    e += 31;
                    continue;
                }
            }
            if (bitmapEntry(bm->data(), e) == 0) return std::optional<std::uint64_t>(base + e);
        }
    }
    return std::optional<std::uint64_t>();
}

Expected<AllocationEvent> LowLevelSpaceMap::mutate(std::uint64_t b, const Mutator& fn) {
    if (b >= nrBlocks_)
        return makeError(ErrorKind::OutOfRange,
                         "block " + std::to_string(b) + " is beyond the space map (" +
                             std::to_string(nrBlocks_) + " blocks)",
                         b);
    const std::uint64_t index = b / kEntriesPerBitmap;
    const std::uint64_t bit = b % kEntriesPerBitmap;
    auto ie = index_->load(index);
    if (!ie) return ie.takeError();
    IndexEntry entry = *ie;

    // Shadowing the bitmap may recurse into the metadata space map (queued as block ops).
    auto shadow = tm_->shadow(entry.blocknr, BlockType::Bitmap);
    if (!shadow) return shadow.takeError();
    if (shadow->block.number != entry.blocknr)
        trace(TraceKind::IndexEntryChanged, index, entry.blocknr, shadow->block.number);
    entry.blocknr = shadow->block.number;
    std::uint8_t* bm = shadow->block.data;

    const unsigned oldBits = bitmapEntry(bm, bit);
    std::uint32_t old = oldBits;
    if (oldBits > 2) {
        auto big = refCounts_->lookup(b);
        if (!big) return big.takeError();
        old = *big;
    }
    auto nc = fn(old);
    if (!nc) return nc.takeError();
    const std::uint32_t count = *nc;

    if (count <= 2) {
        setBitmapEntry(bm, bit, count);
        if (oldBits != count) trace(TraceKind::BitmapEntryChanged, b, oldBits, count);
        if (oldBits > 2) {
            if (Status s = refCounts_->remove(b); !s) return s.error();
            trace(TraceKind::RefCountTreeChanged, b, old, 0);
        }
    } else {
        setBitmapEntry(bm, bit, 3);
        if (oldBits != 3) trace(TraceKind::BitmapEntryChanged, b, oldBits, 3);
        if (Status s = refCounts_->insert(b, count); !s) return s.error();
        trace(TraceKind::RefCountTreeChanged, b, old, count);
    }

    AllocationEvent ev = AllocationEvent::None;
    if (count && !old) {
        ev = AllocationEvent::Alloc;
        ++nrAllocated_;
        --entry.nrFree;
        if (entry.noneFreeBefore == bit) entry.noneFreeBefore = static_cast<std::uint32_t>(bit + 1);
    } else if (old && !count) {
        ev = AllocationEvent::Free;
        --nrAllocated_;
        ++entry.nrFree;
        entry.noneFreeBefore = std::min(entry.noneFreeBefore, static_cast<std::uint32_t>(bit));
    }
    if (Status s = index_->save(index, entry); !s) return s.error();
    indexChanged_ = true;
    return ev;
}

Expected<AllocationEvent> LowLevelSpaceMap::insert(std::uint64_t b, std::uint32_t count) {
    return mutate(b, [count](std::uint32_t) -> Expected<std::uint32_t> { return count; });
}

Expected<AllocationEvent> LowLevelSpaceMap::inc(std::uint64_t b) {
    return mutate(b, [](std::uint32_t old) -> Expected<std::uint32_t> { return old + 1; });
}

Expected<AllocationEvent> LowLevelSpaceMap::dec(std::uint64_t b) {
    return mutate(b, [b](std::uint32_t old) -> Expected<std::uint32_t> {
        if (old == 0)
            return makeError(ErrorKind::Corrupt,
                             "unable to decrement the reference count of block " +
                                 std::to_string(b) + " below 0",
                             b);
        return old - 1;
    });
}

Status LowLevelSpaceMap::extend(std::uint64_t extraBlocks) {
    const std::uint64_t newBlocks = nrBlocks_ + extraBlocks;
    const std::uint64_t oldBitmaps = (nrBlocks_ + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    const std::uint64_t bitmaps = (newBlocks + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    if (bitmaps > index_->maxEntries())
        return makeError(ErrorKind::Usage, "space map too large: " + std::to_string(newBlocks) +
                                               " blocks need " + std::to_string(bitmaps) +
                                               " bitmaps, at most " +
                                               std::to_string(index_->maxEntries()));
    // Set first: allocating the new bitmaps may hand out blocks from the new range.
    nrBlocks_ = newBlocks;
    for (std::uint64_t i = oldBitmaps; i < bitmaps; ++i) {
        auto b = tm_->newBlock(BlockType::Bitmap);
        if (!b) return b.error();
        IndexEntry ie;
        ie.blocknr = b->number;
        ie.nrFree = static_cast<std::uint32_t>(kEntriesPerBitmap);
        ie.noneFreeBefore = 0;
        if (Status s = index_->save(i, ie); !s) return s;
        indexChanged_ = true;
        trace(TraceKind::IndexEntryChanged, i, 0, b->number);
    }
    return Status::success();
}

Status LowLevelSpaceMap::recountHints() {
    const std::uint64_t bitmaps = (nrBlocks_ + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    std::uint64_t allocated = 0;
    for (std::uint64_t i = 0; i < bitmaps; ++i) {
        auto ie = index_->load(i);
        if (!ie) return ie.error();
        auto bm = readBitmap(*ie, i);
        if (!bm) return bm.error();
        const std::uint64_t n = std::min(kEntriesPerBitmap, nrBlocks_ - i * kEntriesPerBitmap);
        const BitmapTally t = tallyBitmap(bm->data(), n);
        allocated += n - t.byValue[0];
        IndexEntry e = *ie;
        e.nrFree = static_cast<std::uint32_t>(kEntriesPerBitmap - (n - t.byValue[0]));
        std::uint32_t first = static_cast<std::uint32_t>(n);
        for (std::uint64_t k = 0; k < n; ++k)
            if (bitmapEntry(bm->data(), k) == 0) {
                first = static_cast<std::uint32_t>(k);
                break;
            }
        e.noneFreeBefore = first;
        if (e.nrFree != ie->nrFree || e.noneFreeBefore != ie->noneFreeBefore) {
            if (Status s = index_->save(i, e); !s) return s;
            indexChanged_ = true;
        }
    }
    nrAllocated_ = allocated;
    return Status::success();
}

Status LowLevelSpaceMap::commit() {
    if (!indexChanged_) return Status::success();
    if (Status s = index_->commit(); !s) return s;
    indexChanged_ = false;
    return Status::success();
}

} // namespace dms
