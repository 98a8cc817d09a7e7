// dmscope-cli stats: refcount histograms, free runs, btree depth and fill, per-device counts and
// mapping times (core/thin/MetadataStats). The JSON keys are a stable interface (chart export).

#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/thin/MetadataStats.h"
#include "core/util/JsonWriter.h"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kHelp =
    R"HELP(usage: dmscope-cli stats IMG [--json] [--metadata-snap] [--helper]
  Statistics of a thin pool's metadata. Trees, devices and mapping times come from the live
  superblock, or with --metadata-snap from the held metadata snapshot; both space maps always come
  from the live superblock.

--json keys (stable; percentages are rounded to 2 decimals):
  path, source ("live" | "metadata_snapshot"), time (superblock time),
  metadata_space_map, data_space_map: {
    nr_blocks,
    refcounts [{count, blocks}]   every count present, count 0 (free) included, ascending,
    free_runs {runs, free_blocks, largest, largest_first,
               buckets [{min, max, runs, blocks}]}  runs of count-0 blocks; bucket k holds the
                                                     lengths 2^k .. 2^(k+1)-1 (empty ones too) }
  trees [{name, root, levels, nodes, nodes_per_level [root level first], entries (leaf entries),
          leaf_fill {nodes, min, avg, max}, internal_fill {nodes, min, avg, max}}]
    names: metadata_refcount, data_refcount, data_sm_index, details, mapping_top, mapping_bottom
    (root 0: all devices' bottom-level trees together; a node shared by several devices
    counts once per device). Fill = 100 * nr_entries / max_entries; avg is the mean over nodes.
  devices [{id, mapped_blocks (details field), mappings (leaf entries found), exclusive (no
           other mapping of the walked devices points at the data block, as thin_ls),
           shared (mappings - exclusive), transaction_id, creation_time, snapshotted_time, root,
           levels, nodes, nodes_per_level, entries, leaf_fill {..}, internal_fill {..}}]
  mapping_times [{time, mappings}]  mappings of all devices by mapping time, ascending
  problems [text]  damage met; the figures around it are partial

Exit status: 0; 1 when the metadata is damaged (figures still printed); 2 usage.
)HELP";

double round2(double v) {
    return std::round(v * 100.0) / 100.0;
}

void fillJson(JsonWriter& j, const char* key, const FillStats& f) {
    j.key(key).beginObject();
    j.field("nodes", f.nodes);
    j.field("min", round2(f.minPercent));
    j.field("avg", round2(f.avgPercent()));
    j.field("max", round2(f.maxPercent));
    j.endObject();
}

void spaceMapJson(JsonWriter& j, const char* key, const SpaceMapStats& s) {
    j.key(key).beginObject();
    j.field("nr_blocks", s.nrBlocks);
    j.key("refcounts").beginArray();
    for (const auto& [count, blocks] : s.refcounts) {
        j.beginObject().field("count", count).field("blocks", blocks).endObject();
    }
    j.endArray();
    const FreeRunStats& f = s.freeRuns;
    j.key("free_runs").beginObject();
    j.field("runs", f.runs);
    j.field("free_blocks", f.freeBlocks);
    j.field("largest", f.largest);
    j.field("largest_first", f.largestFirst);
    j.key("buckets").beginArray();
    for (std::size_t k = 0; k < f.bucketRuns.size(); ++k) {
        j.beginObject();
        j.field("min", std::uint64_t(1) << k);
        j.field("max", (std::uint64_t(2) << k) - 1);
        j.field("runs", f.bucketRuns[k]);
        j.field("blocks", f.bucketBlocks[k]);
        j.endObject();
    }
    j.endArray();
    j.endObject();
    j.endObject();
}

void treeShapeJson(JsonWriter& j, const TreeStats& t) {
    j.field("levels", t.levels());
    j.field("nodes", t.nodes());
    j.key("nodes_per_level").beginArray();
    for (auto n : t.nodesPerLevel)
        j.value(n);
    j.endArray();
    j.field("entries", t.entries);
    fillJson(j, "leaf_fill", t.leaves);
    fillJson(j, "internal_fill", t.internals);
}

void writeJson(std::ostream& out, const std::string& path, const MetadataStats& s) {
    JsonWriter j(out);
    j.beginObject();
    j.field("path", path);
    j.field("source", s.fromMetadataSnapshot ? "metadata_snapshot" : "live");
    j.field("time", s.time);
    spaceMapJson(j, "metadata_space_map", s.metadata);
    spaceMapJson(j, "data_space_map", s.data);
    j.key("trees").beginArray();
    for (const auto& t : s.trees) {
        j.beginObject();
        j.field("name", t.name);
        j.field("root", t.root);
        treeShapeJson(j, t);
        j.endObject();
    }
    j.endArray();
    j.key("devices").beginArray();
    for (const auto& d : s.devices) {
        j.beginObject();
        j.field("id", d.id);
        j.field("mapped_blocks", d.details.mappedBlocks);
        j.field("mappings", d.mappings);
        j.field("exclusive", d.exclusive);
        j.field("shared", d.shared);
        j.field("transaction_id", d.details.transactionId);
        j.field("creation_time", d.details.creationTime);
        j.field("snapshotted_time", d.details.snapshottedTime);
        j.field("root", d.tree.root);
        treeShapeJson(j, d.tree);
        j.endObject();
    }
    j.endArray();
    j.key("mapping_times").beginArray();
    for (const auto& [time, n] : s.mappingTimes)
        j.beginObject().field("time", time).field("mappings", n).endObject();
    j.endArray();
    j.key("problems").beginArray();
    for (const auto& p : s.problems)
        j.value(p);
    j.endArray();
    j.endObject();
}

