// dmscope-cli info: every superblock field, both space maps' totals, tree roots and depths.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/btree/BtreeLookup.h"
#include "core/devmapper/LivePool.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "core/util/JsonWriter.h"

#include <iomanip>
#include <ostream>

namespace dms::cli {
namespace {

struct SpaceMapSummary {
    SpaceMapRoot root;
    std::optional<std::uint64_t> allocated; // from the bitmaps
    std::string error;
};

SpaceMapSummary summarise(const ThinMetadata& md, const SpaceMapRoot& root, SpaceMapKind kind) {
    SpaceMapSummary s;
    s.root = root;
    if (root.isZero()) return s; // the held copy has zeroed roots
    auto sm = SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) {
        s.error = sm.error().describe();
        return s;
    }
    auto n = sm->countAllocated();
    if (n)
        s.allocated = *n;
    else
        s.error = n.error().describe();
    return s;
}

std::string depthText(const ThinMetadata& md, std::uint64_t root) {
    auto h = btreeHeight(md.reader(), root);
    return h ? std::to_string(*h) : "? (" + h.error().describe() + ")";
}

void writeSpaceMapJson(JsonWriter& j, const char* name, const SpaceMapSummary& s) {
    j.key(name).beginObject();
    j.field("nr_blocks", s.root.nrBlocks);
    j.field("nr_allocated_field", s.root.nrAllocated);
    j.field("bitmap_root", s.root.bitmapRoot);
    j.field("ref_count_root", s.root.refCountRoot);
    if (s.allocated) {
        j.field("allocated", *s.allocated);
        j.field("free", s.root.nrBlocks - *s.allocated);
    }
    if (!s.error.empty()) j.field("error", s.error);
    j.endObject();
}

void writeSpaceMapText(std::ostream& o, const char* name, const SpaceMapSummary& s) {
    o << name << ":\n";
    o << "  nr_blocks            " << s.root.nrBlocks << '\n';
    if (s.allocated) {
        o << "  allocated            " << *s.allocated << '\n';
        o << "  free                 " << s.root.nrBlocks - *s.allocated << '\n';
    }
    o << "  nr_allocated (field) " << s.root.nrAllocated << '\n';
    o << "  bitmap_root          " << s.root.bitmapRoot << '\n';
    o << "  ref_count_root       " << s.root.refCountRoot << '\n';
    if (!s.error.empty()) o << "  error                " << s.error << '\n';
}

// The kernel's view of a live pool beside the superblock shown (block 0, or with --metadata-snap
// the held copy), and any transaction-id mismatch between them (findTransactionMismatch).
void writeLivePoolJson(JsonWriter& j, const ThinPoolInfo& pool, const ThinSuperblock& sb) {
    j.key("live_pool").beginObject();
    j.field("name", pool.name);
    j.field("dev", pool.dev.text());
    j.field("status", pool.status ? pool.status->text : pool.statusError);
    if (pool.status && !pool.status->failed()) {
        j.field("transaction_id", pool.status->transactionId);
        j.key("held_root");
        if (pool.status->heldRoot)
            j.value(*pool.status->heldRoot);
        else
            j.null();
    }
    j.field("superblock_transaction_id", sb.transactionId);
    j.field("superblock_location", sb.location);
    j.field("transaction_id_mismatch", findTransactionMismatch(pool.status, sb).has_value());
    j.endObject();
}

void writeLivePoolText(std::ostream& o, const ThinPoolInfo& pool, const ThinSuperblock& sb) {
    o << "live pool " << pool.name << " (" << pool.dev.text() << "), dmsetup status:\n";
    o << "  " << (pool.status ? pool.status->text : "? (" + pool.statusError + ")") << '\n';
    if (!pool.status || pool.status->failed()) return;
    o << "  transaction_id       " << pool.status->transactionId;
    if (auto mismatch = findTransactionMismatch(pool.status, sb))
        o << "  MISMATCH: " << mismatch->describe();
    o << '\n';
    o << "  held_root            "
      << (pool.status->heldRoot ? std::to_string(*pool.status->heldRoot) : std::string("-"))
      << '\n';
    o << "  metadata blocks      " << pool.status->usedMetadataBlocks << " / "
      << pool.status->totalMetadataBlocks << " used\n";
    o << "  data blocks          " << pool.status->usedDataBlocks << " / "
      << pool.status->totalDataBlocks << " used\n";
    o << "  mode                 " << poolModeName(pool.status->mode)
      << (pool.status->needsCheck ? ", needs_check" : "") << '\n';
}

int runInfo(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
        {"metadata-snap", 'm', OptionSpec::Kind::Flag, "show the held metadata snapshot's copy"},
        kHelperOption,
    };
    auto args = parseCommandArgs(argv, spec, 1, "info");
    if (!args) return reportError(io, "info", args.error());
    // One open (through the helper with --helper, O_DIRECT for a live pool), then cache and era
    // metadata go to their own printers.
    const std::string& path = args->positional()[0];
    auto live = prepareLiveRead(path, args->has("metadata-snap"), io, "info", args->has("helper"));
    if (!live) return reportError(io, "info", live.error());
    auto source = (*live)->openSource(path);
    if (!source) return reportError(io, "info", source.error());
    if (auto kind = detectMetadataKind(**source); kind && *kind == MetadataKind::Cache)
        return printCacheInfo(*args, OpenedMetadata{*source, *kind}, io);
    else if (kind && *kind == MetadataKind::Era)
        return printEraInfo(*args, OpenedMetadata{*source, *kind}, io);
    auto opened = ThinMetadata::open(*source);
    if (!opened) return reportError(io, "info", opened.error());
    (*live)->metadata = std::move(*opened);
    const ThinMetadata& m = *(*live)->metadata;
    const std::optional<ThinPoolInfo>& pool = (*live)->pool;
    ThinSuperblock sb = m.superblock();
    if (args->has("metadata-snap")) {
        auto held = m.metadataSnapshot();
        if (!held) return reportError(io, "info", held.error());
        sb = *held;
    }
    const auto dataSm = summarise(m, sb.dataSpaceMap, SpaceMapKind::Data);
    const auto metaSm = summarise(m, sb.metadataSpaceMap, SpaceMapKind::Metadata);
    const std::string mappingDepth = depthText(m, sb.dataMappingRoot);
    const std::string detailsDepth = depthText(m, sb.deviceDetailsRoot);

