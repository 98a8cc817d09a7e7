#pragma once
// Looks a block up in a space map's refcount btree the way thin_check 0.9.0 does when it
// needs the count behind a bitmap entry of 3: binary search for the last key <= target in
// internal nodes, exact match in the leaf, every node validated. Its failures (a node that
// does not validate, a missing key) are fatal there, so they are errors here. Bounded: a
// pointer loop ends after kMaxSteps nodes instead of spinning as thin_check would.

#include "core/check/WalkEnv.h"

#include <optional>
#include <string>

namespace dms {

struct LookupFailure {
    std::uint64_t block = 0;
    std::string field;
    std::string message;
};

class RefCountLookup {
public:
    static constexpr unsigned kMaxSteps = 64;

    RefCountLookup(WalkEnv& env, std::uint64_t root) : env_(env), root_(root) {}

    // The count stored for block `key`, nullopt when the tree has no entry for it.
    std::optional<std::uint32_t> find(std::uint64_t key, std::optional<LookupFailure>& failure);

private:
    WalkEnv& env_;
    std::uint64_t root_;
    std::vector<std::uint8_t> scratch_;
};

} // namespace dms
