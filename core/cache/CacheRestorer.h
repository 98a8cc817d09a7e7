#pragma once
// cache_restore's job: cache_dump XML (FORMAT.md §12) -> new dm-cache metadata, written in one
// transaction through the metadata space map, the btree writer and the array writer. Like
// cache_restore 0.9.0: the superblock says CLEAN_SHUTDOWN, 4-byte hints leave policy_hint_size
// 0, the discard bitset is empty, format 2 keeps dirtiness in the dirty bitset (mapping values
// carry only VALID). Unlike it, <discards> are read (and give the discard bitset its bits).

#include "core/BlockSource.h"

#include <istream>
#include <memory>

namespace dms {

struct CacheRestoreOptions {
    unsigned version = 1; // metadata format, 1 or 2 (cache_restore 0.9.0 defaults to 1)
};

Status restoreCacheXml(std::istream& xml, std::shared_ptr<BlockSource> device,
                       const CacheRestoreOptions& options);

} // namespace dms
