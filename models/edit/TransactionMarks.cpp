#include "models/edit/TransactionMarks.h"

#include <algorithm>

namespace dms {

// Only the metadata device's blocks: the data space map's events are left out.
void TransactionBlockCollector::add(const TraceEvent& e) {
    if (e.source == TraceSource::DataSpaceMap) return;
    if (e.kind == TraceKind::BlockShadowed) shadowed_.insert(e.block);
    if (e.kind == TraceKind::BlockAllocated && e.source == TraceSource::MetadataSpaceMap)
        allocated_.insert(e.block);
    if (e.kind == TraceKind::BlockFreed) freed_.insert(e.block);
}

TransactionBlocks TransactionBlockCollector::blocks() const {
    return {{shadowed_.begin(), shadowed_.end()},
            {allocated_.begin(), allocated_.end()},
            {freed_.begin(), freed_.end()}};
}

TransactionBlocks transactionBlocksOf(const std::vector<TraceEvent>& events, std::size_t count) {
    TransactionBlockCollector c;
    for (std::size_t i = 0; i < std::min(count, events.size()); ++i)
        c.add(events[i]);
    return c.blocks();
}

} // namespace dms
