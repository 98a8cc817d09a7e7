#include "core/thin/MappingCountTable.h"

namespace dms {

std::uint8_t* MappingCountTable::allocate(std::uint64_t c) {
    if (c >= chunks_.size()) chunks_.resize(c + 1);
    chunks_[c].reset(new std::uint8_t[kChunkBlocks / 4]());
    ++allocatedChunks_;
    return chunks_[c].get();
}

} // namespace dms
