#pragma once
// Compares a space-map bitmap block (FORMAT.md §5: 2-bit entries, bit 2k worth 2, bit 2k+1
// worth 1 within each LE u64 word) with expected counts held one byte per block, 32 entries
// at a time: only entries that differ, or hold 3 ("look in the refcount tree"), reach the
// callback. Expected bytes are compared as min(count, 3).

#include "core/Endian.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace dms {

struct BitmapScanResult {
    std::uint64_t nonZero = 0; // entries with a count > 0 on disk
};

// fn(entry, value) for entries e < n needing a closer look; stop early by returning false.
template <class Fn>
BitmapScanResult scanBitmap(const std::uint8_t* block, const std::uint8_t* expected,
                            std::uint64_t n, Fn&& fn) {
    constexpr std::uint64_t kLowBits = 0x5555555555555555ull;
    BitmapScanResult r;
    const std::uint64_t words = (n + 31) / 32;
    for (std::uint64_t w = 0; w < words; ++w) {
        std::uint64_t word = loadLe64(block + 16 + 8 * w);
        const std::uint64_t cnt = (n - 32 * w) < 32 ? (n - 32 * w) : 32;
        if (cnt < 32) word &= (std::uint64_t(1) << (2 * cnt)) - 1;
        const std::uint8_t* exp = expected + 32 * w;
        if (word == 0 && cnt == 32) {
            std::uint64_t a, b, c, d;
            std::memcpy(&a, exp, 8);
            std::memcpy(&b, exp + 8, 8);
            std::memcpy(&c, exp + 16, 8);
            std::memcpy(&d, exp + 24, 8);
            if ((a | b | c | d) == 0) continue;
        }
        std::uint64_t want = 0;
        for (std::uint64_t k = 0; k < cnt; ++k) {
            const unsigned v = exp[k] > 3 ? 3u : exp[k];
            want |= std::uint64_t(((v >> 1) & 1u) | ((v & 1u) << 1)) << (2 * k);
        }
        r.nonZero += std::popcount((word | (word >> 1)) & kLowBits);
        const std::uint64_t threes = word & (word >> 1) & kLowBits;
        const std::uint64_t diff = word ^ want;
        std::uint64_t todo = ((diff | (diff >> 1)) & kLowBits) | threes;
        while (todo) {
            const unsigned s = static_cast<unsigned>(std::countr_zero(todo));
            const unsigned value =
                unsigned((word >> s) & 1u) << 1 | unsigned((word >> (s + 1)) & 1u);
            if (!fn(32 * w + s / 2, value)) return r;
            todo &= todo - 1;
        }
    }
    return r;
}

} // namespace dms
