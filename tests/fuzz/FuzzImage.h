#pragma once
// The image the fuzz targets work on: the first 16 blocks of tools/thin_small (a complete pool:
// superblock, both space maps, details and mapping trees), or another fixture's first blocks
// (buildImageFrom), with the fuzz input applied as a list of edits. Edited blocks are re-sealed
// with their original checksum type by default, so the fuzzer gets past the checksums and reaches
// the structure behind them.
//
// Input: byte 0 = flags (bit 0: leave checksums as edited, bit 1: ignore non-fatal errors),
// then records: op byte (low 3 bits: 0-3 write, 4 zero a block, 5 swap two blocks, 6 truncate,
// 7 copy a block), block byte, 16-bit offset, length byte, payload.

#include "core/BlockType.h"
#include "core/Endian.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>
#include <zstd.h>

namespace dms::fuzz {

inline constexpr std::size_t kImageBlocks = 16;

struct BaseImage {
    std::vector<std::uint8_t> bytes;
    std::vector<std::optional<BlockType>> types; // checksum type of each block, if any
};

inline std::vector<std::uint8_t> readFixture(const char* path) {
    std::vector<std::uint8_t> packed;
    if (FILE* f = std::fopen(path, "rb")) {
        std::uint8_t buf[65536];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            packed.insert(packed.end(), buf, buf + n);
        std::fclose(f);
    }
    const unsigned long long size = ZSTD_getFrameContentSize(packed.data(), packed.size());
    if (packed.empty() || size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        return {};
    std::vector<std::uint8_t> out(size);
    const std::size_t n = ZSTD_decompress(out.data(), out.size(), packed.data(), packed.size());
    if (ZSTD_isError(n)) return {};
    return out;
}

// The first `blocks` blocks of a fixture, with the checksum type of each block found among
// `candidates` (for re-sealing edited blocks).
inline BaseImage loadBaseImage(const char* fixture, std::size_t blocks,
                               std::initializer_list<BlockType> candidates) {
    BaseImage b;
    b.bytes = readFixture(fixture);
    if (b.bytes.size() < blocks * kBlockSize) {
        std::fprintf(stderr, "fuzz: cannot read the fixture %s\n", fixture);
        std::abort();
    }
    b.bytes.resize(blocks * kBlockSize);
    for (std::size_t i = 0; i < blocks; ++i) {
        const std::uint8_t* p = b.bytes.data() + i * kBlockSize;
        std::optional<BlockType> type;
        for (BlockType t : candidates)
            if (computeChecksum(p, t) == loadLe32(p)) type = t;
        b.types.push_back(type);
    }
    return b;
}

inline const BaseImage& baseImage() {
    static const BaseImage base =
        loadBaseImage(DMSCOPE_FIXTURES_DIR "/tools/thin_small.bin.zst", kImageBlocks,
                      {BlockType::ThinSuperblock, BlockType::BtreeNode, BlockType::Bitmap,
                       BlockType::MetadataIndex});
    return base;
}

struct FuzzImage {
    std::vector<std::uint8_t> bytes;
    bool ignoreNonFatal = false;
};

// The fuzz input applied to `base` (see the top of this file).
inline FuzzImage buildImageFrom(const BaseImage& base, const std::uint8_t* data, std::size_t size) {
    const std::size_t nBlocks = base.types.size();
    FuzzImage img;
    img.bytes = base.bytes;
    std::vector<bool> touched(nBlocks, false);
    std::vector<std::optional<BlockType>> types = base.types;
    bool reseal = true;
    if (size > 0) {
        reseal = !(data[0] & 1);
        img.ignoreNonFatal = data[0] & 2;
        ++data;
        --size;
    }
    std::size_t blocks = nBlocks;
    while (size >= 5) {
        const unsigned op = data[0] & 7;
        const std::size_t block = data[1] % nBlocks;
        const std::size_t offset = loadLe32(data + 1) >> 8 & 0xFFF; // bytes 2..3
        const std::size_t len = std::min<std::size_t>(data[4] % 64 + 1, size - 5);
        const std::uint8_t* payload = data + 5;
        std::uint8_t* blockBytes = img.bytes.data() + block * kBlockSize;
        switch (op) {
        case 4:
            std::memset(blockBytes, 0, kBlockSize);
            touched[block] = true;
            break;
        case 5: {
            const std::size_t other = data[4] % nBlocks;
            std::swap_ranges(blockBytes, blockBytes + kBlockSize,
                             img.bytes.data() + other * kBlockSize);
            std::swap(types[block], types[other]);
            break;
        }
        case 6: // the file ends inside `block`; nothing after this applies
            blocks = block;
            img.bytes.resize(block * kBlockSize + offset);
            size = 0;
            continue;
        case 7: {
            const std::size_t other = data[4] % nBlocks;
            std::memcpy(img.bytes.data() + other * kBlockSize, blockBytes, kBlockSize);
            types[other] = types[block];
            touched[other] = true;
            break;
        }
        default: {
            const std::size_t n = std::min(len, kBlockSize - offset);
            std::memcpy(blockBytes + offset, payload, n);
            touched[block] = true;
            data += len;
            size -= len;
            break;
        }
        }
        data += 5;
        size -= 5;
    }
    if (reseal)
        for (std::size_t i = 0; i < blocks; ++i)
            if (touched[i] && types[i]) {
                std::uint8_t* p = img.bytes.data() + i * kBlockSize;
                storeLe32(p, computeChecksum(p, *types[i]));
            }
    return img;
}

inline FuzzImage buildImage(const std::uint8_t* data, std::size_t size) {
    return buildImageFrom(baseImage(), data, size);
}

} // namespace dms::fuzz
