#include "models/CacheEraBlockRoles.h"

#include "core/array/ArrayBlock.h"
#include "core/btree/BtreeNode.h"
#include "core/era/EraDumper.h"
#include "core/spacemap/SpaceMapReader.h"

namespace dms {

const char* metadataBlockRoleName(MetadataBlockRole role) {
    static const char* const names[] = {
        "free",
        "superblock",
        "space-map index",
        "space-map bitmap",
        "refcount node",
        "array spine node",
        "mapping array",
        "hint array",
        "discard bitset",
        "dirty bitset",
        "era array",
        "writeset tree node",
        "writeset bitset",
        "leaked",
        "unreadable",
    };
    const auto i = std::size_t(role);
    return i < std::size(names) ? names[i] : "?";
}

void CacheEraBlockRoles::mark(std::uint64_t b, MetadataBlockRole role, std::uint64_t parent) {
    if (b >= roles_.size()) {
        if (errors_.size() < 100)
            errors_.push_back("block " + std::to_string(parent) + " points at block " +
                              std::to_string(b) + ", beyond the device");
        return;
    }
    roles_[b] = std::uint8_t(role);
    parents_[b] = parent;
}

// Enters every node once (a second pointer to a node, or a cycle, is not followed again).
void CacheEraBlockRoles::walkTree(std::uint64_t root, std::uint32_t leafValueSize,
                                  MetadataBlockRole nodeRole, MetadataBlockRole leafTargets,
                                  std::uint64_t parent, const char* name,
                                  std::vector<std::uint64_t>* leafValues) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> todo{{root, parent}};
    while (!todo.empty()) {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return;
        const auto [b, from] = todo.back();
        todo.pop_back();
        if (b < roles_.size() && roles_[b] != std::uint8_t(MetadataBlockRole::Free)) continue;
        mark(b, nodeRole, from);
        if (b >= roles_.size()) continue;
        auto node = BtreeNode::read(*reader_, b, leafValueSize);
        if (!node) {
            roles_[b] = std::uint8_t(MetadataBlockRole::Unreadable);
            if (errors_.size() < 100)
                errors_.push_back(std::string(name) + ": " + node.error().describe());
            continue;
        }
        const std::uint32_t n = std::min(node->nrEntries(), node->maxEntries());
        for (std::uint32_t i = 0; i < n; ++i) {
            if (node->isInternal()) {
                todo.emplace_back(node->valueU64(i), b);
            } else if (leafTargets != MetadataBlockRole::Free) {
                const std::uint64_t target = node->valueU64(i);
                if (target < roles_.size() &&
                    roles_[target] != std::uint8_t(MetadataBlockRole::Free))
                    continue;
                mark(target, leafTargets, b);
                if (leafValues) leafValues->push_back(target);
            } else if (leafValues && leafValueSize == EraSuperblock::kWritesetValueSize) {
                leafValues->push_back(EraWriteset::decode(node->value(i)).root);
            }
        }
    }
}

void CacheEraBlockRoles::walkArray(std::uint64_t root, MetadataBlockRole blocks, const char* name) {
    if (root == 0) return;
    std::vector<std::uint64_t> arrayBlocks;
    walkTree(root, 8, MetadataBlockRole::ArraySpine, blocks, 0, name, &arrayBlocks);
    for (std::uint64_t b : arrayBlocks) {
        if (b >= roles_.size()) continue;
        auto raw = reader_->read(b, BlockType::ArrayBlock);
        if (!raw) {
            roles_[b] = std::uint8_t(MetadataBlockRole::Unreadable);
            if (errors_.size() < 100)
                errors_.push_back(std::string(name) + ": " + raw.error().describe());
        }
    }
}

CacheEraBlockRoles CacheEraBlockRoles::classify(const CacheEraDocument& doc,
                                                const std::atomic<bool>* cancel) {
    CacheEraBlockRoles r;
    r.reader_ = &doc.reader();
    r.cancel_ = cancel;
    const std::uint64_t n = doc.reader().blockCount();
    r.roles_.assign(n, std::uint8_t(MetadataBlockRole::Free));
    r.parents_.assign(n, kNoParent);
    if (n == 0) return r;
    r.mark(0, MetadataBlockRole::Superblock, kNoParent);
    const SpaceMapRoot& sm = doc.sharedSuperblock().metadataSpaceMap;

    auto opened = SpaceMapReader::open(doc.reader(), sm, SpaceMapKind::Metadata);
    if (sm.bitmapRoot != 0) r.mark(sm.bitmapRoot, MetadataBlockRole::SpaceMapIndex, 0);
    if (opened) {
        for (const IndexEntry& e : opened->indexEntries())
            if (e.blocknr != 0) r.mark(e.blocknr, MetadataBlockRole::SpaceMapBitmap, sm.bitmapRoot);
    } else {
        r.errors_.push_back(opened.error().describe());
    }
    if (sm.refCountRoot != 0)
        r.walkTree(sm.refCountRoot, 4, MetadataBlockRole::RefcountNode, MetadataBlockRole::Free, 0,
                   "metadata refcount tree");

    if (doc.isCache()) {
        const CacheSuperblock& sb = doc.cache();
        r.walkArray(sb.mappingRoot, MetadataBlockRole::MappingArray, "mapping array");
        r.walkArray(sb.hintRoot, MetadataBlockRole::HintArray, "hint array");
        r.walkArray(sb.discardRoot, MetadataBlockRole::DiscardBitset, "discard bitset");
        if (sb.version >= 2)
            r.walkArray(sb.dirtyRoot, MetadataBlockRole::DirtyBitset, "dirty bitset");
    } else {
        const EraSuperblock& sb = doc.era();
        r.walkArray(sb.eraArrayRoot, MetadataBlockRole::EraArray, "era array");
        std::vector<std::uint64_t> writesetRoots;
        if (sb.writesetTreeRoot != 0)
            r.walkTree(sb.writesetTreeRoot, EraSuperblock::kWritesetValueSize,
                       MetadataBlockRole::WritesetTree, MetadataBlockRole::Free, 0, "writeset tree",
                       &writesetRoots);
        if (sb.currentWritesetRoot != 0) writesetRoots.push_back(sb.currentWritesetRoot);
        for (std::uint64_t root : writesetRoots)
            r.walkArray(root, MetadataBlockRole::WritesetBitset, "writeset");
    }

    // What nothing reached: free, or leaked when the space map counts it.
    if (opened) {
        Status s = opened->forEachCount([&](std::uint64_t b, std::uint32_t count) {
            if (b < n && count > 0 && r.roles_[b] == std::uint8_t(MetadataBlockRole::Free))
                r.roles_[b] = std::uint8_t(MetadataBlockRole::Leaked);
        });
        if (!s) r.errors_.push_back(s.error().describe());
    }
    for (std::uint8_t role : r.roles_)
        ++r.totals_[role];
    r.reader_ = nullptr;
    r.cancel_ = nullptr;
    return r;
}

} // namespace dms
