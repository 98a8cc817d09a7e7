#pragma once
// Level-of-detail summaries for the block map: for every cell of levels base..top of a
// BlockMapLayout, how many of its blocks fall in each colour class. A zoomed-out pixel is one such
// cell, so painting never touches more blocks than pixels. Levels below the base are not stored:
// they cover at most 4^base blocks a pixel and are tallied from the source when painted.
//
// Memory: counts are u16 while a cell holds at most 65535 blocks (levels <= 7), u32 above; with
// base level 4 a billion-block data space map takes about 56 MB for 5 classes.

#include "models/BlockClassSource.h"
#include "models/BlockMapLayout.h"

#include <functional>
#include <vector>

namespace dms {

class BlockMapPyramid {
public:
    // done and total are in blocks; returning false cancels the build.
    using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

    BlockMapPyramid() = default;

    // Builds levels min(baseLevel, top)..top. Empty when cancelled.
    static std::optional<BlockMapPyramid> build(const BlockClassSource& source,
                                                const BlockMapLayout& layout, unsigned baseLevel,
                                                const Progress& progress = {});
    // 3 (64 blocks a cell) for metadata-sized maps, 4 (256) beyond 16 M blocks.
    static unsigned baseLevelFor(std::uint64_t blocks);

    unsigned baseLevel() const { return base_; }
    unsigned topLevel() const { return base_ + static_cast<unsigned>(levels_.size()) - 1; }
    unsigned classCount() const { return classes_; }
    bool stores(unsigned k) const { return !levels_.empty() && k >= base_ && k <= topLevel(); }

    // Adds the class counts of level-k cell c (stores(k), c inside the level) to out.
    void addCounts(unsigned k, GridCell c, std::uint32_t* out) const;
    // Blocks per class over the whole map.
    const std::vector<std::uint64_t>& totals() const { return totals_; }
    std::size_t memoryBytes() const;

private:
    struct Level {
        std::uint32_t width = 0;
        std::uint32_t height = 0;
        bool wide = false; // u32 counts
        std::vector<std::uint16_t> narrow;
        std::vector<std::uint32_t> large;

        void allocate(std::uint32_t w, std::uint32_t h, unsigned classes, bool useWide);
        std::uint32_t get(std::size_t i) const { return wide ? large[i] : narrow[i]; }
        void add(std::size_t i, std::uint32_t v) {
            if (wide)
                large[i] += v;
            else
                narrow[i] = static_cast<std::uint16_t>(narrow[i] + v);
        }
    };
    void sumUp(unsigned k);

    unsigned base_ = 0;
    unsigned classes_ = 0;
    std::vector<Level> levels_; // levels_[i] is level base_ + i
    std::vector<std::uint64_t> totals_;
};

} // namespace dms
