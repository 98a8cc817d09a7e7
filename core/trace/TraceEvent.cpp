#include "core/trace/TraceEvent.h"

namespace dms {

const char* traceKindName(TraceKind kind) {
    switch (kind) {
    case TraceKind::OpRequested:
        return "op";
    case TraceKind::BopPushed:
        return "bop-pushed";
    case TraceKind::BopPopped:
        return "bop-popped";
    case TraceKind::BopApplied:
        return "bop-applied";
    case TraceKind::RecursionDepth:
        return "depth";
    case TraceKind::BitmapEntryChanged:
        return "bitmap";
    case TraceKind::RefCountTreeChanged:
        return "refcount-tree";
    case TraceKind::IndexEntryChanged:
        return "index-entry";
    case TraceKind::BlockShadowed:
        return "shadowed";
    case TraceKind::BlockAllocated:
        return "allocated";
    case TraceKind::BlockFreed:
        return "freed";
    case TraceKind::ThresholdChecked:
        return "threshold-checked";
    case TraceKind::ThresholdFired:
        return "threshold-fired";
    case TraceKind::ModeChanged:
        return "mode";
    case TraceKind::Committed:
        return "committed";
    }
    return "event";
}

} // namespace dms
