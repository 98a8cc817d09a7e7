// info for cache metadata (see CacheEraCli.h): superblock fields, mapping totals (dirty from
// the mapping flags in format 1 and from the dirty bitset in format 2, as the kernel reads
// them), the hint width found in the hint array's blocks, the discard bitset, the space map.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CacheEraInfoFooter.h"

#include "core/bitset/BitsetReader.h"
#include "core/cache/CacheSuperblock.h"
#include "core/util/JsonWriter.h"

#include <bit>
#include <ostream>

namespace dms::cli {
namespace {

struct CacheTotals {
    std::uint64_t valid = 0, dirty = 0, discarded = 0;
    std::optional<std::uint32_t> hintValueSize; // from the hint array's first block
    std::optional<std::uint64_t> allocated;     // metadata space map, from the bitmaps
    std::vector<std::string> errors;
};

CacheTotals totals(const BlockReader& reader, const CacheSuperblock& sb) {
    CacheTotals t;
    std::vector<std::uint64_t> dirty;
    if (sb.version >= 2) {
        auto w = BitsetReader(reader, sb.dirtyRoot, sb.cacheBlocks, "dirty bitset").words();
        if (w)
            dirty = std::move(*w);
        else
            t.errors.push_back(w.error().describe());
    }
    ArrayReader mappings(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array");
    Status s = mappings.forEachValue([&](std::uint64_t cblock, const std::uint8_t* p) {
        const std::uint64_t v = loadLe64(p);
        if (!(v & CacheSuperblock::kMappingValid)) return;
        ++t.valid;
        if (sb.version >= 2 ? (!dirty.empty() && BitsetReader::testIn(dirty, cblock))
                            : (v & CacheSuperblock::kMappingDirty) != 0)
            ++t.dirty;
    });
    if (!s) t.errors.push_back(s.error().describe());
    if (sb.hintRoot) {
        auto vs = ArrayReader::firstBlockValueSize(reader, sb.hintRoot);
        if (vs)
            t.hintValueSize = *vs;
        else
            t.errors.push_back(vs.error().describe());
    }
    if (sb.discardRoot) {
        auto w = BitsetReader(reader, sb.discardRoot, sb.discardNrBlocks, "discard bitset").words();
        if (w)
            for (std::uint64_t i = 0; i < sb.discardNrBlocks; ++i)
                t.discarded += BitsetReader::testIn(*w, i);
        else
            t.errors.push_back(w.error().describe());
    }
    t.allocated = countMetadataAllocated(reader, sb.metadataSpaceMap, t.errors);
    return t;
}

} // namespace

int printCacheInfo(const CliArgs& args, const OpenedMetadata& md, CliIo& io) {
    BlockReader reader(md.source);
    auto read = CacheSuperblock::read(reader);
    if (!read) return reportError(io, "info", read.error());
    const CacheSuperblock& sb = *read;
    const CacheTotals t = totals(reader, sb);
    const std::string path = args.positional()[0];
    const std::string version = std::to_string(sb.policyVersion[0]) + "." +
                                std::to_string(sb.policyVersion[1]) + "." +
                                std::to_string(sb.policyVersion[2]);
    if (args.has("json")) {
        JsonWriter j(io.out);
        j.beginObject();
        j.field("path", path).field("kind", "cache");
        j.field("csum", sb.csum).field("flags", sb.flags);
        j.field("clean_shutdown", sb.cleanShutdown()).field("needs_check", sb.needsCheck());
        j.field("blocknr", sb.blocknr).field("magic", sb.magic).field("version", sb.version);
        j.field("policy_name", sb.policy()).field("policy_version", version);
        j.field("policy_hint_size", sb.policyHintSize).field("hint_width", sb.hintWidth());
        if (t.hintValueSize) j.field("hint_array_value_size", *t.hintValueSize);
        j.field("mapping_root", sb.mappingRoot).field("hint_root", sb.hintRoot);
        j.field("discard_root", sb.discardRoot).field("dirty_root", sb.dirtyRoot);
        j.field("discard_block_size", sb.discardBlockSize);
        j.field("discard_nr_blocks", sb.discardNrBlocks);
        j.field("data_block_size", sb.dataBlockSize);
        j.field("metadata_block_size", sb.metadataBlockSize);
        j.field("cache_blocks", sb.cacheBlocks);
        j.field("compat_flags", sb.compatFlags).field("compat_ro_flags", sb.compatRoFlags);
        j.field("incompat_flags", sb.incompatFlags);
        j.field("read_hits", sb.readHits).field("read_misses", sb.readMisses);
        j.field("write_hits", sb.writeHits).field("write_misses", sb.writeMisses);
        j.field("valid_mappings", t.valid).field("dirty_mappings", t.dirty);
        j.field("discarded_blocks", t.discarded);
        return finishInfoJson(j, io.out, sb.metadataSpaceMap.nrBlocks, t.allocated, t.errors);
    }
    std::ostream& o = io.out;
    o << "dm-cache superblock (format " << sb.version << ") of " << path << '\n';
    o << "  flags                " << sb.flags << (sb.cleanShutdown() ? " (CLEAN_SHUTDOWN)" : "")
      << (sb.needsCheck() ? " (NEEDS_CHECK)" : "") << '\n';
    o << "  policy               " << sb.policy() << " " << version << '\n';
    o << "  policy_hint_size     " << sb.policyHintSize << " (hint width " << sb.hintWidth();
    if (t.hintValueSize) o << ", hint array values " << *t.hintValueSize << " bytes";
    o << ")\n";
    o << "  data_block_size      " << sb.dataBlockSize << " sectors\n";
    o << "  cache_blocks         " << sb.cacheBlocks << '\n';
    o << "  mapping_root         " << sb.mappingRoot << '\n';
    o << "  hint_root            " << sb.hintRoot << '\n';
    o << "  discard_root         " << sb.discardRoot << " (" << sb.discardNrBlocks << " blocks of "
      << sb.discardBlockSize << " sectors)\n";
    if (sb.version >= 2) o << "  dirty_root           " << sb.dirtyRoot << '\n';
    o << "  compat/ro/incompat   " << sb.compatFlags << " " << sb.compatRoFlags << " "
      << sb.incompatFlags << '\n';
    o << "  hits/misses          read " << sb.readHits << "/" << sb.readMisses << ", write "
      << sb.writeHits << "/" << sb.writeMisses << '\n';
    o << "  valid mappings       " << t.valid << " (" << t.dirty << " dirty)\n";
    o << "  discarded blocks     " << t.discarded << '\n';
    return finishInfoText(o, sb.metadataSpaceMap.nrBlocks, t.allocated, t.errors);
}

} // namespace dms::cli
