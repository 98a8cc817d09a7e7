#include "models/BitmapClassSource.h"

#include "core/spacemap/BitmapBlock.h"

#include <array>

namespace dms {
namespace {

// For each bitmap byte: how many of its four entries hold 0, 1, 2 and 3, in 16-bit lanes of a
// u64, so one add counts four entries. A bitmap has 16320 entries: a lane cannot overflow.
constexpr std::array<std::uint64_t, 256> makeLaneTable() {
    std::array<std::uint64_t, 256> t{};
    for (unsigned byte = 0; byte < 256; ++byte) {
        std::uint64_t lanes = 0;
        for (unsigned e = 0; e < 4; ++e) {
            const unsigned hi = (byte >> (2 * e)) & 1u;
            const unsigned lo = (byte >> (2 * e + 1)) & 1u;
            lanes += std::uint64_t(1) << (16 * ((hi << 1) | lo));
        }
        t[byte] = lanes;
    }
    return t;
}
constexpr std::array<std::uint64_t, 256> kLanes = makeLaneTable();

void tallyEntries(const std::uint8_t* block, std::uint64_t e, std::uint64_t n,
                  std::uint32_t* counts) {
    const std::uint64_t end = e + n;
    while (e < end && e % 4 != 0)
        ++counts[bitmapEntry(block, e++)];
    std::uint64_t lanes = 0;
    const std::uint8_t* bytes = block + kBitmapPayloadOffset;
    for (; e + 4 <= end; e += 4)
        lanes += kLanes[bytes[e / 4]];
    for (unsigned v = 0; v < 4; ++v)
        counts[v] += static_cast<std::uint32_t>((lanes >> (16 * v)) & 0xffff);
    while (e < end)
        ++counts[bitmapEntry(block, e++)];
}

} // namespace

unsigned BitmapClassSource::classOf(std::uint64_t b) const {
    const Block bm = bitmap(b / kEntriesPerBitmap);
    if (!bm.valid()) return Unreadable;
    return bitmapEntry(bm.data(), b % kEntriesPerBitmap);
}

void BitmapClassSource::tally(std::uint64_t first, std::uint64_t n, std::uint32_t* counts) const {
    while (n > 0) {
        const std::uint64_t i = first / kEntriesPerBitmap;
        const std::uint64_t e = first % kEntriesPerBitmap;
        const std::uint64_t m = std::min(n, kEntriesPerBitmap - e);
        const Block bm = bitmap(i);
        if (bm.valid())
            tallyEntries(bm.data(), e, m, counts);
        else
            counts[Unreadable] += static_cast<std::uint32_t>(m);
        first += m;
        n -= m;
    }
}

void BitmapClassSource::tallyRuns(std::uint64_t first, std::uint64_t length, std::uint64_t runs,
                                  std::uint32_t* counts) const {
    const std::uint64_t end = std::min(blocks_, first + length * runs);
    Block bm;
    std::uint64_t loaded = ~std::uint64_t(0);
    // Pieces of runs that lie in one bitmap.
    for (std::uint64_t b = first; b < end;) {
        const std::uint64_t run = (b - first) / length;
        const std::uint64_t i = b / kEntriesPerBitmap;
        const std::uint64_t e = b % kEntriesPerBitmap;
        const std::uint64_t runEnd = std::min(end, first + (run + 1) * length);
        const std::uint64_t n = std::min(runEnd - b, kEntriesPerBitmap - e);
        if (i != loaded) {
            bm = bitmap(i);
            loaded = i;
        }
        std::uint32_t* out = counts + run * ClassCount;
        if (bm.valid())
            tallyEntries(bm.data(), e, n, out);
        else
            out[Unreadable] += static_cast<std::uint32_t>(n);
        b += n;
    }
}

} // namespace dms
