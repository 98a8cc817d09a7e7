#include "models/BlockMapLayout.h"

namespace dms {

BlockMapLayout::BlockMapLayout(Kind kind, std::uint64_t blocks)
    : kind_(kind), blocks_(blocks), order_(HilbertCurve::orderFor(blocks)), curve_(order_) {
    width_ = static_cast<std::uint32_t>(std::uint64_t(1) << order_);
    if (kind_ == Kind::Hilbert) {
        height_ = width_;
        // The first half of the curve fills the left half of the square: don't show an empty
        // right half.
        if (order_ > 0 && blocks <= (std::uint64_t(1) << (2 * order_ - 1))) width_ /= 2;
    } else {
        // At least one row, so an empty device still has a (blank) cell to show.
        height_ =
            static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (blocks + width_ - 1) / width_));
    }
}

GridCell BlockMapLayout::cellOf(std::uint64_t b) const {
    if (kind_ == Kind::Hilbert) return curve_.cellOf(b);
    return {static_cast<std::uint32_t>(b % width_), static_cast<std::uint32_t>(b / width_)};
}

std::optional<std::uint64_t> BlockMapLayout::blockAt(GridCell c) const {
    if (c.x >= width_ || c.y >= height_) return std::nullopt;
    const std::uint64_t b =
        kind_ == Kind::Hilbert ? curve_.indexOf(c) : std::uint64_t(c.y) * width_ + c.x;
    if (b >= blocks_) return std::nullopt;
    return b;
}

std::uint64_t BlockMapLayout::runLength(unsigned k) const {
    if (kind_ == Kind::Hilbert) return std::uint64_t(1) << (2 * k);
    return std::min<std::uint64_t>(std::uint64_t(1) << k, width_);
}

} // namespace dms
