// dmscope-cli check: the metadata checker. Same verdict and exit status as thin_check 0.9.0
// (0 pass, 1 fail; non-fatal errors such as leaks fail unless --ignore-non-fatal-errors), with
// one line per finding naming block, field and path, or JSON.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"
#include "core/check/ThinChecker.h"
#include "core/util/JsonWriter.h"

#include <iomanip>
#include <ostream>

namespace dms::cli {
namespace {

const char* scopeName(const CheckOptions& o) {
    if (o.scope == CheckScope::SuperblockOnly) return "superblock-only";
    if (o.scope == CheckScope::SkipMappings) return "skip-mappings";
    return "full";
}

void writeJson(std::ostream& out, const std::string& path, const CheckOptions& options,
               const CheckReport& r) {
    JsonWriter j(out);
    j.beginObject();
    j.field("path", path);
    j.field("scope", scopeName(options));
    j.field("metadata_snap", options.metadataSnapshot);
    j.field("ignore_non_fatal_errors", options.ignoreNonFatal);
    j.field("verdict", verdictName(r.verdict()));
    j.field("exit_code", r.exitCode(options.ignoreNonFatal));
    j.key("counts").beginObject();
    j.field("fatal", r.count(Severity::Fatal));
    j.field("non_fatal", r.count(Severity::NonFatal));
    j.field("warning", r.count(Severity::Warning));
    j.field("metadata_leaks", r.count(FindingCategory::MetadataLeak));
    j.field("metadata_bad_counts", r.count(FindingCategory::MetadataBadCount));
    j.field("data_leaks", r.count(FindingCategory::DataLeak));
    j.field("data_bad_counts", r.count(FindingCategory::DataBadCount));
    j.field("not_listed", r.dropped());
    j.endObject();
    j.key("findings").beginArray();
    for (const Finding& f : r.findings()) {
        j.beginObject();
        j.field("severity", severityName(f.severity));
        j.field("category", categoryName(f.category));
        j.key("block");
        if (f.block)
            j.value(*f.block);
        else
            j.null();
        j.field("field", f.field);
        j.field("path", f.path);
        j.field("message", f.message);
        j.endObject();
    }
    j.endArray();
    const CheckStats& s = r.stats;
    j.key("stats").beginObject();
    j.field("metadata_blocks", s.metadataBlocks);
    j.field("used_metadata_blocks", s.usedMetadataBlocks);
    j.field("nodes_read", s.nodesRead);
    j.field("space_map_blocks_read", s.bitmapsRead);
    j.field("devices", s.devices);
    j.field("mappings", s.mappings);
    j.field("data_blocks", s.dataBlocks);
    j.field("seconds", s.seconds);
    j.field("threads", s.threads);
    j.field("thin_check_order_pass", s.exactPass);
    j.endObject();
    j.endObject();
    out << '\n';
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

void writeText(std::ostream& out, const std::string& path, const CheckReport& r) {
    out << "checking " << path << '\n';
    for (const Finding& f : r.findings())
        out << f.describe() << '\n';
    if (r.dropped()) out << "(" << r.dropped() << " more findings not listed)\n";
    const CheckStats& s = r.stats;
    out << "verdict: " << verdictName(r.verdict()) << " (" << r.count(Severity::Fatal) << " fatal, "
        << r.count(Severity::NonFatal) << " non-fatal, "
        << plural(r.count(Severity::Warning), "warning", "warnings") << "; "
        << plural(r.count(FindingCategory::MetadataLeak), "leaked metadata block",
                  "leaked metadata blocks")
        << ", "
        << plural(r.count(FindingCategory::MetadataBadCount), "bad metadata count",
                  "bad metadata counts")
        << ")\n";
    out << "checked " << s.nodesRead << " btree nodes, " << s.bitmapsRead << " space-map blocks, "
        << s.mappings << " mappings of " << s.devices << " devices; " << s.usedMetadataBlocks
        << " of " << s.metadataBlocks << " metadata blocks in use; " << std::fixed
        << std::setprecision(3) << s.seconds << " s\n";
}

int runCheck(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
        {"quiet", 'q', OptionSpec::Kind::Flag, "no output, exit status only"},
        {"skip-mappings", 0, OptionSpec::Kind::Flag, "details and top-level mapping tree only"},
        {"super-block-only", 0, OptionSpec::Kind::Flag, "the superblock checksum only"},
        {"ignore-non-fatal-errors", 0, OptionSpec::Kind::Flag, "leaks do not fail the check"},
        {"metadata-snap", 'm', OptionSpec::Kind::Flag, "check the metadata snapshot's trees"},
        {"threads", 0, OptionSpec::Kind::Value, "walker threads (default: up to 2)"},
        {"skip-hints", 0, OptionSpec::Kind::Flag, "cache: do not check the hint array"},
        {"skip-discards", 0, OptionSpec::Kind::Flag, "cache: do not check the discard bitset"},
        kHelperOption,
    };
    auto args = parseCommandArgs(argv, spec, 1, "check");
    if (!args) return reportError(io, "check", args.error());
    CheckOptions options;
    options.ignoreNonFatal = args->has("ignore-non-fatal-errors");
    options.metadataSnapshot = args->has("metadata-snap");
    // Like thin_check, the later of --skip-mappings and --super-block-only wins.
    for (const std::string& a : argv) {
        if (a == "--skip-mappings") options.scope = CheckScope::SkipMappings;
        if (a == "--super-block-only") options.scope = CheckScope::SuperblockOnly;
        if (a == "--") break;
    }
    auto threads = args->number("threads");
    if (!threads) return reportError(io, "check", threads.error());
    if (*threads) options.threads = static_cast<unsigned>(std::min<std::uint64_t>(**threads, 64));
    const std::string path = args->positional()[0];
    // Opened as a live read (thin metadata of an active pool: O_DIRECT, with -m under a reserved
    // snapshot; with --helper through dmscope-helper), then cache and era metadata go to their
    // own checkers. Block 0 unreadable or unknown: the thin checker says what is wrong.
    auto live = prepareLiveRead(path, options.metadataSnapshot, io, "check", args->has("helper"));
    if (!live) return reportError(io, "check", live.error());
    auto source = (*live)->openSource(path);
    if (!source) return reportError(io, "check", source.error());
    auto kind = detectMetadataKind(**source);
    CheckReport report;
    if (kind && (*kind == MetadataKind::Cache || *kind == MetadataKind::Era))
        report = checkCacheOrEra(*args, OpenedMetadata{*source, *kind});
    else
        report = ThinChecker(*source, options).run();
    if (args->has("json"))
        writeJson(io.out, path, options, report);
    else if (!args->has("quiet"))
        writeText(io.out, path, report);
    return report.exitCode(options.ignoreNonFatal);
}

} // namespace

DMS_CLI_COMMAND(check, "check",
                "IMG [--json] [--quiet] [--skip-mappings] [--super-block-only] "
                "[--ignore-non-fatal-errors] [--metadata-snap] [--threads N] [--skip-hints] "
                "[--skip-discards] [--helper]",
                "check thin, cache or era metadata like thin_check / cache_check / era_check "
                "0.9.0: exit 0 pass, 1 fail",
                &runCheck);

} // namespace dms::cli
