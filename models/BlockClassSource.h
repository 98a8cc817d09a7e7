#pragma once
// What the block map colours: a class (a small integer: a role, a count bucket, an owner) for each
// block of one device, read in bulk. Implementations: MetadataClassSource (from a BlockMap) and
// BitmapClassSource (from space-map bitmaps, for the data space map). Read from the UI thread and
// from the pyramid's worker at once, so implementations are const and hold no mutable state.

#include <algorithm>
#include <cstdint>
#include <optional>

namespace dms {

class BlockClassSource {
public:
    static constexpr unsigned kMaxClasses = 32;

    virtual ~BlockClassSource() = default;

    virtual std::uint64_t blockCount() const = 0;
    virtual unsigned classCount() const = 0;
    // b < blockCount().
    virtual unsigned classOf(std::uint64_t b) const = 0;
    // Adds the classes of blocks [first, first + n) to counts[0 .. classCount()).
    virtual void tally(std::uint64_t first, std::uint64_t n, std::uint32_t* counts) const = 0;
    // The exact value behind a block whose class is a range (a count of 3 or more), drawn in
    // cells large enough for text; empty where the class says it all. Read lazily, only for the
    // blocks of the tiles shown zoomed in close.
    virtual std::optional<std::uint32_t> exactValue(std::uint64_t /*b*/) const {
        return std::nullopt;
    }
    // tally() of `runs` consecutive runs of `length` blocks from `first` (the last may be short),
    // into counts[run * classCount() ...], which the caller zeroed. Sources override it when a
    // run costs more to find than to count (bitmaps).
    virtual void tallyRuns(std::uint64_t first, std::uint64_t length, std::uint64_t runs,
                           std::uint32_t* counts) const {
        for (std::uint64_t r = 0; r < runs && first + r * length < blockCount(); ++r)
            tally(first + r * length, std::min(length, blockCount() - first - r * length),
                  counts + r * classCount());
    }
};

} // namespace dms
