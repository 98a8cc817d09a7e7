#pragma once
// Block classes of a space map straight from its bitmaps (FORMAT.md §5: 2-bit counts, 3 meaning
// "three or more"): free, used once, shared by 2, shared by 3 or more, or bitmap unreadable. The
// data space map of a pool can hold a billion blocks, too many to keep per block, so the block map
// reads them from here: in bulk for the pyramid's coarse base, and per block only for the tiles
// shown when zoomed in close. Counting uses a per-byte table (four entries at once).

#include "core/Block.h"
#include "models/BlockClassSource.h"

namespace dms {

class BitmapClassSource : public BlockClassSource {
public:
    enum Class : unsigned { Free, UsedOnce, SharedByTwo, SharedByMore, Unreadable, ClassCount };

    explicit BitmapClassSource(std::uint64_t blocks) : blocks_(blocks) {}

    std::uint64_t blockCount() const override { return blocks_; }
    unsigned classCount() const override { return ClassCount; }
    unsigned classOf(std::uint64_t b) const override;
    void tally(std::uint64_t first, std::uint64_t n, std::uint32_t* counts) const override;
    // Reads each bitmap once for all the runs it holds.
    void tallyRuns(std::uint64_t first, std::uint64_t length, std::uint64_t runs,
                   std::uint32_t* counts) const override;

    // Bitmap i (covering blocks i*16320 ...), validated; an invalid Block when it cannot be read.
    virtual Block bitmap(std::uint64_t i) const = 0;

private:
    std::uint64_t blocks_;
};

} // namespace dms
