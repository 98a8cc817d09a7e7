// dmscope-cli era-invalidate: era_invalidate 0.9.0's report of the blocks written since an era,
// byte for byte (core/era/EraInvalidator.h).

#include "app/cli/CliCommand.h"

#include "core/era/EraInvalidator.h"

#include <fstream>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "era-invalidate";

int runEraInvalidate(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"written-since", 0, OptionSpec::Kind::Value, "report blocks written in this era or later"},
        {"output", 'o', OptionSpec::Kind::Value, "write to FILE instead of stdout ('-': stdout)"},
        {"metadata-snapshot", 0, OptionSpec::Kind::Flag,
         "require a metadata snapshot (as 0.9.0, the live superblock is still read)"},
    };
    auto args = parseCommandArgs(argv, spec, 1, kName);
    if (!args) return reportError(io, kName, args.error());
    auto since = args->number("written-since");
    if (!since) return reportError(io, kName, since.error());
    if (!*since)
        return reportError(io, kName, makeError(ErrorKind::Usage, "--written-since ERA is needed"));
    if (**since > 0xFFFFFFFFu)
        return reportError(io, kName,
                           makeError(ErrorKind::Usage, "--written-since " +
                                                           std::to_string(**since) +
                                                           " does not fit an era (32 bits)"));

    auto opened = openMetadataReadOnly(args->positional()[0]);
    if (!opened) return reportError(io, kName, opened.error());
    if (opened->kind != MetadataKind::Era)
        return reportError(io, kName,
                           makeError(ErrorKind::Usage, args->positional()[0] + " holds " +
                                                           metadataKindName(opened->kind) +
                                                           " metadata, not dm-era metadata"));
    BlockReader reader(opened->source);
    auto sb = EraSuperblock::read(reader);
    if (!sb) return reportError(io, kName, sb.error());
    if (args->has("metadata-snapshot")) {
        if (!sb->metadataSnap)
            return reportError(io, kName,
                               makeError(ErrorKind::Unsupported, "no metadata snapshot taken", 0,
                                         "metadata_snap"));
        // era_invalidate 0.9.0 checks that a snapshot exists, then reads the live superblock's
        // trees all the same; so do we, for the same output, and say so.
        io.err << "dmscope-cli " << kName << ": note: as era_invalidate 0.9.0, the live "
               << "metadata is reported, not the snapshot at block " << sb->metadataSnap << '\n';
    }
    auto blocks = eraBlocksWrittenSince(reader, *sb, static_cast<std::uint32_t>(**since));
    if (!blocks) return reportError(io, kName, blocks.error());

    const std::string path = args->value("output").value_or("-");
    std::ofstream file;
    std::ostream* target = &io.out;
    if (path != "-") {
        file.open(path, std::ios::binary | std::ios::trunc);
        if (!file)
            return reportError(io, kName,
                               makeError(ErrorKind::Io, "cannot open '" + path + "' for writing"));
        target = &file;
    }
    OutputBuffer out = OutputBuffer::toStream(*target);
    writeEraInvalidateXml(*blocks, out);
    Status s = out.flush();
    if (s && file.is_open()) {
        file.close();
        if (!file) s = makeError(ErrorKind::Io, "cannot write '" + path + "'");
    }
    if (!s) return reportError(io, kName, s.error());
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(eraInvalidate, "era-invalidate",
                "--written-since ERA IMG [-o FILE] [--metadata-snapshot]",
                "list the blocks written since an era exactly as era_invalidate does",
                &runEraInvalidate);

} // namespace dms::cli
