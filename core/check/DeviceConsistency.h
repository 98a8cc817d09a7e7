#pragma once
// Device-level consistency that thin_check 0.9.0 does not look at (so warnings only): every
// device of the details tree has a mapping tree and the other way round, and each device's
// mapped_blocks equals the number of mappings in its tree. Shared subtrees (snapshots) are
// summed once per node and remembered, so this costs one read of each internal node and of
// each leaf header, not a second walk of every mapping.

#include "core/check/ThinTreeHandlers.h"

#include <unordered_map>

namespace dms {

class DeviceConsistency {
public:
    explicit DeviceConsistency(WalkEnv& env) : env_(env) {}

    // `treeName` names the tree pair in messages ("live", "metadata snapshot").
    void check(const std::string& treeName, const std::vector<DetailsEntry>& details,
               const std::vector<DeviceRoot>& roots);

private:
    // Mappings below `block`; nullopt when a node on the way is not a validated btree node.
    std::optional<std::uint64_t> mappingsBelow(std::uint64_t block, unsigned depth);

    WalkEnv& env_;
    std::unordered_map<std::uint64_t, std::uint64_t> memo_;
};

} // namespace dms
