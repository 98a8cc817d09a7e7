#include "models/BlockMapPyramid.h"

#include <array>

namespace dms {

void BlockMapPyramid::Level::allocate(std::uint32_t w, std::uint32_t h, unsigned classes,
                                      bool useWide) {
    width = w;
    height = h;
    wide = useWide;
    const std::size_t n = std::size_t(w) * h * classes;
    if (wide)
        large.assign(n, 0);
    else
        narrow.assign(n, 0);
}

unsigned BlockMapPyramid::baseLevelFor(std::uint64_t blocks) {
    return blocks > (std::uint64_t(16) << 20) ? 4 : 3;
}

std::optional<BlockMapPyramid> BlockMapPyramid::build(const BlockClassSource& source,
                                                      const BlockMapLayout& layout,
                                                      unsigned baseLevel,
                                                      const Progress& progress) {
    BlockMapPyramid p;
    p.classes_ = source.classCount();
    p.base_ = std::min(baseLevel, layout.topLevel());
    const unsigned top = layout.topLevel();
    p.levels_.resize(top - p.base_ + 1);
    for (unsigned k = p.base_; k <= top; ++k)
        p.levels_[k - p.base_].allocate(layout.levelWidth(k), layout.levelHeight(k), p.classes_,
                                        k > 7);

    // The base, one aligned run of consecutive blocks at a time (a run never straddles cells).
    Level& base = p.levels_[0];
    const std::uint64_t blocks = std::min(source.blockCount(), layout.blocks());
    const std::uint64_t run = layout.runLength(p.base_);
    // Runs are tallied in batches (a bitmap source reads each bitmap once a batch).
    constexpr std::uint64_t kBatch = 4096;
    std::vector<std::uint32_t> tally(kBatch * p.classes_);
    for (std::uint64_t b = 0; b < blocks; b += run * kBatch) {
        if (progress && !progress(b, blocks)) return std::nullopt;
        const std::uint64_t runs = std::min(kBatch, (blocks - b + run - 1) / run);
        std::fill(tally.begin(), tally.end(), 0);
        source.tallyRuns(b, run, runs, tally.data());
        for (std::uint64_t r = 0; r < runs; ++r) {
            const GridCell c = layout.cellOf(b + r * run);
            const std::size_t at =
                (std::size_t(c.y >> p.base_) * base.width + (c.x >> p.base_)) * p.classes_;
            const std::uint32_t* t = &tally[r * p.classes_];
            for (unsigned k = 0; k < p.classes_; ++k)
                if (t[k]) base.add(at + k, t[k]);
        }
    }
    for (unsigned k = p.base_ + 1; k <= top; ++k)
        p.sumUp(k);
    p.totals_.assign(p.classes_, 0);
    std::array<std::uint32_t, BlockClassSource::kMaxClasses> all{};
    p.addCounts(top, {0, 0}, all.data());
    for (unsigned k = 0; k < p.classes_; ++k)
        p.totals_[k] = all[k];
    if (progress) progress(blocks, blocks);
    return p;
}

void BlockMapPyramid::sumUp(unsigned k) {
    const Level& child = levels_[k - 1 - base_];
    Level& level = levels_[k - base_];
    for (std::uint32_t y = 0; y < child.height; ++y)
        for (std::uint32_t x = 0; x < child.width; ++x) {
            const std::size_t from = (std::size_t(y) * child.width + x) * classes_;
            const std::size_t to = (std::size_t(y >> 1) * level.width + (x >> 1)) * classes_;
            for (unsigned c = 0; c < classes_; ++c)
                if (const std::uint32_t v = child.get(from + c)) level.add(to + c, v);
        }
}

void BlockMapPyramid::addCounts(unsigned k, GridCell c, std::uint32_t* out) const {
    const Level& level = levels_[k - base_];
    const std::size_t at = (std::size_t(c.y) * level.width + c.x) * classes_;
    for (unsigned i = 0; i < classes_; ++i)
        out[i] += level.get(at + i);
}

std::size_t BlockMapPyramid::memoryBytes() const {
    std::size_t bytes = 0;
    for (const Level& l : levels_)
        bytes += l.narrow.capacity() * sizeof(std::uint16_t) +
                 l.large.capacity() * sizeof(std::uint32_t);
    return bytes;
}

} // namespace dms
