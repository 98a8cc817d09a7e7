#include "core/thin/BlockClassifier.h"

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/BitmapBlock.h"

#include <algorithm>

namespace dms {

class ClassifyVisitor final : public BtreeVisitor {
public:
    using Tree = BlockClassifier::Tree;

    ClassifyVisitor(BlockClassifier& c, Tree tree, std::uint64_t device)
        : c_(c), m_(c.map_), tree_(tree) {
        switch (tree) {
        case Tree::MetadataRefcount:
            internal_ = leaf_ = BlockRole::MetadataRefcountNode;
            break;
        case Tree::DataRefcount:
            internal_ = leaf_ = BlockRole::DataRefcountNode;
            break;
        case Tree::DataSmIndex:
            internal_ = leaf_ = BlockRole::DataSmIndexNode;
            break;
        case Tree::Details:
            internal_ = BlockRole::DetailsInternal;
            leaf_ = BlockRole::DetailsLeaf;
            break;
        case Tree::MappingTop:
            internal_ = BlockRole::MappingTopInternal;
            leaf_ = BlockRole::MappingTopLeaf;
            break;
        case Tree::MappingBottom:
            internal_ = BlockRole::MappingBottomInternal;
            leaf_ = BlockRole::MappingBottomLeaf;
            owner_ = m_.ownerIndexFor(device);
            break;
        }
    }

    bool enter(std::uint64_t b, const BtreeWalkPosition& pos) override {
        if (c_.stopRequested()) return false;
        if (propagating_ && pos.depth() <= propagateDepth_) propagating_ = false;
        if (propagating_) {
            // Below a node that just became shared: its subtree is shared too. Its nodes were
            // counted on the first visit; only internal nodes not yet shared need a descent.
            if (m_.role(b) == BlockRole::Unreadable || m_.owners_[b] == BlockMap::kOwnerShared)
                return false;
            m_.owners_[b] = BlockMap::kOwnerShared;
            return m_.role(b) == BlockRole::MappingBottomInternal;
        }
        const bool seen = m_.refs_[b] != 0;
        m_.addReference(b);
        if (!seen) {
            m_.roles_[b] = static_cast<std::uint8_t>(internal_);
            if (tree_ == Tree::MappingBottom) m_.addOwner(b, owner_);
            return true;
        }
        const BlockRole r = m_.role(b);
        if (r == BlockRole::Unreadable) return false;
        if (blockRoleFamily(r) != internal_) {
            m_.markUnreadable(b, "block " + std::to_string(b) + " is referenced both as " +
                                     blockRoleName(r) + " and as " + blockRoleName(internal_) +
                                     " node");
            return false;
        }
        if (tree_ == Tree::MappingBottom && m_.addOwner(b, owner_) &&
            r == BlockRole::MappingBottomInternal) {
            propagating_ = true;
            propagateDepth_ = pos.depth();
            return true;
        }
        return false;
    }

    void node(const BtreeNode& n, const BtreeWalkPosition&) override {
        if (propagating_) return;
        m_.roles_[n.number()] = static_cast<std::uint8_t>(n.isLeaf() ? leaf_ : internal_);
        c_.tick();
    }

    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        if (propagating_) return;
        const std::uint32_t nr = n.nrEntries();
        switch (tree_) {
        case Tree::MetadataRefcount:
            for (std::uint32_t i = 0; i < nr; ++i)
                c_.refcountEntries_.emplace_back(n.key(i), n.valueU32(i));
            break;
        case Tree::DataSmIndex:
            for (std::uint32_t i = 0; i < nr; ++i) {
                if (n.key(i) != c_.bitmapBlocks_.size()) {
                    m_.addProblem("block " + std::to_string(n.number()) +
                                  ": data space-map index key " + std::to_string(n.key(i)) +
                                  " where " + std::to_string(c_.bitmapBlocks_.size()) +
                                  " was expected");
                    continue;
                }
                c_.bitmapBlocks_.push_back(n.valueU64(i)); // IndexEntry.blocknr at offset 0
            }
            break;
        case Tree::MappingTop:
            for (std::uint32_t i = 0; i < nr; ++i)
                c_.bottomRoots_.emplace_back(n.key(i), n.valueU64(i));
            break;
        default:
            break;
        }
    }

