#pragma once
// A thin pool formatted in memory and edited through ThinPoolEditor, with a ThinModel kept in
// step: apply edits, commit, abort, grow the device, reopen, and snapshot the committed image to
// a file together with the dumps the model says it must produce.

#include "core/MemoryBlockSource.h"
#include "tests/support/ImageChecks.h"
#include "tests/support/ModelEdits.h"

namespace dms::test {

class PoolRig {
public:
    // Formats metadataBlocks blocks of metadata for dataBlocks data blocks. Check error().
    PoolRig(std::uint64_t metadataBlocks, std::uint64_t dataBlocks, AllocationPolicyKind policy,
            TraceObserver* observer = nullptr);

    const std::string& error() const { return error_; }
    ThinPoolEditor& editor() { return *editor_; }
    ThinModel& model() { return model_; }
    const std::shared_ptr<MemoryBlockSource>& device() const { return device_; }
    AllocationPolicyKind policy() const { return options_.policy; }

    // Applies one edit to editor and model; empty when they agree (see applyEdit). A refused
    // edit aborts the transaction in both.
    std::string apply(const EditOp& op, bool* applied = nullptr);
    std::string apply(const std::vector<EditOp>& ops);
    std::string commit();
    std::string abort();
    // A new editor on the device, as a fresh `dmscope-cli edit` gets (the model's pending edits
    // are dropped).
    std::string reopen();
    // Appends zeroed blocks to the device (as growing the metadata LV) and reopens.
    std::string grow(std::uint64_t extraBlocks);

    // The device's bytes written to scratchPath(name), with the committed state's dumps.
    ImageExpectation snapshot(const QString& name, const QString& label) const;

private:
    std::shared_ptr<MemoryBlockSource> device_;
    ThinPoolEditorOptions options_;
    std::unique_ptr<ThinPoolEditor> editor_;
    ThinModel model_;
    std::string error_;
};

} // namespace dms::test
