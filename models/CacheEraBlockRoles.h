#pragma once
// What each metadata block of dm-cache or dm-era metadata is used for, found by walking from the
// superblock: the metadata space map (index block, bitmaps, refcount tree), every dm-array's spine
// and array blocks (cache: mapping, hint, discard, format-2 dirty; era: the era array, each
// archived writeset's bitset and the live one) and the era writeset tree; then the space map's
// counts for what nothing reached (free, or leaked when counted). Each reached block keeps the
// block that points at it (0: a superblock field). A damaged node is Unreadable with the reason
// in errors; the walk goes on around it. Qt-free; 9 bytes per block.

#include "models/CacheEraDocument.h"

#include <atomic>
#include <string>
#include <vector>

namespace dms {

enum class MetadataBlockRole : std::uint8_t {
    Free,
    Superblock,
    SpaceMapIndex,
    SpaceMapBitmap,
    RefcountNode,
    ArraySpine,   // a dm-array's btree node
    MappingArray, // array blocks of the cache mapping array
    HintArray,
    DiscardBitset,
    DirtyBitset,
    EraArray,
    WritesetTree,   // a node of the era writeset btree
    WritesetBitset, // array blocks of an era writeset (archived or live)
    Leaked,         // counted in the space map, reached by nothing
    Unreadable,     // reached, but fails validation
    Count
};

const char* metadataBlockRoleName(MetadataBlockRole role);

class CacheEraBlockRoles {
public:
    static constexpr std::uint64_t kNoParent = ~std::uint64_t(0);

    static CacheEraBlockRoles classify(const CacheEraDocument& doc,
                                       const std::atomic<bool>* cancel = nullptr);

    std::uint64_t size() const { return roles_.size(); }
    MetadataBlockRole role(std::uint64_t b) const { return MetadataBlockRole(roles_[b]); }
    const std::vector<std::uint8_t>& roleBytes() const { return roles_; }
    // The block pointing at b: 0 for a superblock field, kNoParent when nothing does.
    std::uint64_t parent(std::uint64_t b) const { return parents_[b]; }
    std::uint64_t total(MetadataBlockRole r) const { return totals_[std::size_t(r)]; }
    const std::vector<std::string>& errors() const { return errors_; }

private:
    void mark(std::uint64_t b, MetadataBlockRole role, std::uint64_t parent);
    void walkTree(std::uint64_t root, std::uint32_t leafValueSize, MetadataBlockRole nodeRole,
                  MetadataBlockRole leafTargets, std::uint64_t parent, const char* name,
                  std::vector<std::uint64_t>* leafValues = nullptr);
    void walkArray(std::uint64_t root, MetadataBlockRole blocks, const char* name);

    const BlockReader* reader_ = nullptr;
    const std::atomic<bool>* cancel_ = nullptr;
    std::vector<std::uint8_t> roles_;
    std::vector<std::uint64_t> parents_;
    std::uint64_t totals_[std::size_t(MetadataBlockRole::Count)] = {};
    std::vector<std::string> errors_;
};

} // namespace dms
