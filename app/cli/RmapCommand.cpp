// dmscope-cli rmap: which thin devices and virtual blocks map given data-device regions,
// exactly as thin_rmap 0.9.0 prints it.

#include "app/cli/CliCommand.h"

#include "core/thin/ThinRmap.h"

#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "rmap";

int runRmap(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"region", 0, OptionSpec::Kind::Value,
         "data blocks BEGIN..END (END exclusive); repeatable"},
    };
    auto args = parseCommandArgs(argv, spec, 1, kName);
    if (!args) return reportError(io, kName, args.error());
    std::vector<DataRegion> regions;
    for (const std::string& text : args->values("region")) {
        auto r = parseDataRegion(text);
        if (!r) return reportError(io, kName, r.error());
        regions.push_back(*r);
    }
    if (regions.empty())
        return reportError(io, kName,
                           makeError(ErrorKind::Usage, "no regions provided (--region A..B)"));

    auto md = openThinReadOnly(args->positional()[0]);
    if (!md) return reportError(io, kName, md.error());
    auto runs = computeThinRmap(**md, regions);
    if (!runs) return reportError(io, kName, runs.error());
    OutputBuffer out = OutputBuffer::toStream(io.out);
    writeThinRmap(out, *runs);
    if (Status s = out.flush(); !s) return reportError(io, kName, s.error());
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(rmap, "rmap", "IMG --region BEGIN..END [--region ...]",
                "map data-device blocks back to thin devices exactly as thin_rmap does", &runRmap);

} // namespace dms::cli
