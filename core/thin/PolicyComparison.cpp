#include "core/thin/PolicyComparison.h"

#include "core/CopyOnWriteBlockSource.h"
#include "core/check/ThinChecker.h"
#include "core/spacemap/BlockOpRing.h"

namespace dms {
namespace {

// Sums up the trace as it goes: no event list is kept (a large edit has millions).
class OutcomeRecorder final : public TraceObserver {
public:
    explicit OutcomeRecorder(PolicyOutcome& out) : out_(out) {}
    void onTrace(const TraceEvent& e) override {
        ++out_.events;
        if (e.source == TraceSource::TransactionManager) {
            if (e.kind == TraceKind::Committed) out_.commits.push_back(out_.allocated.size());
            return;
        }
        if (e.source != TraceSource::MetadataSpaceMap) return;
        const std::uint32_t fill =
            (e.state.ringEnd + BlockOpRing::kSlots - e.state.ringBegin) % BlockOpRing::kSlots;
        out_.peakRingFill = std::max(out_.peakRingFill, fill);
        if (e.kind == TraceKind::BlockAllocated) out_.allocated.push_back(e.block);
        if (e.kind == TraceKind::BlockFreed) out_.freed.push_back(e.block);
    }

private:
    PolicyOutcome& out_;
};

} // namespace

PolicyOutcome runUnderPolicy(std::shared_ptr<const BlockSource> committed,
                             AllocationPolicyKind policy, const EditScript& edit,
                             std::optional<std::uint64_t> threshold) {
    PolicyOutcome out;
    out.policy = policy;
    auto scratch = std::make_shared<CopyOnWriteBlockSource>(std::move(committed));
    OutcomeRecorder recorder(out);
    ThinPoolEditorOptions options;
    options.policy = policy;
    options.observer = &recorder;
    auto ed = ThinPoolEditor::open(scratch, options);
    if (!ed) {
        out.error = ed.error();
        return out;
    }
    MetadataSpaceMap& sm = (*ed)->metadataMachine();
    if (threshold) sm.setThreshold(*threshold, {});
    if (auto f = sm.nrFree()) out.freeBefore = *f;
    Status s = edit(**ed);
    if (s) s = (*ed)->commit();
    if (auto f = sm.nrFree()) out.freeAfter = *f;
    out.cursorAfter = sm.cursor();
    out.blocksWritten = scratch->changedBlocks();
    if (!s) {
        out.error = s.error();
        return out;
    }
    out.result = scratch;
    CheckOptions checkOptions;
    out.check = ThinChecker(scratch, checkOptions).run();
    return out;
}

PolicyComparison comparePolicies(std::shared_ptr<const BlockSource> committed,
                                 const EditScript& edit, std::optional<std::uint64_t> threshold) {
    return {runUnderPolicy(committed, AllocationPolicyKind::Reference, edit, threshold),
            runUnderPolicy(committed, AllocationPolicyKind::Mainline, edit, threshold)};
}

} // namespace dms
