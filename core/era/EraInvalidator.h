#pragma once
// The blocks era_invalidate 0.9.0 reports as written since an era, and its XML, byte for byte:
//
//   <blocks>
//     <block block="B"/>                 a lone block
//     <range begin="B" end = "E"/>       blocks B .. E-1 (sic: blanks around the second '=')
//   </blocks>
//
// A block is written since era T when its era-array entry is >= T, or when an archived writeset
// of an era >= T has its bit set (every bit up to that writeset's nr_bits, also beyond nr_blocks,
// as 0.9.0 walks them). The live writeset is not looked at (0.9.0 does not). Like 0.9.0, any
// damage to the writeset tree or a writeset (including the empty bitset the 0.9.0 tools reject)
// fails the whole report, and so does a damaged era array.

#include "core/era/EraSuperblock.h"
#include "core/util/OutputBuffer.h"

#include <vector>

namespace dms {

// The written blocks as a bitmap (bit b of word b / 64), long enough for every reported block.
struct EraWrittenBlocks {
    std::vector<std::uint64_t> words;
    bool test(std::uint64_t b) const {
        return b / 64 < words.size() && ((words[b / 64] >> (b % 64)) & 1);
    }
};

Expected<EraWrittenBlocks> eraBlocksWrittenSince(const BlockReader& reader, const EraSuperblock& sb,
                                                 std::uint32_t since);

void writeEraInvalidateXml(const EraWrittenBlocks& blocks, OutputBuffer& out);

} // namespace dms
