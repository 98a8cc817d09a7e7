// info for era metadata (see CacheEraCli.h): superblock fields, the archived writesets (bits
// set in each), the era array's spread and the metadata space map.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CacheEraInfoFooter.h"

#include "core/bitset/BitsetReader.h"
#include "core/era/EraDumper.h"
#include "core/util/JsonWriter.h"

#include <ostream>

namespace dms::cli {
namespace {

struct WritesetSummary {
    std::uint32_t era = 0, nrBits = 0;
    std::uint64_t root = 0, set = 0;
};

struct EraTotals {
    std::vector<WritesetSummary> writesets;
    std::uint64_t written = 0; // era array entries above 0
    std::uint32_t maxEra = 0;
    std::optional<std::uint64_t> allocated;
    std::vector<std::string> errors;
};

EraTotals totals(const BlockReader& reader, const EraSuperblock& sb) {
    EraTotals t;
    auto ws = readEraWritesets(reader, sb.writesetTreeRoot);
    if (!ws) t.errors.push_back(ws.error().describe());
    for (const EraWritesetEntry& e : ws ? *ws : std::vector<EraWritesetEntry>{}) {
        WritesetSummary s{e.era, e.writeset.nrBits, e.writeset.root, 0};
        auto words = BitsetReader(reader, e.writeset.root, e.writeset.nrBits, "writeset").words();
        if (words)
            for (std::uint64_t i = 0; i < e.writeset.nrBits; ++i)
                s.set += BitsetReader::testIn(*words, i);
        else
            t.errors.push_back(words.error().describe());
        t.writesets.push_back(s);
    }
    Status s = ArrayReader(reader, sb.eraArrayRoot, sb.nrBlocks, 4, "era array")
                   .forEachValue([&](std::uint64_t, const std::uint8_t* p) {
                       const std::uint32_t era = loadLe32(p);
                       t.written += era != 0;
                       t.maxEra = std::max(t.maxEra, era);
                   });
    if (!s) t.errors.push_back(s.error().describe());
    t.allocated = countMetadataAllocated(reader, sb.metadataSpaceMap, t.errors);
    return t;
}

} // namespace

int printEraInfo(const CliArgs& args, const OpenedMetadata& md, CliIo& io) {
    BlockReader reader(md.source);
    auto read = EraSuperblock::read(reader);
    if (!read) return reportError(io, "info", read.error());
    const EraSuperblock& sb = *read;
    const EraTotals t = totals(reader, sb);
    const std::string path = args.positional()[0];
    if (args.has("json")) {
        JsonWriter j(io.out);
        j.beginObject();
        j.field("path", path).field("kind", "era");
        j.field("csum", sb.csum).field("flags", sb.flags).field("blocknr", sb.blocknr);
        j.field("magic", sb.magic).field("version", sb.version);
        j.field("data_block_size", sb.dataBlockSize);
        j.field("metadata_block_size", sb.metadataBlockSize);
        j.field("nr_blocks", sb.nrBlocks).field("current_era", sb.currentEra);
        j.field("current_writeset_nr_bits", sb.currentWritesetNrBits);
        j.field("current_writeset_root", sb.currentWritesetRoot);
        j.field("writeset_tree_root", sb.writesetTreeRoot);
        j.field("era_array_root", sb.eraArrayRoot).field("metadata_snap", sb.metadataSnap);
        j.key("writesets").beginArray();
        for (const WritesetSummary& w : t.writesets) {
            j.beginObject();
            j.field("era", w.era).field("nr_bits", w.nrBits).field("root", w.root);
            j.field("bits_set", w.set);
            j.endObject();
        }
        j.endArray();
        j.field("blocks_written", t.written).field("highest_era_in_array", t.maxEra);
        return finishInfoJson(j, io.out, sb.metadataSpaceMap.nrBlocks, t.allocated, t.errors);
    }
    std::ostream& o = io.out;
    o << "dm-era superblock of " << path << '\n';
    o << "  flags                " << sb.flags << ((sb.flags & 1) ? " (CLEAN_SHUTDOWN)" : "")
      << '\n';
    o << "  data_block_size      " << sb.dataBlockSize << " sectors\n";
    o << "  nr_blocks            " << sb.nrBlocks << '\n';
    o << "  current_era          " << sb.currentEra << '\n';
    o << "  current_writeset     root " << sb.currentWritesetRoot << ", "
      << sb.currentWritesetNrBits << " bits\n";
    o << "  writeset_tree_root   " << sb.writesetTreeRoot << '\n';
    o << "  era_array_root       " << sb.eraArrayRoot << '\n';
    o << "  metadata_snap        " << sb.metadataSnap << '\n';
    for (const WritesetSummary& w : t.writesets)
        o << "  writeset era " << w.era << ": " << w.set << " of " << w.nrBits
          << " blocks written (bitset root " << w.root << ")\n";
    o << "  era array            " << t.written << " blocks written, highest era " << t.maxEra
      << '\n';
    return finishInfoText(o, sb.metadataSpaceMap.nrBlocks, t.allocated, t.errors);
}

} // namespace dms::cli
