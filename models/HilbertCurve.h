#pragma once
// The Hilbert curve over a square grid of side 2^order: index d <-> cell (x, y). Every aligned
// 2^k x 2^k square of the grid holds 4^k consecutive indices, which is why the block map uses it:
// a zoomed-out pixel is one contiguous range of blocks, and neighbouring blocks stay neighbours at
// every zoom level.

#include <cstdint>

namespace dms {

struct GridCell {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    friend bool operator==(const GridCell&, const GridCell&) = default;
};

class HilbertCurve {
public:
    static constexpr unsigned kMaxOrder = 31;

    // order <= kMaxOrder; side 2^order.
    explicit HilbertCurve(unsigned order) : order_(order) {}

    unsigned order() const { return order_; }
    std::uint64_t side() const { return std::uint64_t(1) << order_; }

    // d < side()^2.
    GridCell cellOf(std::uint64_t d) const;
    // x, y < side().
    std::uint64_t indexOf(GridCell c) const;

    // The smallest order whose grid holds n cells.
    static unsigned orderFor(std::uint64_t n);

private:
    unsigned order_;
};

} // namespace dms
