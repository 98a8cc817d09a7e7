#pragma once
// The dm-cache or dm-era part of an opened metadata device, beside the thin part of
// ThinPoolDocument: which kind it is, its superblock (decoded as stored when it fails
// validation, the failure kept, so that damaged metadata is inspected rather than refused) and
// the btrees it points at. The metadata space map has the thin format (FORMAT.md §5, §10), so
// the generic views read it through sharedSuperblock(): a thin superblock that carries only the
// metadata space-map root, metadata_nr_blocks and block 0's header words.

#include "core/MetadataKind.h"
#include "core/cache/CacheSuperblock.h"
#include "core/era/EraSuperblock.h"
#include "core/thin/ThinSuperblock.h"
#include "models/BtreeRoot.h"

#include <memory>
#include <optional>
#include <vector>

namespace dms {

class CacheEraDocument {
public:
    // kind must be Cache or Era (detectMetadataKind). Fails only when block 0 cannot be read.
    static Expected<std::shared_ptr<const CacheEraDocument>>
    open(std::shared_ptr<const BlockSource> source, MetadataKind kind);

    MetadataKind kind() const { return kind_; }
    bool isCache() const { return kind_ == MetadataKind::Cache; }
    bool isEra() const { return kind_ == MetadataKind::Era; }
    const BlockReader& reader() const { return reader_; }
    // Valid only for the matching kind.
    const CacheSuperblock& cache() const { return cache_; }
    const EraSuperblock& era() const { return era_; }
    const std::optional<Error>& superblockDamage() const { return damage_; }
    bool needsCheck() const { return isCache() && cache_.needsCheck(); }

    // The shared part of the superblock, in thin form, for the space-map and inspector views.
    ThinSuperblock sharedSuperblock() const;
    // The btrees of this metadata: array spines (mapping, hint, discard, dirty, era array), the
    // writeset tree, the live writeset's spine, and the metadata refcount tree.
    std::vector<BtreeRoot> btreeRoots() const;
    // "dm-cache metadata (format 2)", "dm-era metadata".
    QString kindText() const;

private:
    CacheEraDocument(std::shared_ptr<const BlockSource> source, MetadataKind kind);

    MetadataKind kind_;
    BlockReader reader_;
    CacheSuperblock cache_;
    EraSuperblock era_;
    std::optional<Error> damage_;
};

} // namespace dms
