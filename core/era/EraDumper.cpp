#include "core/era/EraDumper.h"

#include "core/bitset/BitsetReader.h"
#include "core/check/SimpleTreeWalk.h"

namespace dms {

Expected<std::vector<EraWritesetEntry>> readEraWritesets(const BlockReader& reader,
                                                         std::uint64_t root) {
    std::vector<EraWritesetEntry> out;
    SimpleTreeWalk walk(reader, EraSuperblock::kWritesetValueSize, "writeset tree");
    Status s = walk.forEachEntry(root, [&](std::uint64_t key, const std::uint8_t* v) {
        out.push_back({static_cast<std::uint32_t>(key), EraWriteset::decode(v)});
    });
    if (!s) return s.error();
    return out;
}

Status dumpEraMetadata(const BlockReader& reader, const EraSuperblock& sb, OutputBuffer& out) {
    // era_dump 0.9.0 never reads the uuid from disk: it always prints an empty one.
    out.append("<superblock uuid=\"\" block_size=\"");
    out.appendU32(sb.dataBlockSize);
    out.append("\" nr_blocks=\"");
    out.appendU32(sb.nrBlocks);
    out.append("\" current_era=\"");
    out.appendU32(sb.currentEra);
    out.append("\">\n");
    auto writesets = readEraWritesets(reader, sb.writesetTreeRoot);
    if (!writesets) return writesets.error();
    for (const EraWritesetEntry& w : *writesets) {
        out.append("  <writeset era=\"");
        out.appendU32(w.era);
        out.append("\" nr_bits=\"");
        out.appendU32(w.writeset.nrBits);
        out.append("\">\n");
        BitsetReader bits(reader, w.writeset.root, w.writeset.nrBits,
                          "writeset of era " + std::to_string(w.era));
        auto words = bits.words();
        if (!words) return words.error();
        for (std::uint64_t i = 0; i < w.writeset.nrBits; ++i) {
            out.append("    <bit block=\"");
            out.appendU64(i);
            out.append(BitsetReader::testIn(*words, i) ? "\" value=\"true\"/>\n"
                                                       : "\" value=\"false\"/>\n");
        }
        out.append("  </writeset>\n");
    }
    out.append("  <era_array>\n");
    ArrayReader eras(reader, sb.eraArrayRoot, sb.nrBlocks, 4, "era array");
    Status s = eras.forEachValue([&](std::uint64_t block, const std::uint8_t* p) {
        out.append("    <era block=\"");
        out.appendU64(block);
        out.append("\" era=\"");
        out.appendU32(loadLe32(p));
        out.append("\"/>\n");
    });
    if (!s) return s;
    out.append("  </era_array>\n</superblock>\n");
    return Status::success();
}

} // namespace dms