std::string pct(const FillStats& f) {
    if (!f.nodes) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f/%.1f/%.1f%%", f.minPercent, f.avgPercent(), f.maxPercent);
    return buf;
}

void spaceMapText(std::ostream& o, const char* name, const SpaceMapStats& s) {
    o << name << ": " << s.nrBlocks << " blocks\n  refcounts (count: blocks):";
    for (const auto& [count, blocks] : s.refcounts)
        o << ' ' << count << ": " << blocks << ';';
    const FreeRunStats& f = s.freeRuns;
    o << "\n  free runs: " << f.runs << " runs, " << f.freeBlocks << " free blocks, largest "
      << f.largest;
    if (f.largest) o << " at " << f.largestFirst;
    o << "\n  free-run lengths (length: runs):";
    for (std::size_t k = 0; k < f.bucketRuns.size(); ++k) {
        if (!f.bucketRuns[k]) continue;
        const std::uint64_t lo = std::uint64_t(1) << k;
        const std::uint64_t hi = (std::uint64_t(2) << k) - 1;
        o << ' ' << lo;
        if (hi != lo) o << '-' << hi;
        o << ": " << f.bucketRuns[k] << ';';
    }
    o << '\n';
}

void treeText(std::ostream& o, const std::string& name, const TreeStats& t) {
    o << "  " << name << ": ";
    if (t.root) o << "root " << t.root << ", ";
    o << t.levels() << " levels, " << t.nodes() << " nodes (per level";
    for (auto n : t.nodesPerLevel)
        o << ' ' << n;
    o << "), " << t.entries << " entries, leaf fill " << pct(t.leaves) << ", internal fill "
      << pct(t.internals) << '\n';
}

void writeText(std::ostream& o, const std::string& path, const MetadataStats& s) {
    o << "stats of " << path << " ("
      << (s.fromMetadataSnapshot ? "metadata snapshot" : "live superblock") << ", time " << s.time
      << ")\n";
    spaceMapText(o, "metadata space map", s.metadata);
    spaceMapText(o, "data space map", s.data);
    o << "trees (fill min/avg/max):\n";
    for (const auto& t : s.trees)
        treeText(o, t.name, t);
    o << "devices:\n";
    for (const auto& d : s.devices) {
        o << "  dev " << d.id << ": " << d.mappings << " mappings (mapped_blocks "
          << d.details.mappedBlocks << "), " << d.exclusive << " exclusive, " << d.shared
          << " shared\n  ";
        treeText(o, "tree", d.tree);
    }
    o << "mapping times (time: mappings):";
    for (const auto& [time, n] : s.mappingTimes)
        o << ' ' << time << ": " << n << ';';
    o << '\n';
    for (const auto& p : s.problems)
        o << "problem: " << p << '\n';
}

int runStats(const std::vector<std::string>& argv, CliIo& io) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            io.out << kHelp;
            return kExitOk;
        }
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
        {"metadata-snap", 'm', OptionSpec::Kind::Flag, "trees from the held metadata snapshot"},
        kHelperOption,
    };
    auto args = parseCommandArgs(argv, spec, 1, "stats");
    if (!args) return reportError(io, "stats", args.error());
    const std::string& path = args->positional()[0];
    auto live = openThinLive(path, args->has("metadata-snap"), io, "stats", args->has("helper"));
    if (!live) return reportError(io, "stats", live.error());
    const auto& md = (*live)->metadata;
    ThinSuperblock sb = md->superblock();
    if (args->has("metadata-snap")) {
        auto held = md->metadataSnapshot();
        if (!held) {
            // Like thin_dump -m: a missing snapshot is a failure, not a usage error.
            io.err << "dmscope-cli stats: " << held.error().describe() << '\n';
            return kExitFailure;
        }
        sb = *held;
    }
    const MetadataStats s = MetadataStats::compute(*md, sb);
    if (args->has("json"))
        writeJson(io.out, path, s);
    else
        writeText(io.out, path, s);
    if (!s.problems.empty()) {
        io.err << "dmscope-cli stats: " << s.problems.front() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(stats, "stats", "IMG [--json] [--metadata-snap] [--helper]",
                "refcount histograms, free runs, btree depth and fill, per-device and mapping-time "
                "figures; --help lists the JSON keys",
                &runStats);

} // namespace dms::cli
