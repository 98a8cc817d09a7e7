// dmscope-cli diff: what changed between two images of the same pool (captures taken at
// different times, or an image before and after `dmscope-cli edit`), or, with --snap, between a
// pool's held metadata snapshot and its live superblock: the metadata blocks changed, the
// reference counts changed, and per thin device the mapping delta in thin_delta's categories
// (same, different, left_only, right_only). --runs prints each device's runs as thin_delta
// prints them (its non-verbose <diff> lines); --dev limits the output to one device.

#include "app/cli/CliCommand.h"

#include "core/thin/MetadataDiff.h"
#include "core/thin/ThinMetadata.h"
#include "core/util/JsonWriter.h"

#include <iomanip>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "diff";

const char* presenceName(DeviceDelta::Presence p) {
    return p == DeviceDelta::Presence::Both       ? "both"
           : p == DeviceDelta::Presence::LeftOnly ? "left_only"
                                                  : "right_only";
}

Expected<std::shared_ptr<const BlockSource>> openThin(const std::string& path) {
    auto opened = openMetadataReadOnly(path);
    if (!opened) return opened.takeError();
    if (opened->kind != MetadataKind::Thin)
        return makeError(ErrorKind::Usage, path + ": not thin-pool metadata (" +
                                               metadataKindName(opened->kind) + ")");
    return opened->source;
}

void writeRunsText(std::ostream& o, const DeviceDelta& d) {
    for (const MappingRun& r : d.runs)
        o << "    <" << mappingRunKindName(r.kind) << " begin=\"" << r.begin << "\" length=\""
          << r.length << "\"/>\n";
}

void writeText(std::ostream& o, const MetadataDiff& diff, const std::string& left,
               const std::string& right, bool runs) {
    o << "left:  " << left << "\nright: " << right << "\n";
    o << "metadata blocks changed: " << diff.changedBlocks.size() << "\n";
    if (diff.countsCompared)
        o << "reference counts changed: " << diff.metadataCounts.size() << " metadata, "
          << diff.dataCounts.size() << " data\n";
    else
        o << "reference counts: not compared (the held snapshot has no space maps)\n";
    std::uint64_t present[3] = {0, 0, 0};
    for (const DeviceDelta& d : diff.devices)
        ++present[static_cast<int>(d.presence)];
    o << "devices: " << present[0] << " in both, " << present[1] << " left_only, " << present[2]
      << " right_only\n";
    o << std::left << std::setw(10) << "DEV" << ' ' << std::setw(10) << "PRESENT" << std::right;
    for (const char* h : {"SAME", "DIFFERENT", "LEFT_ONLY", "RIGHT_ONLY"})
        o << ' ' << std::setw(10) << h;
    o << "\n";
    for (const DeviceDelta& d : diff.devices) {
        o << std::left << std::setw(10) << d.id << ' ' << std::setw(10) << presenceName(d.presence)
          << std::right;
        for (int k = 0; k < 4; ++k)
            o << ' ' << std::setw(10) << d.blocks[k];
        o << "\n";
        if (runs) {
            o << "  <diff left=\"" << d.id << "\" right=\"" << d.id << "\">\n";
            writeRunsText(o, d);
            o << "  </diff>\n";
        }
    }
}

void writeCounts(JsonWriter& j, const char* name, const std::vector<RefCountDelta>& counts) {
    j.key(name).beginArray();
    for (const RefCountDelta& c : counts) {
        j.beginObject();
        j.field("block", c.block).field("before", c.before).field("after", c.after);
        j.endObject();
    }
    j.endArray();
}

void writeJson(std::ostream& o, const MetadataDiff& diff, const std::string& left,
               const std::string& right, bool runs) {
    JsonWriter j(o);
    j.beginObject();
    j.field("left", left).field("right", right);
    j.key("changed_blocks").beginArray();
    for (std::uint64_t b : diff.changedBlocks)
        j.value(b);
    j.endArray();
    j.field("counts_compared", diff.countsCompared);
    writeCounts(j, "metadata_counts", diff.metadataCounts);
    writeCounts(j, "data_counts", diff.dataCounts);
    j.key("devices").beginArray();
    for (const DeviceDelta& d : diff.devices) {
        j.beginObject();
        j.field("id", d.id).field("presence", presenceName(d.presence));
        for (int k = 0; k < 4; ++k)
            j.field(mappingRunKindName(static_cast<MappingRun::Kind>(k)), d.blocks[k]);
        if (runs) {
            j.key("runs").beginArray();
            for (const MappingRun& r : d.runs) {
                j.beginObject();
                j.field("kind", mappingRunKindName(r.kind))
                    .field("begin", r.begin)
                    .field("length", r.length);
                j.endObject();
            }
            j.endArray();
        }
        j.endObject();
    }
    j.endArray();
    j.endObject();
    o << "\n";
}

int runDiff(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
        {"runs", 0, OptionSpec::Kind::Flag, "each device's runs, as thin_delta prints them"},
        {"dev", 0, OptionSpec::Kind::Value, "only this thin device"},
        {"snap", 0, OptionSpec::Kind::Flag,
         "one image: the held metadata snapshot (left) against the live superblock (right)"},
    };
    auto parsed = CliArgs::parse(argv, spec);
    if (!parsed) return reportError(io, kName, parsed.error());
    const bool snap = parsed->has("snap");
    const auto& pos = parsed->positional();
    if (pos.size() != (snap ? 1u : 2u))
        return reportError(io, kName,
                           makeError(ErrorKind::Usage, snap ? "--snap takes one image: IMG"
                                                            : "expected two images: A B"));
    auto dev = parsed->number("dev");
    if (!dev) return reportError(io, kName, dev.error());

    Expected<MetadataDiff> diff = makeError(ErrorKind::Usage, "nothing compared");
    std::string left, right;
    if (snap) {
        auto src = openThin(pos[0]);
        if (!src) return reportError(io, kName, src.error());
        diff = MetadataDiffer::compareHeldWithLive(*src);
        left = pos[0] + " (held metadata snapshot)";
        right = pos[0] + " (live superblock)";
    } else {
        auto a = openThin(pos[0]);
        if (!a) return reportError(io, kName, a.error());
        auto b = openThin(pos[1]);
        if (!b) return reportError(io, kName, b.error());
        diff = MetadataDiffer::compare(*a, *b);
        left = pos[0];
        right = pos[1];
    }
    if (!diff) return reportError(io, kName, diff.error());
    if (*dev) {
        std::erase_if(diff->devices, [&](const DeviceDelta& d) { return d.id != **dev; });
        if (diff->devices.empty())
            return reportError(io, kName,
                               makeError(ErrorKind::Usage,
                                         "no device " + std::to_string(**dev) + " on either side"));
    }
    if (parsed->has("json"))
        writeJson(io.out, *diff, left, right, parsed->has("runs"));
    else
        writeText(io.out, *diff, left, right, parsed->has("runs"));
    io.out.flush();
    if (!io.out) return reportError(io, kName, makeError(ErrorKind::Io, "cannot write the output"));
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(diff, "diff", "A B [--json] [--runs] [--dev ID] | --snap IMG [--json] [--runs]",
                "what changed between two images of one pool, or (--snap) between its held "
                "metadata snapshot and the live superblock: blocks, reference counts, and per "
                "device the mapping delta in thin_delta's categories",
                &runDiff);

} // namespace dms::cli