    void error(const Error& e) override {
        if (propagating_) return;
        if (e.kind == ErrorKind::OutOfRange || e.kind == ErrorKind::Cycle || !e.block ||
            *e.block >= m_.size()) {
            m_.addProblem(e.describe());
            return;
        }
        // The walker names the node that failed; it was pointed to, so it counts as referenced.
        if (m_.refs_[*e.block] == 0) m_.addReference(*e.block);
        m_.markUnreadable(*e.block, e.describe());
    }

private:
    BlockClassifier& c_;
    BlockMap& m_;
    Tree tree_;
    BlockRole internal_ = BlockRole::Free;
    BlockRole leaf_ = BlockRole::Free;
    std::uint16_t owner_ = BlockMap::kOwnerNone;
    bool propagating_ = false;
    unsigned propagateDepth_ = 0;
};

namespace {

std::uint32_t leafValueSize(int tree) {
    static constexpr std::uint32_t kSizes[] = {4, 4, 16, 24, 8, 8};
    return kSizes[tree];
}

const char* treeName(int tree) {
    static constexpr const char* kNames[] = {"metadata refcount", "data refcount",
                                             "data-sm index",     "details",
                                             "mapping top-level", "mapping"};
    return kNames[tree];
}

} // namespace

bool BlockClassifier::stopRequested() {
    if (cancelFlag_ && cancelFlag_->load(std::memory_order_relaxed)) cancelled_ = true;
    return cancelled_;
}

bool BlockClassifier::tick() {
    ++visited_;
    stopRequested();
    if (progress_ && (visited_ & 63) == 0 && !progress_(visited_, progressTotal_))
        cancelled_ = true;
    return !cancelled_;
}

void BlockClassifier::walkTree(Tree tree, std::uint64_t root, std::uint64_t device) {
    if (stopRequested()) return;
    const int t = static_cast<int>(tree);
    std::string name = treeName(t);
    if (tree == Tree::MappingBottom) name += "[dev " + std::to_string(device) + "]";
    if (root == 0 || root >= map_.size()) {
        map_.addProblem(name + " root " + std::to_string(root) + " is not a metadata block");
        return;
    }
    BtreeWalkOptions opts;
    opts.leafValueSize = leafValueSize(t);
    opts.treeName = name;
    BtreeWalker walker(md_.reader(), opts);
    ClassifyVisitor v(*this, tree, device);
    walker.walk(root, v);
}

std::optional<Block> BlockClassifier::referencePlain(std::uint64_t b, BlockRole role,
                                                     BlockType type) {
    if (stopRequested()) return std::nullopt;
    if (b == 0 && role != BlockRole::Superblock) {
        map_.addProblem(std::string(blockRoleName(role)) + " pointer is 0 (the superblock)");
        return std::nullopt;
    }
    if (b >= map_.size()) {
        map_.addProblem(std::string(blockRoleName(role)) + " pointer " + std::to_string(b) +
                        " is beyond the end of the device (" + std::to_string(map_.size()) +
                        " blocks)");
        return std::nullopt;
    }
    const bool seen = map_.refs_[b] != 0;
    map_.addReference(b);
    if (seen && map_.role(b) != role) {
        if (map_.role(b) != BlockRole::Unreadable)
            map_.markUnreadable(b, "block " + std::to_string(b) + " is referenced both as " +
                                       blockRoleName(map_.role(b)) + " and as " +
                                       blockRoleName(role));
        return std::nullopt;
    }
    map_.roles_[b] = static_cast<std::uint8_t>(role);
    auto blk = md_.reader().read(b, type);
    if (!blk) {
        map_.markUnreadable(b, blk.error().describe());
        return std::nullopt;
    }
    if (!seen) tick();
    return *blk;
}

