#include "models/HilbertCurve.h"

#include <utility>

namespace dms {
namespace {

// Reflects and transposes the quadrant so that the sub-curve enters and leaves where its parent
// expects it.
inline void rotate(std::uint64_t n, std::uint64_t& x, std::uint64_t& y, std::uint64_t rx,
                   std::uint64_t ry) {
    if (ry != 0) return;
    if (rx == 1) {
        x = n - 1 - x;
        y = n - 1 - y;
    }
    std::swap(x, y);
}

} // namespace

GridCell HilbertCurve::cellOf(std::uint64_t d) const {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    for (std::uint64_t s = 1; s < side(); s <<= 1) {
        const std::uint64_t rx = 1 & (d >> 1);
        const std::uint64_t ry = 1 & (d ^ rx);
        rotate(s, x, y, rx, ry);
        x += s * rx;
        y += s * ry;
        d >>= 2;
    }
    return {static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
}

std::uint64_t HilbertCurve::indexOf(GridCell c) const {
    std::uint64_t x = c.x;
    std::uint64_t y = c.y;
    std::uint64_t d = 0;
    for (std::uint64_t s = side() >> 1; s > 0; s >>= 1) {
        const std::uint64_t rx = (x & s) ? 1 : 0;
        const std::uint64_t ry = (y & s) ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        rotate(side(), x, y, rx, ry);
    }
    return d;
}

unsigned HilbertCurve::orderFor(std::uint64_t n) {
    unsigned order = 0;
    while (order < kMaxOrder && (std::uint64_t(1) << (2 * order)) < n)
        ++order;
    return order;
}

} // namespace dms
