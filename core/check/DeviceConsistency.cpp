#include "core/check/DeviceConsistency.h"

#include <map>

namespace dms {

std::optional<std::uint64_t> DeviceConsistency::mappingsBelow(std::uint64_t block, unsigned depth) {
    if (block >= env_.nrBlocks || !env_.validNodes.test(block) || depth > TreeWalker::kMaxDepth)
        return std::nullopt;
    const std::uint8_t* data = env_.source->mapped(block);
    std::vector<std::uint8_t> copy;
    if (data) env_.trimmer.touched();
    if (!data) {
        copy.resize(kBlockSize);
        if (!env_.source->read(block, copy.data())) return std::nullopt;
        data = copy.data();
    }
    const NodeView n{data, block};
    const std::uint32_t nr = n.nrEntries();
    if (nr > (kBlockSize - 32) / 16) return std::nullopt;
    if (!(n.flags() & 1)) return nr; // a leaf
    if (auto it = memo_.find(block); it != memo_.end()) return it->second;
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < nr; ++i) {
        auto below = mappingsBelow(n.valueU64(i), depth + 1);
        if (!below) return std::nullopt;
        total += *below;
    }
    memo_[block] = total;
    return total;
}

void DeviceConsistency::check(const std::string& treeName, const std::vector<DetailsEntry>& details,
                              const std::vector<DeviceRoot>& roots) {
    std::map<std::uint64_t, const DeviceRoot*> byId;
    for (const DeviceRoot& r : roots)
        byId.emplace(r.id, &r);
    auto warn = [&](std::optional<std::uint64_t> block, std::string field, std::string message) {
        Finding f;
        f.severity = Severity::Warning;
        f.category = FindingCategory::Device;
        f.block = block;
        f.field = std::move(field);
        f.message = std::move(message);
        env_.add(std::move(f));
    };
    std::map<std::uint64_t, bool> inDetails;
    for (const DetailsEntry& d : details) {
        inDetails[d.id] = true;
        auto it = byId.find(d.id);
        if (it == byId.end()) {
            warn(d.leafBlock, "keys",
                 treeName + " device " + std::to_string(d.id) + " has details but no mapping tree");
            continue;
        }
        auto count = mappingsBelow(it->second->root, 0);
        if (count && *count != d.details.mappedBlocks)
            warn(d.leafBlock, "mapped_blocks",
                 treeName + " device " + std::to_string(d.id) + " records mapped_blocks " +
                     std::to_string(d.details.mappedBlocks) + " but its mapping tree holds " +
                     std::to_string(*count) + " mappings");
    }
    for (const DeviceRoot& r : roots)
        if (!inDetails.count(r.id))
            warn(r.topLeaf, "keys",
                 treeName + " device " + std::to_string(r.id) +
                     " has a mapping tree but no details");
}

} // namespace dms
