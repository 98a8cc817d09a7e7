#pragma once
// How the metadata space map picks a new block. Two policies, swappable per open document:
// - Reference (the kernel version in ../shared/reference): the first block free in the
//   committed map at or after the cursor; the cursor returns to 0 at every commit.
// - Mainline (current kernels): the block must be free in both the committed and the live map;
//   the search wraps around to the start; the cursor survives commits.

#include "core/spacemap/LowLevelSpaceMap.h"

#include <memory>

namespace dms {

enum class AllocationPolicyKind { Reference, Mainline };

class AllocationPolicy {
public:
    virtual ~AllocationPolicy() = default;
    virtual AllocationPolicyKind kind() const = 0;
    virtual const char* name() const = 0;
    virtual Expected<std::optional<std::uint64_t>>
    findFree(LowLevelSpaceMap& committed, LowLevelSpaceMap& live, std::uint64_t cursor) = 0;
    virtual bool resetsCursorOnCommit() const = 0;

    static std::unique_ptr<AllocationPolicy> make(AllocationPolicyKind kind);
};

} // namespace dms
