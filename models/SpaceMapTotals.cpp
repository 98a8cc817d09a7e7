#include "models/SpaceMapTotals.h"

#include "core/thin/ThinMetadata.h"

namespace dms {

namespace {

// The totals' fixed part and the opened reader, or the totals with the reason it did not open.
std::optional<SpaceMapReader> openFor(SpaceMapTotals& t, const ThinMetadata& md,
                                      const SpaceMapRoot& root, SpaceMapKind kind) {
    t.kind = kind;
    t.root = root;
    if (!t.stored()) return std::nullopt;
    auto sm = SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) {
        t.error = sm.error().describe();
        return std::nullopt;
    }
    return std::move(*sm);
}

} // namespace

SpaceMapTotals SpaceMapTotals::count(const ThinMetadata& md, const SpaceMapRoot& root,
                                     SpaceMapKind kind) {
    SpaceMapTotals t;
    auto sm = openFor(t, md, root, kind);
    if (!sm) return t;
    auto n = sm->countAllocated();
    if (n)
        t.allocated = *n;
    else
        t.error = n.error().describe();
    return t;
}

SpaceMapTotals SpaceMapTotals::estimate(const ThinMetadata& md, const SpaceMapRoot& root,
                                        SpaceMapKind kind) {
    SpaceMapTotals t;
    auto sm = openFor(t, md, root, kind);
    if (!sm) return t;
    std::uint64_t free = 0;
    for (const IndexEntry& e : sm->indexEntries())
        free += e.nrFree;
    t.allocated = root.nrBlocks >= free ? root.nrBlocks - free : 0;
    t.fromIndex = true;
    return t;
}

SpaceMapTotals SpaceMapTotals::quick(const ThinMetadata& md, const SpaceMapRoot& root,
                                     SpaceMapKind kind, std::size_t maxBitmaps) {
    const std::uint64_t bitmaps = (root.nrBlocks + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    return bitmaps <= maxBitmaps ? count(md, root, kind) : estimate(md, root, kind);
}

} // namespace dms
