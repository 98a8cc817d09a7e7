#pragma once
// A data space map of any size without an image behind it: each bitmap is one of 64 fixed
// patterns (empty, full, runs of used and shared blocks of varied density), picked by a hash of
// its index, so a billion-block map costs 256 KiB and reads like bitmaps in the page cache.

#include "models/BitmapClassSource.h"

#include <vector>

namespace dms::bench {

class SyntheticBitmaps : public BitmapClassSource {
public:
    explicit SyntheticBitmaps(std::uint64_t blocks);
    Block bitmap(std::uint64_t i) const override;

private:
    static constexpr unsigned kPatterns = 64;
    std::vector<std::uint8_t> patterns_; // kPatterns blocks of 4096 bytes
};

} // namespace dms::bench
