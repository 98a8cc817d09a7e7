// dmscope-cli dump: thin_dump 0.9.0's output, byte for byte (XML or human_readable), streamed.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/thin/ThinDumper.h"

#include <cstdlib>
#include <fstream>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "dump";

// thin_dump reads -mBLOCK and --dev-id with strtoull: leading blanks and a sign are accepted,
// trailing text is ignored, and only "no digits at all" is an error.
std::optional<std::uint64_t> parseLikeStrtoull(const std::string& text) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (end == text.c_str()) return std::nullopt;
    return static_cast<std::uint64_t>(v);
}

Expected<ThinDumpOptions> dumpOptions(const CliArgs& args) {
    ThinDumpOptions o;
    if (auto f = args.value("format")) {
        if (*f == "xml")
            o.format = ThinDumpFormat::Xml;
        else if (*f == "human_readable" || *f == "human")
            o.format = ThinDumpFormat::HumanReadable;
        else
            return makeError(ErrorKind::Usage, "unknown format '" + *f + "'");
    }
    if (args.has("metadata-snap")) {
        o.useMetadataSnap = true;
        const std::string v = *args.value("metadata-snap");
        if (!v.empty()) {
            o.metadataSnapBlock = parseLikeStrtoull(v);
            if (!o.metadataSnapBlock)
                return makeError(ErrorKind::Usage, "couldn't parse <metadata-snap> '" + v + "'");
        }
    }
    for (const std::string& v : args.values("dev-id")) {
        auto dev = parseLikeStrtoull(v);
        if (!dev) return makeError(ErrorKind::Usage, "couldn't parse <dev-id> '" + v + "'");
        if (!o.devIds) o.devIds.emplace();
        o.devIds->insert(*dev);
    }
    o.skipMappings = args.has("skip-mappings");
    auto tid = args.number("transaction-id");
    if (!tid) return tid.takeError();
    o.transactionId = *tid;
    auto dbs = args.number("data-block-size");
    if (!dbs) return dbs.takeError();
    if (*dbs) o.dataBlockSize = static_cast<std::uint32_t>(**dbs);
    auto ndb = args.number("nr-data-blocks");
    if (!ndb) return ndb.takeError();
    o.nrDataBlocks = *ndb;
    return o;
}

int runDump(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"format", 'f', OptionSpec::Kind::Value, "xml (default) or human_readable"},
        {"metadata-snap", 'm', OptionSpec::Kind::OptionalValue,
         "dump the held metadata snapshot (-mBLOCK / --metadata-snap=BLOCK: must be held_root)"},
        {"output", 'o', OptionSpec::Kind::Value, "write to FILE instead of stdout"},
        {"dev-id", 0, OptionSpec::Kind::Value, "only this device (repeatable)"},
        {"skip-mappings", 0, OptionSpec::Kind::Flag, "devices without their mappings"},
        {"transaction-id", 0, OptionSpec::Kind::Value, "print this transaction id instead"},
        {"data-block-size", 0, OptionSpec::Kind::Value, "print this data block size instead"},
        {"nr-data-blocks", 0, OptionSpec::Kind::Value, "print this nr_data_blocks instead"},
        kHelperOption,
        {"dirty-from-bitset", 0, OptionSpec::Kind::Flag,
         "cache format 2: dirty flags from the dirty bitset as on disk (cache_dump 0.9.0 prints "
         "every mapping clean)"},
    };
    auto args = parseCommandArgs(argv, spec, 1, kName);
    if (!args) return reportError(io, kName, args.error());
    auto options = dumpOptions(*args);
    if (!options) return reportError(io, kName, options.error());

    auto opened = openMetadataReadOnly(args->positional()[0]);
    const bool thin =
        !opened || (opened->kind != MetadataKind::Cache && opened->kind != MetadataKind::Era);
    // Kept until the dump ends: a live pool's reserved metadata snapshot is released with it.
    std::unique_ptr<LiveRead> live;
    if (thin) {
        auto opened2 = openThinLive(args->positional()[0], options->useMetadataSnap, io, kName,
                                    args->has("helper"));
        if (!opened2) return reportError(io, kName, opened2.error());
        live = std::move(*opened2);
    }

    std::ofstream file;
    std::ostream* target = &io.out;
    if (auto path = args->value("output")) {
        file.open(*path, std::ios::binary | std::ios::trunc);
        if (!file)
            return reportError(io, kName,
                               makeError(ErrorKind::Io, "cannot open '" + *path + "' for writing"));
        target = &file;
    }
    OutputBuffer out = OutputBuffer::toStream(*target);
    Status s = thin ? dumpThinMetadata(*live->metadata, *options, out)
                    : dumpCacheOrEra(*args, *opened, out, io.err);
    // A damaged tree stops the dump; what was written stays, followed by the error and exit 1.
    Status flushed = out.flush();
    if (!s) {
        reportError(io, kName, s.error());
        return kExitFailure;
    }
    if (flushed.ok() && file.is_open()) {
        file.close();
        if (!file)
            flushed = makeError(ErrorKind::Io, "cannot write '" + *args->value("output") + "'");
    }
    if (!flushed) {
        reportError(io, kName, flushed.error());
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(dump, "dump",
                "IMG [--format xml|human_readable] [-m[BLOCK]] [--dev-id N]... [--skip-mappings] "
                "[-o FILE] [--helper] [--dirty-from-bitset]",
                "print the metadata exactly as thin_dump, cache_dump or era_dump does", &runDump);

} // namespace dms::cli
