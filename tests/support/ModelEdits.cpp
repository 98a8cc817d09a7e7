#include "tests/support/ModelEdits.h"

#include <sstream>

namespace dms::test {

std::vector<std::string> EditOp::words() const {
    auto n = [](std::uint64_t v) { return std::to_string(v); };
    switch (kind) {
    case EditKind::CreateThin:
        return {"create-thin", n(a)};
    case EditKind::CreateSnapshot:
        return {"create-snap", n(a), n(b)};
    case EditKind::Delete:
        return {"delete", n(a)};
    case EditKind::Map:
        return {"map", n(a), n(b), n(c), n(len)};
    case EditKind::Provision:
        return {"provision", n(a), n(b)};
    case EditKind::Unmap:
        return {"unmap", n(a), n(b), n(len)};
    case EditKind::SetTransactionId:
        return {"set-transaction-id", n(a)};
    case EditKind::SetNeedsCheck:
        return {a ? "set-needs-check" : "clear-needs-check"};
    case EditKind::ReserveMetadataSnapshot:
        return {"reserve-metadata-snap"};
    case EditKind::ReleaseMetadataSnapshot:
        return {"release-metadata-snap"};
    case EditKind::ExtendData:
        return {"extend-data", n(a)};
    case EditKind::ExtendMetadata:
        return {"extend-metadata", n(a)};
    case EditKind::Commit:
        return {"commit"};
    }
    return {};
}

std::string EditOp::describe() const {
    std::string out;
    for (const std::string& w : words())
        out += (out.empty() ? "" : " ") + w;
    return out;
}

std::string describe(const std::vector<EditOp>& ops) {
    std::string out;
    for (const EditOp& op : ops)
        out += (out.empty() ? "" : "; ") + op.describe();
    return out;
}

namespace {

// The editor's side; for provision, `provided` receives the block it handed out.
Status applyToEditor(ThinPoolEditor& ed, const EditOp& op, std::uint64_t& provided) {
    switch (op.kind) {
    case EditKind::CreateThin:
        return ed.createThin(op.a);
    case EditKind::CreateSnapshot:
        return ed.createSnapshot(op.a, op.b);
    case EditKind::Delete:
        return ed.deleteDevice(op.a);
    case EditKind::Map:
        return ed.map(op.a, op.b, op.c, op.len);
    case EditKind::Provision: {
        auto b = ed.provision(op.a, op.b);
        if (!b) return b.error();
        provided = *b;
        return Status::success();
    }
    case EditKind::Unmap:
        return ed.unmap(op.a, op.b, op.len);
    case EditKind::SetTransactionId:
        return ed.setTransactionId(op.a);
    case EditKind::SetNeedsCheck:
        ed.setNeedsCheck(op.a != 0);
        return Status::success();
    case EditKind::ReserveMetadataSnapshot:
        return ed.reserveMetadataSnapshot();
    case EditKind::ReleaseMetadataSnapshot:
        return ed.releaseMetadataSnapshot();
    case EditKind::ExtendData:
        return ed.extendData(op.a);
    case EditKind::ExtendMetadata:
        return ed.extendMetadata(op.a);
    case EditKind::Commit:
        return ed.commit();
    }
    return makeError(ErrorKind::Usage, "unknown edit");
}

// The model's side: false when the op must be refused.
bool applyToModel(ThinModel& m, const EditOp& op, std::uint64_t provided,
                  std::uint64_t deviceBlocks) {
    switch (op.kind) {
    case EditKind::CreateThin:
        return m.createThin(op.a);
    case EditKind::CreateSnapshot:
        return m.createSnapshot(op.a, op.b);
    case EditKind::Delete:
        return m.deleteDevice(op.a);
    case EditKind::Map:
        return m.map(op.a, op.b, op.c, op.len);
    case EditKind::Provision:
        return m.provision(op.a, op.b, provided);
    case EditKind::Unmap:
        return m.unmap(op.a, op.b, op.len);
    case EditKind::SetTransactionId:
        m.setTransactionId(op.a);
        return true;
    case EditKind::SetNeedsCheck:
        m.setNeedsCheck(op.a != 0);
        return true;
    case EditKind::ReserveMetadataSnapshot:
        return m.reserveMetadataSnapshot();
    case EditKind::ReleaseMetadataSnapshot:
        return m.releaseMetadataSnapshot();
    case EditKind::ExtendData:
        m.extendData(op.a);
        return true;
    case EditKind::ExtendMetadata:
        return m.extendMetadata(op.a, deviceBlocks);
    case EditKind::Commit:
        m.commit();
        return true;
    }
    return false;
}

} // namespace

EditOutcome applyEdit(ThinPoolEditor& ed, ThinModel& model, const EditOp& op) {
    EditOutcome out;
    std::optional<std::uint64_t> expectedBlock;
    bool modelAccepts = true;
    if (op.kind == EditKind::Provision) {
        expectedBlock = model.nextProvisionedBlock(op.a);
        modelAccepts = expectedBlock.has_value();
    }
    std::uint64_t provided = 0;
    Status s = applyToEditor(ed, op, provided);
    out.applied = s.ok();
    if (!s) out.editorError = s.error().describe();

    if (op.kind == EditKind::Provision) {
        if (s && modelAccepts) {
            if (provided != *expectedBlock)
                out.mismatch = op.describe() + ": the editor provisioned data block " +
                               std::to_string(provided) + ", the model expects " +
                               std::to_string(*expectedBlock);
            model.provision(op.a, op.b, provided);
        }
    } else {
        // A refused edit leaves the model as it was.
        ThinModel trial = model;
        modelAccepts = applyToModel(trial, op, 0, ed.transactionManager().device().blockCount());
        if (s && modelAccepts) model = std::move(trial);
    }
    if (out.mismatch.empty() && s.ok() != modelAccepts)
        out.mismatch = op.describe() + (s ? ": the editor accepted it, the model refuses it"
                                          : ": the editor refused it (" + out.editorError +
                                                "), the model accepts it");
    return out;
}

} // namespace dms::test
