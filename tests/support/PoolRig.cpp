#include "tests/support/PoolRig.h"

namespace dms::test {

PoolRig::PoolRig(std::uint64_t metadataBlocks, std::uint64_t dataBlocks,
                 AllocationPolicyKind policy, TraceObserver* observer)
    : device_(std::make_shared<MemoryBlockSource>(
          std::vector<std::uint8_t>(metadataBlocks * kBlockSize, 0), true, "pool")),
      model_(dataBlocks, metadataBlocks) {
    options_.policy = policy;
    options_.observer = observer;
    auto ed = ThinPoolEditor::create(device_, dataBlocks, 128, options_);
    if (!ed)
        error_ = "create: " + ed.error().describe();
    else
        editor_ = std::move(*ed);
}

std::string PoolRig::apply(const EditOp& op, bool* applied) {
    EditOutcome r = applyEdit(*editor_, model_, op);
    if (applied) *applied = r.applied;
    if (!r.mismatch.empty()) return r.mismatch;
    if (!r.applied) return abort();
    return {};
}

std::string PoolRig::apply(const std::vector<EditOp>& ops) {
    for (const EditOp& op : ops) {
        bool applied = false;
        if (std::string m = apply(op, &applied); !m.empty()) return m;
        if (!applied) return op.describe() + ": refused: " + "the transaction was aborted";
    }
    return {};
}

std::string PoolRig::commit() {
    if (Status s = editor_->commit(); !s) return "commit: " + s.error().describe();
    model_.commit();
    return {};
}

std::string PoolRig::abort() {
    model_.abort();
    if (Status s = editor_->abort(); !s) return "abort: " + s.error().describe();
    return {};
}

std::string PoolRig::reopen() {
    model_.abort();
    editor_.reset();
    auto ed = ThinPoolEditor::open(device_, options_);
    if (!ed) return "reopen: " + ed.error().describe();
    editor_ = std::move(*ed);
    return {};
}

std::string PoolRig::grow(std::uint64_t extraBlocks) {
    editor_.reset();
    std::vector<std::uint8_t> bytes = device_->bytes();
    bytes.resize(bytes.size() + extraBlocks * kBlockSize, 0);
    device_ = std::make_shared<MemoryBlockSource>(std::move(bytes), true, "pool");
    return reopen();
}

ImageExpectation PoolRig::snapshot(const QString& name, const QString& label) const {
    ImageExpectation e;
    e.path = writeScratchImage(name, device_->bytes());
    e.label = label;
    e.dump = model_.committed().render();
    e.heldDump = model_.committed().renderHeld();
    return e;
}

} // namespace dms::test
