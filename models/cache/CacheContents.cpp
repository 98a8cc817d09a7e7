#include "models/cache/CacheContents.h"

#include "core/bitset/BitsetReader.h"

#include <bit>
#include <new>

namespace dms {
namespace {

// Collects the values of an array and which block each array-block index lives in.
class CollectVisitor final : public ArrayVisitor {
public:
    CollectVisitor(std::uint8_t* out, std::uint32_t width, std::uint64_t length,
                   std::vector<std::uint64_t>& blocks, std::vector<std::uint8_t>* readable,
                   const std::atomic<bool>* cancel)
        : out_(out), width_(width), length_(length), blocks_(blocks), readable_(readable),
          cancel_(cancel) {}
    void arrayBlock(std::uint64_t first, const ArrayBlock& block, std::uint32_t count) override {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return;
        const std::uint32_t per = arrayMaxEntries(width_);
        const std::uint64_t index = per ? first / per : 0;
        if (index < blocks_.size()) blocks_[index] = block.number();
        if (first >= length_) return;
        count = std::uint32_t(std::min<std::uint64_t>(count, length_ - first));
        const std::uint32_t copy = std::min(width_, block.valueSize());
        for (std::uint32_t i = 0; i < count; ++i) {
            std::memcpy(out_ + (first + i) * width_, block.value(i), copy);
            if (readable_) (*readable_)[first + i] = 1;
        }
    }
    void error(const Error& e) override {
        if (errors_.size() < 20) errors_.push_back(e.describe());
    }
    std::vector<std::string> errors_;

private:
    std::uint8_t* out_;
    std::uint32_t width_;
    std::uint64_t length_;
    std::vector<std::uint64_t>& blocks_;
    std::vector<std::uint8_t>* readable_;
    const std::atomic<bool>* cancel_;
};

bool stopped(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

} // namespace

CacheContents CacheContents::loadAll(const BlockReader& reader, const CacheSuperblock& sb,
                                     const std::atomic<bool>* cancel) {
    CacheContents c;
    c.format_ = sb.version >= 2 ? 2 : 1;
    ArrayReader mappingArray(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array");
    if (Status s = mappingArray.plausible(); !s) {
        c.errors_.push_back(s.error().describe());
        return c; // a hostile cache_blocks must not become a huge allocation
    }
    c.cacheBlocks_ = sb.cacheBlocks;
    const std::uint64_t n = sb.cacheBlocks;
    c.mappings_.assign(n, 0);
    c.states_.assign(n, Unreadable);
    std::vector<std::uint8_t> readable(n, 0);
    c.mappingBlocks_.assign((n + 508) / 509, 0);
    {
        CollectVisitor v(reinterpret_cast<std::uint8_t*>(c.mappings_.data()), 8, n,
                         c.mappingBlocks_, &readable, cancel);
        mappingArray.walk(v);
        c.errors_.insert(c.errors_.end(), v.errors_.begin(), v.errors_.end());
    }
    if (std::endian::native != std::endian::little)
        for (auto& m : c.mappings_)
            m = loadLe64(reinterpret_cast<const std::uint8_t*>(&m));
    if (stopped(cancel)) {
        c.cancelled_ = true;
        return c;
    }
    if (c.format_ == 2) {
        auto w = BitsetReader(reader, sb.dirtyRoot, n, "dirty bitset").words();
        if (w)
            c.dirtyWords_ = std::move(*w);
        else
            c.errors_.push_back(w.error().describe());
    }
    for (std::uint64_t i = 0; i < n; ++i) {
        if (!readable[i]) continue;
        const std::uint64_t m = c.mappings_[i];
        if (!(m & CacheSuperblock::kMappingValid)) {
            c.states_[i] = Unmapped;
            continue;
        }
        ++c.valid_;
        c.originExtent_ = std::max(c.originExtent_, originOf(m) + 1);
        const bool dirty = c.format_ == 2
                               ? (!c.dirtyWords_.empty() && BitsetReader::testIn(c.dirtyWords_, i))
                               : (m & CacheSuperblock::kMappingDirty) != 0;
        c.states_[i] = dirty ? Dirty : Clean;
        c.dirty_ += dirty;
    }

    c.hintWidth_ = sb.hintWidth();
    if (sb.hintRoot != 0) {
        if (auto vs = ArrayReader::firstBlockValueSize(reader, sb.hintRoot); vs && *vs && **vs)
            c.hintWidth_ = **vs;
        else if (!vs)
            c.errors_.push_back(vs.error().describe());
        if (c.hintWidth_ > 0 && c.hintWidth_ <= 128) {
            c.hints_.assign(n * c.hintWidth_, 0);
            c.hintBlocks_.assign(n / arrayMaxEntries(c.hintWidth_) + 1, 0);
            ArrayReader hints(reader, sb.hintRoot, n, c.hintWidth_, "hint array");
            CollectVisitor v(c.hints_.data(), c.hintWidth_, n, c.hintBlocks_, nullptr, cancel);
            hints.walk(v);
            c.errors_.insert(c.errors_.end(), v.errors_.begin(), v.errors_.end());
        }
    }
    if (stopped(cancel)) {
        c.cancelled_ = true;
        return c;
    }
    if (sb.discardRoot != 0) {
        BitsetReader discards(reader, sb.discardRoot, sb.discardNrBlocks, "discard bitset");
        if (Status s = discards.array().plausible(); !s) {
            c.errors_.push_back(s.error().describe());
        } else if (auto w = discards.words()) {
            c.discardWords_ = std::move(*w);
            c.discardNrBlocks_ = sb.discardNrBlocks;
            for (std::uint64_t i = 0; i < c.discardNrBlocks_; ++i)
                c.discarded_ += BitsetReader::testIn(c.discardWords_, i);
        } else {
            c.errors_.push_back(w.error().describe());
        }
    }
    return c;
}

CacheContents CacheContents::load(const BlockReader& reader, const CacheSuperblock& sb,
                                  const std::atomic<bool>* cancel) {
    // A hostile length passes plausible() on a big device and may still not fit in memory: the
    // view says so instead of the worker thread ending the program.
    try {
        return loadAll(reader, sb, cancel);
    } catch (const std::bad_alloc&) {
        CacheContents c;
        c.errors_.push_back("block 0, field cache_blocks: too many entries to hold in memory");
        return c;
    }
}

bool CacheContents::dirtyBit(std::uint32_t cblock) const {
    if (format_ == 2) return !dirtyWords_.empty() && BitsetReader::testIn(dirtyWords_, cblock);
    return (mappings_[cblock] & CacheSuperblock::kMappingDirty) != 0;
}

std::uint64_t CacheContents::mappingBlockOf(std::uint32_t cblock) const {
    const std::size_t i = cblock / 509;
    return i < mappingBlocks_.size() ? mappingBlocks_[i] : 0;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>>
CacheContents::cacheBlocksIn(std::uint64_t block) const {
    if (block == 0) return std::nullopt;
    for (std::size_t i = 0; i < mappingBlocks_.size(); ++i) {
        if (mappingBlocks_[i] != block) continue;
        const auto first = std::uint32_t(i * 509);
        const auto last = std::uint32_t(std::min<std::uint64_t>(cacheBlocks_, (i + 1) * 509) - 1);
        return std::make_pair(first, last);
    }
    return std::nullopt;
}

std::uint32_t CacheContents::hintsPerBlock() const {
    return hintWidth_ ? arrayMaxEntries(hintWidth_) : 0;
}

std::uint64_t CacheContents::hintBlockOf(std::uint32_t cblock) const {
    if (!hintWidth_) return 0;
    const std::size_t i = cblock / hintsPerBlock();
    return i < hintBlocks_.size() ? hintBlocks_[i] : 0;
}

bool CacheContents::discarded(std::uint64_t dblock) const {
    return dblock < discardNrBlocks_ && BitsetReader::testIn(discardWords_, dblock);
}

} // namespace dms
