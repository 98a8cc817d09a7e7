#include "bench/gui/SyntheticBitmaps.h"

#include "core/spacemap/BitmapBlock.h"

namespace dms::bench {
namespace {

std::uint64_t mixBits(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

SyntheticBitmaps::SyntheticBitmaps(std::uint64_t blocks)
    : BitmapClassSource(blocks), patterns_(kPatterns * 4096, 0) {
    std::uint64_t seed = 42;
    for (unsigned p = 0; p < kPatterns; ++p) {
        std::uint8_t* block = &patterns_[p * 4096];
        // Pattern density: 0 = empty, 1 = full, else used runs among free gaps.
        const unsigned density = p == 0 ? 0 : p == 1 ? 1000 : (p * 997) % 1000;
        std::uint64_t e = 0;
        while (e < kEntriesPerBitmap) {
            const std::uint64_t r = mixBits(++seed);
            const std::uint64_t run = 1 + r % 600;
            const bool used = (r >> 20) % 1000 < density;
            const unsigned value = !used ? 0 : (r >> 40) % 10 < 7 ? 1 : (r >> 44) % 3 ? 2 : 3;
            for (std::uint64_t i = 0; i < run && e < kEntriesPerBitmap; ++i, ++e)
                setBitmapEntry(block, e, value);
        }
    }
}

Block SyntheticBitmaps::bitmap(std::uint64_t i) const {
    // Neighbouring bitmaps often alike, as allocation leaves them: regions of one pattern.
    const std::uint64_t region = mixBits(i / 16 + 1);
    const unsigned p = static_cast<unsigned>((region ^ (i % 3 == 0 ? mixBits(i) : 0)) % kPatterns);
    return Block::borrowed(i, &patterns_[std::size_t(p) * 4096]);
}

} // namespace dms::bench
