#include "core/thin/DataBlockOwners.h"

#include "core/btree/BtreeNode.h"

#include <algorithm>
#include <unordered_map>

namespace dms {
namespace {

struct Hit {
    std::uint64_t virtualBlock;
    std::uint32_t time;
    std::uint64_t leaf;
};

class OwnerSearch {
public:
    OwnerSearch(const ThinMetadata& md, std::uint64_t dataBlock, const std::atomic<bool>* cancel)
        : md_(md), target_(dataBlock), cancel_(cancel) {}

    // The hits below node; memoised, so a subtree shared by several devices is read once.
    const std::vector<Hit>& hitsBelow(std::uint64_t node, unsigned depth) {
        if (auto it = memo_.find(node); it != memo_.end()) return it->second;
        std::vector<Hit> hits;
        if (depth > kMaxDepth) {
            errors_.push_back("block " + std::to_string(node) + ": deeper than " +
                              std::to_string(kMaxDepth) + " levels (a cycle?)");
        } else if (!cancelled()) {
            collect(node, depth, hits);
        }
        return memo_.emplace(node, std::move(hits)).first->second;
    }

    bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    std::vector<std::string> takeErrors() { return std::move(errors_); }
    std::uint64_t nodesRead() const { return nodesRead_; }

private:
    static constexpr unsigned kMaxDepth = 64;

    void collect(std::uint64_t node, unsigned depth, std::vector<Hit>& hits) {
        auto n = BtreeNode::read(md_.reader(), node, 8);
        ++nodesRead_;
        if (!n) {
            errors_.push_back(n.error().describe());
            return;
        }
        const std::uint32_t nr = std::min(n->nrEntries(), n->maxEntries());
        if (n->isLeaf()) {
            for (std::uint32_t i = 0; i < nr; ++i) {
                const BlockTime bt = BlockTime::unpack(n->valueU64(i));
                if (bt.dataBlock == target_) hits.push_back({n->key(i), bt.time, node});
            }
            return;
        }
        for (std::uint32_t i = 0; i < nr; ++i) {
            const std::uint64_t child = n->valueU64(i);
            if (child == 0 || child >= md_.reader().blockCount()) {
                errors_.push_back("block " + std::to_string(node) + ", value[" + std::to_string(i) +
                                  "]: child " + std::to_string(child) + " is not a metadata block");
                continue;
            }
            const std::vector<Hit>& below = hitsBelow(child, depth + 1);
            hits.insert(hits.end(), below.begin(), below.end());
        }
    }

    const ThinMetadata& md_;
    std::uint64_t target_;
    const std::atomic<bool>* cancel_;
    std::unordered_map<std::uint64_t, std::vector<Hit>> memo_;
    std::vector<std::string> errors_;
    std::uint64_t nodesRead_ = 0;
};

} // namespace

Expected<DataBlockOwners> findDataBlockOwners(const ThinMetadata& md, const ThinSuperblock& sb,
                                              std::uint64_t dataBlock,
                                              const std::atomic<bool>* cancel) {
    auto devices = md.devices(sb);
    if (!devices) return devices.takeError();
    OwnerSearch search(md, dataBlock, cancel);
    DataBlockOwners result;
    for (const ThinDevice& d : *devices) {
        if (d.mappingRoot == 0) continue;
        for (const Hit& h : search.hitsBelow(d.mappingRoot, 0))
            result.uses.push_back({d.id, h.virtualBlock, h.time, h.leaf});
        if (search.cancelled()) return makeError(ErrorKind::Usage, "cancelled");
    }
    result.errors = search.takeErrors();
    result.nodesRead = search.nodesRead();
    return result;
}

} // namespace dms
