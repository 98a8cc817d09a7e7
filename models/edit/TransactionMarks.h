#pragma once
// The metadata blocks shadowed, allocated and freed by a run of trace events (an edit session's
// pending operations, or the first `count` of its events, as far as the stepper has gone), for
// the block map's marks.

#include "models/edit/EditSession.h"

#include <set>

namespace dms {

// Takes trace events one at a time; blocks() lists each kind sorted, without duplicates.
class TransactionBlockCollector {
public:
    void add(const TraceEvent& e);
    TransactionBlocks blocks() const;

private:
    std::set<std::uint64_t> shadowed_, allocated_, freed_;
};

TransactionBlocks transactionBlocksOf(const std::vector<TraceEvent>& events, std::size_t count);

} // namespace dms
