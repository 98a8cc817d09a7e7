#include "core/spacemap/BitmapBlock.h"

namespace dms {

BitmapTally tallyBitmap(const std::uint8_t* block, std::uint64_t n) {
    BitmapTally t;
    const std::uint8_t* p = block + kBitmapPayloadOffset;
    std::uint64_t e = 0;
    // Whole 64-bit words first: 32 entries each. For each 2-bit pair, hi = even bit, lo = odd.
    for (; e + 32 <= n; e += 32) {
        const std::uint64_t w = loadLe64(p + e / 4);
        const std::uint64_t hi = w & 0x5555555555555555ull;
        const std::uint64_t lo = (w >> 1) & 0x5555555555555555ull;
        const auto both = static_cast<std::uint64_t>(__builtin_popcountll(hi & lo));
        const auto onlyHi = static_cast<std::uint64_t>(__builtin_popcountll(hi & ~lo));
        const auto onlyLo = static_cast<std::uint64_t>(__builtin_popcountll(lo & ~hi));
        t.byValue[3] += both;
        t.byValue[2] += onlyHi;
        t.byValue[1] += onlyLo;
        t.byValue[0] += 32 - both - onlyHi - onlyLo;
    }
    for (; e < n; ++e)
        ++t.byValue[bitmapEntry(block, e)];
    return t;
}

} // namespace dms
