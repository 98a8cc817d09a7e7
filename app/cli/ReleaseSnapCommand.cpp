// dmscope-cli release-snap: releases a metadata snapshot that a dmscope process reserved on an
// active pool and left held (it died), or with --force any held snapshot of the pool.

#include "app/cli/CliCommand.h"

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/MetadataSnapshotLease.h"

#include <ostream>

namespace dms::cli {
namespace {

int runReleaseSnap(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"force", 0, OptionSpec::Kind::Flag,
         "release even when the holder is alive or not dmscope"},
    };
    auto args = parseCommandArgs(argv, spec, 1, "release-snap");
    if (!args) return reportError(io, "release-snap", args.error());
    const std::string pool = args->positional()[0];
    auto dm = makeSystemDeviceMapper();
    SnapshotRecords records;
    if (Status s = releaseRecordedSnapshot(*dm, pool, records, args->has("force")); !s)
        return reportError(io, "release-snap", s.error());
    io.out << "released the metadata snapshot of " << pool << '\n';
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(release_snap, "release-snap", "POOL [--force]",
                "release a metadata snapshot a dmscope process left held on an active pool",
                &runReleaseSnap);

} // namespace dms::cli
