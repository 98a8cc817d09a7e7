#pragma once
// cache_dump 0.9.0's XML, byte for byte (FORMAT.md §12):
//
//   <superblock uuid="" block_size="S" nr_cache_blocks="N" policy="smq" hint_width="4">
//     <mappings>
//       <mapping cache_block="C" origin_block="O" dirty="true|false"/>
//     </mappings>
//     <hints>
//       <hint cache_block="C" data="BASE64"/>
//     </hints>
//   </superblock>
//
// Mappings are the valid entries of the mapping array in cache-block order; hints are printed
// for valid cache blocks only, when a hint array exists. Discards are never printed (0.9.0
// does not walk the discard bitset).
//
// The one deliberate difference (docs/CACHE-ERA.md): cache_dump 0.9.0 takes `dirty` from the
// mapping value's DIRTY flag in both formats, but format 2 keeps dirtiness in the dirty bitset
// and its mapping values carry only VALID, so every format-2 mapping is printed clean. That is
// the default here too (byte-identical output); dirtyFromBitset prints the bitset's bits.

#include "core/cache/CacheSuperblock.h"
#include "core/util/OutputBuffer.h"

namespace dms {

struct CacheDumpOptions {
    bool dirtyFromBitset = false; // format 2: dirty from the dirty bitset, as on disk
};

// Streams the dump into out. Damage stops the dump with an error naming block and field; what
// was written before stays in out.
Status dumpCacheMetadata(const BlockReader& reader, const CacheSuperblock& sb,
                         const CacheDumpOptions& options, OutputBuffer& out);

// Format 2: the valid mappings the dirty bitset marks dirty, which the default dump prints
// clean (0 for format 1).
Expected<std::uint64_t> dirtyMappingsHiddenByDefault(const BlockReader& reader,
                                                     const CacheSuperblock& sb);

// Standard base64 (RFC 4648, '=' padding), as cache_dump prints hints.
std::string base64Encode(const std::uint8_t* data, std::size_t size);

} // namespace dms
