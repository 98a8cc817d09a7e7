#pragma once
// The same edit under both metadata allocation policies (AllocationPolicy.h), each on its own
// scratch copy (a copy-on-write view of the committed metadata, nothing written to it): what the
// space-map machinery did (events, ring-buffer peak), which metadata blocks it chose and freed,
// the free count and cursor after the commit, and whether the result passes the checker.
// Within one transaction opened fresh both policies choose the same blocks (the cursor starts at
// 0 and only moves forward); they part after a commit inside the edit (reserve-metadata-snap,
// extend-metadata, commit): the reference policy restarts at block 0 of the committed map, the
// mainline one goes on from its cursor and wraps around.

#include "core/check/CheckReport.h"
#include "core/thin/ThinPoolEditor.h"

#include <functional>
#include <optional>

namespace dms {

struct PolicyOutcome {
    AllocationPolicyKind policy = AllocationPolicyKind::Reference;
    std::optional<Error> error;           // the edit or its commit failed; figures are up to there
    std::uint64_t events = 0;             // trace events of the edit and its commit
    std::uint32_t peakRingFill = 0;       // most block ops queued at once
    std::vector<std::uint64_t> allocated; // metadata blocks handed out, in order
    std::vector<std::uint64_t> freed;     // metadata blocks whose count reached 0, in order
    std::vector<std::size_t> commits;     // allocated.size() at each commit, in order
    std::uint64_t freeBefore = 0;         // free metadata blocks when opened
    std::uint64_t freeAfter = 0;          // and after the commit
    std::uint64_t cursorAfter = 0;        // where the next search starts
    std::uint64_t blocksWritten = 0;      // blocks the scratch copy differs in
    std::optional<CheckReport> check;     // the checker on the result (none if the edit failed)
    std::shared_ptr<const BlockSource> result; // the scratch copy after the commit

    bool passes() const { return !error && check && check->verdict() == CheckVerdict::Pass; }
};

struct PolicyComparison {
    PolicyOutcome reference;
    PolicyOutcome mainline;
};

// Applies the edit to a ThinPoolEditor (the caller's operations, in order).
using EditScript = std::function<Status(ThinPoolEditor&)>;

// Opens `committed` through a scratch copy under `policy`, runs `edit`, commits and checks.
PolicyOutcome runUnderPolicy(std::shared_ptr<const BlockSource> committed,
                             AllocationPolicyKind policy, const EditScript& edit,
                             std::optional<std::uint64_t> threshold = {});

// Both policies, each on its own scratch copy.
PolicyComparison comparePolicies(std::shared_ptr<const BlockSource> committed,
                                 const EditScript& edit,
                                 std::optional<std::uint64_t> threshold = {});

} // namespace dms
