#include "core/cache/CacheDumper.h"

#include "core/bitset/BitsetReader.h"

namespace dms {

std::string base64Encode(const std::uint8_t* data, std::size_t size) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < size) {
        const std::uint32_t v = (data[i] << 16) | (i + 1 < size ? data[i + 1] << 8 : 0);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < size ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

namespace {

Status dumpMappings(const BlockReader& reader, const CacheSuperblock& sb,
                    const std::vector<std::uint64_t>* dirtyWords, std::vector<std::uint64_t>& valid,
                    OutputBuffer& out) {
    ArrayReader mappings(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array");
    return mappings.forEachValue([&](std::uint64_t cblock, const std::uint8_t* p) {
        const std::uint64_t v = loadLe64(p);
        if (!(v & CacheSuperblock::kMappingValid)) return;
        valid[cblock / 64] |= std::uint64_t(1) << (cblock % 64);
        const bool dirty = dirtyWords ? BitsetReader::testIn(*dirtyWords, cblock)
                                      : (v & CacheSuperblock::kMappingDirty) != 0;
        out.append("    <mapping cache_block=\"");
        out.appendU64(cblock);
        out.append("\" origin_block=\"");
        out.appendU64(v >> 16);
        out.append(dirty ? "\" dirty=\"true\"/>\n" : "\" dirty=\"false\"/>\n");
    });
}

Status dumpHints(const BlockReader& reader, const CacheSuperblock& sb,
                 const std::vector<std::uint64_t>& valid, OutputBuffer& out) {
    const std::uint32_t width = sb.hintWidth();
    if (width == 0 || width % 4 || width > 128)
        return makeError(ErrorKind::Corrupt, "invalid hint width " + std::to_string(width), 0,
                         "policy_hint_size");
    ArrayReader hints(reader, sb.hintRoot, sb.cacheBlocks, width, "hint array");
    return hints.forEachValue([&](std::uint64_t cblock, const std::uint8_t* p) {
        if (!BitsetReader::testIn(valid, cblock)) return;
        out.append("    <hint cache_block=\"");
        out.appendU64(cblock);
        out.append("\" data=\"");
        out.append(base64Encode(p, width));
        out.append("\"/>\n");
    });
}

} // namespace

Expected<std::uint64_t> dirtyMappingsHiddenByDefault(const BlockReader& reader,
                                                     const CacheSuperblock& sb) {
    if (sb.version < 2) return std::uint64_t(0);
    auto dirty = BitsetReader(reader, sb.dirtyRoot, sb.cacheBlocks, "dirty bitset").words();
    if (!dirty) return dirty.error();
    std::uint64_t n = 0;
    ArrayReader mappings(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array");
    Status s = mappings.forEachValue([&](std::uint64_t cblock, const std::uint8_t* p) {
        if ((loadLe64(p) & CacheSuperblock::kMappingValid) && BitsetReader::testIn(*dirty, cblock))
            ++n;
    });
    if (!s) return s.error();
    return n;
}

Status dumpCacheMetadata(const BlockReader& reader, const CacheSuperblock& sb,
                         const CacheDumpOptions& options, OutputBuffer& out) {
    if (Status s =
            ArrayReader(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array").plausible();
        !s)
        return s;
    std::vector<std::uint64_t> dirtyWords;
    const bool useBitset = options.dirtyFromBitset && sb.version >= 2;
    if (useBitset) {
        auto w = BitsetReader(reader, sb.dirtyRoot, sb.cacheBlocks, "dirty bitset").words();
        if (!w) return w.error();
        dirtyWords = std::move(*w);
    }
    out.append("<superblock uuid=\"");
    out.append(sb.uuidText());
    out.append("\" block_size=\"");
    out.appendU32(sb.dataBlockSize);
    out.append("\" nr_cache_blocks=\"");
    out.appendU32(sb.cacheBlocks);
    out.append("\" policy=\"");
    out.append(sb.policy());
    out.append("\" hint_width=\"");
    out.appendU32(sb.hintWidth());
    out.append("\">\n  <mappings>\n");
    std::vector<std::uint64_t> valid(BitsetReader::wordsFor(sb.cacheBlocks), 0);
    if (Status s = dumpMappings(reader, sb, useBitset ? &dirtyWords : nullptr, valid, out); !s)
        return s;
    out.append("  </mappings>\n  <hints>\n");
    if (sb.hintRoot)
        if (Status s = dumpHints(reader, sb, valid, out); !s) return s;
    out.append("  </hints>\n</superblock>\n");
    return Status::success();
}

} // namespace dms
