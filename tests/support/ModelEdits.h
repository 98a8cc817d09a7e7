#pragma once
// Edit operations applied to a ThinPoolEditor and to a ThinModel side by side, so that a test can
// say what the image must hold after any sequence of them.

#include "core/thin/ThinPoolEditor.h"
#include "tests/support/ThinModel.h"

#include <string>
#include <vector>

namespace dms::test {

enum class EditKind {
    CreateThin,       // a = id
    CreateSnapshot,   // a = id, b = origin
    Delete,           // a = id
    Map,              // a = id, b = vblock, c = dblock, len
    Provision,        // a = id, b = vblock
    Unmap,            // a = id, b = vblock, len
    SetTransactionId, // a = id
    SetNeedsCheck,    // a = 0/1
    ReserveMetadataSnapshot,
    ReleaseMetadataSnapshot,
    ExtendData,     // a = extra blocks
    ExtendMetadata, // a = extra blocks (commits)
    Commit,
};

struct EditOp {
    EditKind kind = EditKind::Commit;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
    std::uint64_t len = 1;

    // As `dmscope-cli edit` spells it, e.g. "map 3 100 2000 16".
    std::string describe() const;
    // The `dmscope-cli edit` words.
    std::vector<std::string> words() const;
};

std::string describe(const std::vector<EditOp>& ops);

struct EditOutcome {
    bool applied = false; // the editor did it (false: it refused, as the model said it must)
    std::string mismatch; // empty when editor and model agree
    std::string editorError;
};

// Applies op to both. The editor must succeed exactly when the model accepts the op, and a
// provisioned block must be the one the model predicts. After a refusal the caller aborts both.
EditOutcome applyEdit(ThinPoolEditor& editor, ThinModel& model, const EditOp& op);

} // namespace dms::test
