#include "app/cli/TracePrinter.h"

namespace dms::cli {

namespace {
const char* sourceName(TraceSource s) {
    switch (s) {
    case TraceSource::MetadataSpaceMap:
        return "meta-sm";
    case TraceSource::DataSpaceMap:
        return "data-sm";
    case TraceSource::TransactionManager:
        return "tm";
    }
    return "?";
}
} // namespace

void TracePrinter::onTrace(const TraceEvent& e) {
    ++count_;
    out_ << count_ << ' ' << sourceName(e.source) << ' ' << traceKindName(e.kind);
    if (!e.op.empty()) out_ << ' ' << e.op;
    switch (e.kind) {
    case TraceKind::BlockShadowed:
        out_ << " block=" << e.block << " copy=" << e.newBlock;
        break;
    case TraceKind::BitmapEntryChanged:
    case TraceKind::RefCountTreeChanged:
    case TraceKind::RecursionDepth:
    case TraceKind::ThresholdChecked:
    case TraceKind::ThresholdFired:
        out_ << " block=" << e.block << ' ' << e.oldValue << "->" << e.newValue;
        break;
    case TraceKind::BopPushed:
    case TraceKind::BopPopped:
        out_ << " block=" << e.block;
        if (e.newValue > e.block + 1) out_ << ".." << e.newValue - 1;
        break;
    case TraceKind::Committed:
        if (e.op == "extend")
            out_ << " round: cursor " << e.oldValue << "->" << e.newValue;
        else
            out_ << " block=" << e.block;
        break;
    case TraceKind::IndexEntryChanged:
        out_ << " index=" << e.block << " bitmap " << e.oldValue << "->" << e.newValue;
        break;
    default:
        out_ << " block=" << e.block;
        break;
    }
    if (e.source != TraceSource::TransactionManager) {
        const SpaceMapState& s = e.state;
        out_ << " | ring=[" << s.ringBegin << ',' << s.ringEnd << ") depth=" << s.recursionDepth
             << " cursor=" << s.cursor << " allocated_this_tx=" << s.allocatedThisTransaction
             << " free=" << s.nrFree << (s.bootstrap ? " bootstrap" : "");
    }
    out_ << '\n';
}

} // namespace dms::cli