void BlockClassifier::readMetadataSpaceMap(const SpaceMapRoot& root) {
    walkTree(Tree::MetadataRefcount, root.refCountRoot);
    auto index =
        referencePlain(root.bitmapRoot, BlockRole::MetadataSmIndex, BlockType::MetadataIndex);
    if (!index) {
        map_.addProblem("metadata space map index block " + std::to_string(root.bitmapRoot) +
                        " is unreadable: no block has a known count");
        return;
    }
    std::uint64_t nrBitmaps = (root.nrBlocks + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    if (nrBitmaps > kMetadataIndexEntries) {
        map_.addProblem("metadata space map nr_blocks " + std::to_string(root.nrBlocks) +
                        " needs more than 255 bitmaps");
        nrBitmaps = kMetadataIndexEntries;
    }
    std::sort(refcountEntries_.begin(), refcountEntries_.end());
    std::size_t r = 0;
    for (std::uint64_t i = 0; i < nrBitmaps; ++i) {
        const IndexEntry ie = IndexEntry::decode(index->data() + 16 + i * IndexEntry::kSize);
        auto bm = referencePlain(ie.blocknr, BlockRole::MetadataBitmap, BlockType::Bitmap);
        if (!bm) continue;
        const std::uint64_t base = i * kEntriesPerBitmap;
        if (base >= map_.size()) continue;
        const std::uint64_t n =
            std::min({kEntriesPerBitmap, root.nrBlocks - base, map_.size() - base});
        const std::uint8_t* data = bm->data();
        for (std::uint64_t e = 0; e < n; ++e) {
            const unsigned v = bitmapEntry(data, e);
            const std::uint64_t b = base + e;
            if (v < 3) {
                map_.counts_[b] = static_cast<std::uint8_t>(v);
                continue;
            }
            while (r < refcountEntries_.size() && refcountEntries_[r].first < b)
                ++r;
            if (r < refcountEntries_.size() && refcountEntries_[r].first == b)
                map_.setCount(b, refcountEntries_[r].second);
            else
                map_.addProblem("block " + std::to_string(b) +
                                ": metadata bitmap says count >= 3 but the refcount tree has no "
                                "entry for it");
        }
    }
}

void BlockClassifier::readDataSpaceMap(const SpaceMapRoot& root) {
    walkTree(Tree::DataRefcount, root.refCountRoot);
    bitmapBlocks_.clear();
    walkTree(Tree::DataSmIndex, root.bitmapRoot);
    const std::uint64_t nrBitmaps = (root.nrBlocks + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    if (bitmapBlocks_.size() != nrBitmaps)
        map_.addProblem("data space-map index has " + std::to_string(bitmapBlocks_.size()) +
                        " entries, nr_blocks " + std::to_string(root.nrBlocks) + " needs " +
                        std::to_string(nrBitmaps));
    for (std::uint64_t b : bitmapBlocks_)
        referencePlain(b, BlockRole::DataBitmap, BlockType::Bitmap);
}

void BlockClassifier::walkSuperblockTrees(const ThinSuperblock& sb) {
    walkTree(Tree::Details, sb.deviceDetailsRoot);
    bottomRoots_.clear();
    walkTree(Tree::MappingTop, sb.dataMappingRoot);
    const auto roots = std::move(bottomRoots_);
    for (const auto& [device, root] : roots)
        walkTree(Tree::MappingBottom, root, device);
}

Expected<BlockMap> BlockClassifier::classify(const Progress& progress) {
    const ThinSuperblock& sb = md_.superblock();
    map_ = BlockMap(md_.reader().blockCount());
    map_.spaceMapBlocks_ = std::min(sb.metadataSpaceMap.nrBlocks, map_.size());
    progress_ = progress;
    visited_ = 0;
    progressTotal_ = sb.metadataSpaceMap.nrAllocated;
    cancelled_ = false;
    refcountEntries_.clear();

    referencePlain(0, BlockRole::Superblock, BlockType::ThinSuperblock);
    readMetadataSpaceMap(sb.metadataSpaceMap);
    readDataSpaceMap(sb.dataSpaceMap);
    walkSuperblockTrees(sb);
    if (sb.heldRoot != 0 &&
        referencePlain(sb.heldRoot, BlockRole::MetadataSnapshot, BlockType::ThinSuperblock)) {
        auto held = md_.metadataSnapshot();
        if (held)
            walkSuperblockTrees(*held);
        else
            map_.markUnreadable(sb.heldRoot, held.error().describe());
    }
    if (cancelled_) return makeError(ErrorKind::Usage, "cancelled");
    map_.finish();
    if (progress_) progress_(visited_, visited_);
    return std::move(map_);
}

} // namespace dms
