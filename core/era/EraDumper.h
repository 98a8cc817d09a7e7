#pragma once
// era_dump 0.9.0's XML, byte for byte (FORMAT.md §12):
//
//   <superblock uuid="" block_size="S" nr_blocks="N" current_era="E">
//     <writeset era="E" nr_bits="N">
//       <bit block="B" value="true|false"/>      every bit of every archived writeset
//     </writeset>
//     <era_array>
//       <era block="B" era="E"/>                  every entry of the era array
//     </era_array>
//   </superblock>
//
// Writesets come from the writeset tree in era order. The live writeset (current_writeset) is
// not printed, as by era_dump.

#include "core/era/EraSuperblock.h"
#include "core/util/OutputBuffer.h"

#include <vector>

namespace dms {

struct EraWritesetEntry {
    std::uint32_t era = 0;
    EraWriteset writeset;
};

// The writeset tree's entries in era order; the first error stops it.
Expected<std::vector<EraWritesetEntry>> readEraWritesets(const BlockReader& reader,
                                                         std::uint64_t root);

// Streams the dump into out; damage stops it with an error naming block and field.
Status dumpEraMetadata(const BlockReader& reader, const EraSuperblock& sb, OutputBuffer& out);

} // namespace dms
