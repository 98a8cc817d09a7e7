#pragma once
// The metadata blocks shadowed, allocated and freed by a run of trace events (the first `count`
// of an edit session's events, as far as the stepper has gone), for the block map's marks.

#include "models/edit/EditSession.h"

namespace dms {

TransactionBlocks transactionBlocksOf(const std::vector<TraceEvent>& events, std::size_t count);

} // namespace dms
