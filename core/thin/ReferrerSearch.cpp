#include "core/thin/ReferrerSearch.h"

#include "core/btree/BtreeNode.h"
#include "core/spacemap/IndexEntry.h"
#include "core/thin/DataBlockOwners.h"

#include <algorithm>

namespace dms {
namespace {

// Deeper than two stacked btrees can legitimately be: a guard against hostile images (the
// entered set already stops cycles).
constexpr unsigned kMaxDepth = 40;

} // namespace

const char* referrerKindName(Referrer::Kind kind) {
    switch (kind) {
    case Referrer::Kind::SuperblockField:
        return "superblock field";
    case Referrer::Kind::IndexEntry:
        return "space-map index entry";
    case Referrer::Kind::ChildPointer:
        return "btree child pointer";
    case Referrer::Kind::DataSmIndexValue:
        return "data space-map index value";
    case Referrer::Kind::MappingTopValue:
        return "device mapping root";
    }
    return "?";
}

bool ReferrerSearch::tick() {
    ++visited_;
    if (progress_ && (visited_ & 15) == 0 && !progress_(visited_, total_)) cancelled_ = true;
    return !cancelled_;
}

void ReferrerSearch::pointer(std::uint64_t b, Referrer::Kind kind, std::uint32_t slot,
                             std::uint64_t key, const char* rootField) {
    if (b >= wanted_.size() || !wanted_[b]) return;
    // Built only for a hit: this runs for every pointer of the pool.
    std::string field;
    if (kind == Referrer::Kind::SuperblockField)
        field = rootField;
    else if (kind == Referrer::Kind::IndexEntry)
        field = "entries[" + std::to_string(slot) + "].blocknr";
    else
        field = "values[" + std::to_string(slot) + "]" +
                (kind == Referrer::Kind::DataSmIndexValue ? ".blocknr" : "");
    Referrer r;
    r.target = b;
    r.parent = parents_.back();
    r.kind = kind;
    r.slot = slot;
    r.key = key;
    r.field = std::move(field);
    for (std::size_t i = 0; i < path_.size(); ++i) {
        if (i) r.path += " > ";
        r.path += path_[i];
    }
    found_.push_back(std::move(r));
}

void ReferrerSearch::walkTree(Tree tree, std::uint64_t b, unsigned depth,
                              const std::string& label) {
    if (cancelled_ || b == 0 || b >= entered_.size() || entered_[b] || depth > kMaxDepth) return;
    entered_[b] = 1;
    if (!tick()) return;
    auto raw = md_.reader().raw(b);
    if (!raw) return;
    const bool leaf = raw->u32(4) == kNodeLeaf;
    // Leaves of these trees hold counts, details or data blocks: nothing that points at metadata.
    if (leaf && tree != Tree::DataSmIndex && tree != Tree::MappingTop) return;
    auto node = BtreeNode::read(md_.reader(), b, leaf ? (tree == Tree::DataSmIndex ? 16 : 8) : 0);
    if (!node) return;
    path_.push_back(label.empty() ? std::to_string(b) : label + " " + std::to_string(b));
    parents_.push_back(b);
    const std::uint32_t nr = node->nrEntries();
    for (std::uint32_t i = 0; i < nr && !cancelled_; ++i) {
        const std::uint64_t child = node->valueU64(i);
        if (node->isInternal()) {
            pointer(child, Referrer::Kind::ChildPointer, i, node->key(i), nullptr);
            walkTree(tree, child, depth + 1, {});
        } else if (tree == Tree::DataSmIndex) {
            // IndexEntry.blocknr is the value's first 8 bytes.
            pointer(child, Referrer::Kind::DataSmIndexValue, i, node->key(i), nullptr);
        } else {
            pointer(child, Referrer::Kind::MappingTopValue, i, node->key(i), nullptr);
            walkTree(Tree::Bottom, child, depth + 1, "dev " + std::to_string(node->key(i)) + ":");
        }
    }
    path_.pop_back();
    parents_.pop_back();
}

void ReferrerSearch::walkSuperblock(const ThinSuperblock& sb, const std::string& name, bool live) {
    const std::uint64_t at = sb.location;
    path_.push_back(name + " " + std::to_string(at));
    parents_.push_back(at);
    auto root = [&](std::uint64_t b, const char* field, Tree tree) {
        pointer(b, Referrer::Kind::SuperblockField, 0, 0, field);
        walkTree(tree, b, 1, field);
    };
    if (live) {
        const SpaceMapRoot& msm = sb.metadataSpaceMap;
        root(msm.refCountRoot, "metadata_space_map_root.ref_count_root", Tree::MetadataRefcount);
        const std::uint64_t index = msm.bitmapRoot;
        pointer(index, Referrer::Kind::SuperblockField, 0, 0,
                "metadata_space_map_root.bitmap_root");
        if (index != 0 && index < entered_.size() && !entered_[index]) {
            entered_[index] = 1;
            auto block = md_.reader().read(index, BlockType::MetadataIndex);
            if (block) {
                const std::uint64_t n =
                    std::min(kMetadataIndexEntries, msm.nrBlocks / kEntriesPerBitmap +
                                                        (msm.nrBlocks % kEntriesPerBitmap != 0));
                path_.push_back("index " + std::to_string(index));
                parents_.push_back(index);
                for (std::uint64_t i = 0; i < n; ++i) {
                    const IndexEntry e = IndexEntry::decode(block->data() + 16 + i * 16);
                    pointer(e.blocknr, Referrer::Kind::IndexEntry, static_cast<std::uint32_t>(i), 0,
                            nullptr);
                }
                path_.pop_back();
                parents_.pop_back();
            }
        }
        const SpaceMapRoot& dsm = sb.dataSpaceMap;
        root(dsm.refCountRoot, "data_space_map_root.ref_count_root", Tree::DataRefcount);
        root(dsm.bitmapRoot, "data_space_map_root.bitmap_root", Tree::DataSmIndex);
    }
    root(sb.deviceDetailsRoot, "device_details_root", Tree::Details);
    root(sb.dataMappingRoot, "data_mapping_root", Tree::MappingTop);
    if (live && sb.heldRoot != 0) {
        pointer(sb.heldRoot, Referrer::Kind::SuperblockField, 0, 0, "held_root");
        if (sb.heldRoot < entered_.size() && !entered_[sb.heldRoot]) {
            entered_[sb.heldRoot] = 1;
            auto held = md_.metadataSnapshot();
            if (held) walkSuperblock(*held, "held superblock", false);
        }
    }
    path_.pop_back();
    parents_.pop_back();
}

Expected<std::vector<Referrer>> ReferrerSearch::find(std::uint64_t block,
                                                     const Progress& progress) {
    return find(std::vector<std::uint64_t>{block}, progress);
}

Expected<std::vector<Referrer>> ReferrerSearch::find(const std::vector<std::uint64_t>& blocks,
                                                     const Progress& progress) {
    const std::uint64_t size = md_.reader().blockCount();
    wanted_.assign(size, 0);
    for (std::uint64_t b : blocks) {
        if (b >= size)
            return makeError(ErrorKind::OutOfRange, "block " + std::to_string(b) +
                                                        " is beyond the end of the device (" +
                                                        std::to_string(size) + " blocks)");
        wanted_[b] = 1;
    }
    entered_.assign(size, 0);
    entered_[0] = 1;
    path_.clear();
    parents_.clear();
    found_.clear();
    progress_ = progress;
    visited_ = 0;
    total_ = md_.superblock().metadataSpaceMap.nrAllocated;
    cancelled_ = false;
    walkSuperblock(md_.superblock(), "live superblock", true);
    if (cancelled_) return makeError(ErrorKind::Usage, "cancelled");
    if (progress_) progress_(visited_, visited_);
    std::vector<Referrer> out = std::move(found_);
    found_ = {};
    return out;
}

Expected<std::vector<RmapRun>> findDataBlockUsers(const ThinMetadata& metadata,
                                                  std::uint64_t dataBlock) {
    if (dataBlock == UINT64_MAX)
        return makeError(ErrorKind::OutOfRange,
                         "data block " + std::to_string(dataBlock) + " is beyond any data device");
    auto owners = findDataBlockOwners(metadata, metadata.superblock(), dataBlock);
    if (!owners) return owners.takeError();
    if (!owners->errors.empty()) return makeError(ErrorKind::Corrupt, owners->errors.front());
    std::vector<RmapRun> runs;
    for (const DataBlockUse& u : owners->uses)
        runs.push_back(
            {dataBlock, dataBlock + 1, static_cast<std::uint32_t>(u.device), u.virtualBlock});
    return runs;
}

} // namespace dms
