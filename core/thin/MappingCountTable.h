#pragma once
// How many mappings point at each data block, saturating at 2 ("one" = exclusive, "two or
// more" = shared): thin_ls's per-data-block state. Two bits per block, in chunks allocated on
// first use, so memory follows the data blocks actually mapped (a quarter byte each) and a
// hostile mapping far beyond the data device costs one chunk, not a table up to it.

#include <cstdint>
#include <memory>
#include <vector>

namespace dms {

class MappingCountTable {
public:
    static constexpr unsigned kChunkShift = 18; // 256 Ki blocks = 64 KiB per chunk
    static constexpr std::uint64_t kChunkBlocks = std::uint64_t(1) << kChunkShift;

    // Counts one more mapping of data block b (saturating at 2).
    void add(std::uint64_t b) {
        std::uint8_t* chunk = chunkFor(b >> kChunkShift);
        const std::uint64_t i = b & (kChunkBlocks - 1);
        std::uint8_t& byte = chunk[i / 4];
        const unsigned shift = 2 * static_cast<unsigned>(i % 4);
        const unsigned v = (byte >> shift) & 3u;
        if (v < 2) byte = static_cast<std::uint8_t>(byte + (1u << shift));
    }

    // 0, 1, or 2 for "two or more".
    unsigned count(std::uint64_t b) const {
        const std::uint64_t c = b >> kChunkShift;
        if (c >= chunks_.size() || !chunks_[c]) return 0;
        const std::uint64_t i = b & (kChunkBlocks - 1);
        return (chunks_[c][i / 4] >> (2 * (i % 4))) & 3u;
    }

    std::size_t allocatedBytes() const { return allocatedChunks_ * (kChunkBlocks / 4); }

private:
    std::uint8_t* chunkFor(std::uint64_t c) {
        if (c < chunks_.size() && chunks_[c]) return chunks_[c].get();
        return allocate(c);
    }
    std::uint8_t* allocate(std::uint64_t c);

    std::vector<std::unique_ptr<std::uint8_t[]>> chunks_;
    std::size_t allocatedChunks_ = 0;
};

} // namespace dms
