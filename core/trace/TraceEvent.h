#pragma once
// Trace events of the write machinery: one event per step of the space maps and the transaction
// manager, carrying the state a viewer needs to redraw (ring cursors, depth, allocation cursor,
// allocated_this_transaction, free counts). Emitted only when an observer is attached, so an
// unobserved edit pays one pointer test per step.

#include <cstdint>
#include <string>

namespace dms {

enum class TraceKind {
    OpRequested,         // inc/dec/new/set_count/commit/extend asked of a space map
    BopPushed,           // a block op queued in the ring buffer (recursing or bootstrap)
    BopPopped,           // taken off the ring to be applied
    BopApplied,          // its inc/dec reached the low-level map
    RecursionDepth,      // in()/out(): value = new depth
    BitmapEntryChanged,  // a 2-bit entry: oldValue -> newValue
    RefCountTreeChanged, // refcount-tree entry inserted/updated (newValue) or removed (0)
    IndexEntryChanged,   // an index entry's bitmap location or nr_free changed
    BlockShadowed,       // block -> newBlock copy-on-write
    BlockAllocated,      // a new block handed out
    BlockFreed,          // a count reached 0
    ThresholdChecked,    // value = free count checked against the threshold
    ThresholdFired,      // the edge-triggered callback ran
    ModeChanged,         // bootstrap <-> normal
    Committed,           // a space map or the transaction committed
};

const char* traceKindName(TraceKind kind);

enum class TraceSource { MetadataSpaceMap, DataSpaceMap, TransactionManager };

// The machine's state right after the event.
struct SpaceMapState {
    std::uint32_t ringBegin = 0;
    std::uint32_t ringEnd = 0;
    std::uint32_t recursionDepth = 0;
    std::uint64_t cursor = 0; // next block the allocator searches from
    std::uint64_t allocatedThisTransaction = 0;
    std::uint64_t nrFree = 0; // committed free minus allocated this transaction
    bool bootstrap = false;
};

struct TraceEvent {
    TraceKind kind = TraceKind::OpRequested;
    TraceSource source = TraceSource::MetadataSpaceMap;
    std::string op;          // "inc", "dec", "new", "set_count", "commit", "extend", ...
    std::uint64_t block = 0; // the block the event is about
    std::uint64_t newBlock = 0;
    std::uint64_t oldValue = 0;
    std::uint64_t newValue = 0;
    SpaceMapState state;
};

class TraceObserver {
public:
    virtual ~TraceObserver() = default;
    virtual void onTrace(const TraceEvent& event) = 0;
};

} // namespace dms
