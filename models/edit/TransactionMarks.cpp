#include "models/edit/TransactionMarks.h"

#include <set>

namespace dms {

// The same classification as EditSession::transactionBlocks(), over a prefix of events.
TransactionBlocks transactionBlocksOf(const std::vector<TraceEvent>& events, std::size_t count) {
    std::set<std::uint64_t> shadowed, allocated, freed;
    for (std::size_t i = 0; i < std::min(count, events.size()); ++i) {
        const TraceEvent& e = events[i];
        if (e.source == TraceSource::DataSpaceMap) continue;
        if (e.kind == TraceKind::BlockShadowed) shadowed.insert(e.block);
        if (e.kind == TraceKind::BlockAllocated && e.source == TraceSource::MetadataSpaceMap)
            allocated.insert(e.block);
        if (e.kind == TraceKind::BlockFreed) freed.insert(e.block);
    }
    return {{shadowed.begin(), shadowed.end()},
            {allocated.begin(), allocated.end()},
            {freed.begin(), freed.end()}};
}

} // namespace dms