    if (args->has("json")) {
        JsonWriter j(io.out);
        j.beginObject();
        j.field("path", args->positional()[0]);
        j.field("location", sb.location);
        j.field("csum", sb.csum);
        j.field("flags", sb.flags);
        j.field("needs_check", sb.needsCheck());
        j.field("blocknr", sb.blocknr);
        j.field("magic", sb.magic);
        j.field("version", sb.version);
        j.field("time", sb.time);
        j.field("transaction_id", sb.transactionId);
        j.field("held_root", sb.heldRoot);
        j.field("data_mapping_root", sb.dataMappingRoot);
        j.field("data_mapping_depth", mappingDepth);
        j.field("device_details_root", sb.deviceDetailsRoot);
        j.field("device_details_depth", detailsDepth);
        j.field("data_block_size", sb.dataBlockSize);
        j.field("metadata_block_size", sb.metadataBlockSize);
        j.field("metadata_nr_blocks", sb.metadataNrBlocks);
        j.field("device_blocks", m.reader().blockCount());
        j.field("compat_flags", sb.compatFlags);
        j.field("compat_ro_flags", sb.compatRoFlags);
        j.field("incompat_flags", sb.incompatFlags);
        writeSpaceMapJson(j, "data_space_map", dataSm);
        writeSpaceMapJson(j, "metadata_space_map", metaSm);
        if (pool) writeLivePoolJson(j, *pool, sb);
        j.endObject();
        return kExitOk;
    }
    std::ostream& o = io.out;
    o << (sb.location == 0 ? "superblock" : "metadata snapshot superblock (held copy)")
      << " at block " << sb.location << " of " << args->positional()[0] << '\n';
    o << "  flags                " << sb.flags << (sb.needsCheck() ? " (NEEDS_CHECK)" : "") << '\n';
    o << "  csum                 0x" << std::hex << std::setw(8) << std::setfill('0') << sb.csum
      << std::dec << std::setfill(' ') << '\n';
    o << "  blocknr              " << sb.blocknr << '\n';
    o << "  magic                " << sb.magic << '\n';
    o << "  version              " << sb.version << '\n';
    o << "  time                 " << sb.time << '\n';
    o << "  transaction_id       " << sb.transactionId << '\n';
    o << "  held_root            " << sb.heldRoot << '\n';
    o << "  data_mapping_root    " << sb.dataMappingRoot << " (depth " << mappingDepth << ")\n";
    o << "  device_details_root  " << sb.deviceDetailsRoot << " (depth " << detailsDepth << ")\n";
    o << "  data_block_size      " << sb.dataBlockSize << " sectors ("
      << std::uint64_t(sb.dataBlockSize) * 512 / 1024 << " KiB)\n";
    o << "  metadata_block_size  " << sb.metadataBlockSize << " sectors\n";
    o << "  metadata_nr_blocks   " << sb.metadataNrBlocks << " (device holds "
      << m.reader().blockCount() << ")\n";
    o << "  compat_flags         " << sb.compatFlags << '\n';
    o << "  compat_ro_flags      " << sb.compatRoFlags << '\n';
    o << "  incompat_flags       " << sb.incompatFlags << '\n';
    writeSpaceMapText(o, "data space map", dataSm);
    writeSpaceMapText(o, "metadata space map", metaSm);
    if (pool) writeLivePoolText(o, *pool, sb);
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(
    info, "info", "IMG [--json] [--metadata-snap] [--helper]",
    "print every superblock field, space-map totals, tree roots and depths (thin, cache, era)",
    &runInfo);

} // namespace dms::cli
