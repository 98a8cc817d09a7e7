#pragma once
// Where each block of a device sits on the block map's grid. Hilbert: a square of side 2^order
// along the Hilbert curve (stable under zoom: an aligned 2^k square is always the same 4^k
// consecutive blocks). Linear: rows of `width` blocks, left to right, top to bottom; width is the
// same power of two, so both layouts aggregate into the same pyramid of 2x2 cells.
//
// Level k of the grid has cells of 2^k x 2^k level-0 cells (level 0 = one block per cell).

#include "models/HilbertCurve.h"

#include <algorithm>
#include <optional>

namespace dms {

class BlockMapLayout {
public:
    enum class Kind { Hilbert, Linear };

    BlockMapLayout() = default;
    BlockMapLayout(Kind kind, std::uint64_t blocks);

    Kind kind() const { return kind_; }
    std::uint64_t blocks() const { return blocks_; }
    // log2 of the grid's height (Hilbert: the curve's side; a map that fills no more than half
    // of it is shown as the left half only); the level at which the whole grid is one cell.
    unsigned order() const { return order_; }
    unsigned topLevel() const { return order_; }
    std::uint32_t width() const { return width_; }
    std::uint32_t height() const { return height_; }
    std::uint32_t levelWidth(unsigned k) const { return ceilShift(width_, k); }
    std::uint32_t levelHeight(unsigned k) const { return ceilShift(height_, k); }
    // The grid's size in pixels at zoom z: a block is 2^z pixels, or (z < 0) a level -z cell one.
    std::uint64_t pixelWidth(int z) const {
        return z >= 0 ? std::uint64_t(width_) << z : levelWidth(static_cast<unsigned>(-z));
    }
    std::uint64_t pixelHeight(int z) const {
        return z >= 0 ? std::uint64_t(height_) << z : levelHeight(static_cast<unsigned>(-z));
    }

    // b < blocks().
    GridCell cellOf(std::uint64_t b) const;
    // The block shown at level-0 cell c, if any.
    std::optional<std::uint64_t> blockAt(GridCell c) const;

    // The longest aligned run of consecutive blocks that always stays inside one level-k cell.
    std::uint64_t runLength(unsigned k) const;

    // Calls fn(first, count) for each run of consecutive blocks inside level-k cell c (Hilbert:
    // one run; linear: one per row), clipped to the blocks that exist.
    template <typename Fn> void forEachRun(unsigned k, GridCell c, Fn&& fn) const {
        if (kind_ == Kind::Hilbert) {
            // The square's indices share their high bits: any corner, rounded down, is the first.
            const std::uint64_t n = std::uint64_t(1) << (2 * k);
            const std::uint64_t first = curve_.indexOf({c.x << k, c.y << k}) & ~(n - 1);
            if (first < blocks_) fn(first, std::min(n, blocks_ - first));
            return;
        }
        const std::uint64_t x0 = std::uint64_t(c.x) << k;
        if (x0 >= width_) return;
        const std::uint64_t w = std::min<std::uint64_t>(std::uint64_t(1) << k, width_ - x0);
        const std::uint64_t y0 = std::uint64_t(c.y) << k;
        for (std::uint64_t y = y0; y < y0 + (std::uint64_t(1) << k); ++y) {
            const std::uint64_t first = y * width_ + x0;
            if (first >= blocks_) return;
            fn(first, std::min(w, blocks_ - first));
        }
    }

private:
    static std::uint32_t ceilShift(std::uint32_t v, unsigned k) {
        return static_cast<std::uint32_t>((std::uint64_t(v) + (std::uint64_t(1) << k) - 1) >> k);
    }

    Kind kind_ = Kind::Hilbert;
    std::uint64_t blocks_ = 0;
    unsigned order_ = 0;
    std::uint32_t width_ = 1;
    std::uint32_t height_ = 1;
    HilbertCurve curve_{0};
};

} // namespace dms
