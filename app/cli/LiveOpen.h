#pragma once
// Opening a path that may be an active pool's metadata device: read with O_DIRECT (the kernel's
// writes bypass the page cache), and with --metadata-snap through a metadata snapshot reserved
// for the duration of the command and released afterwards, also on SIGINT/SIGTERM/SIGHUP.

#include "app/cli/CliCommand.h"

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/MetadataSnapshotLease.h"
#include "core/devmapper/ThinPoolInfo.h"

#include <memory>
#include <optional>

namespace dms {
class BlockSource;
class HelperClient;
} // namespace dms

namespace dms::cli {

struct LiveRead {
    std::shared_ptr<ThinMetadata> metadata;
    std::optional<ThinPoolInfo> pool; // the active pool, when the path is its metadata device
    std::unique_ptr<DeviceMapper> dm;
    std::unique_ptr<MetadataSnapshotLease> lease; // destroyed (released) before dm
    HelperClient* helper = nullptr;               // dm, when it is the helper
    ~LiveRead();

    // `path` read-only: O_DIRECT when it is live, through the helper when there is one.
    Expected<std::shared_ptr<const BlockSource>> openSource(const std::string& path) const;
};

// --helper, the same for every command that reads a device (info, dump, check, ls, stats):
// open the device, and ask and message its pool, through dmscope-helper (see openThinLive).
inline const OptionSpec kHelperOption{
    "helper", 0, OptionSpec::Kind::Flag,
    "open devices through dmscope-helper (pkexec; from an AppImage a verified copy)"};

// The active pool whose metadata device `path` is; nullopt for images, other devices, or when
// device-mapper cannot be asked (not root, no dm in the kernel).
std::optional<ThinPoolInfo> activePoolOf(const std::string& path);

// Opens `path` read-only; a live metadata device with O_DIRECT, and with `metadataSnap` under a
// reserved (or already held) metadata snapshot. Without `metadataSnap` a live open warns on
// io.err that the view may be inconsistent. With `viaHelper` a block device is opened, and the
// pool asked and messaged, through dmscope-helper (started with pkexec unless root).
Expected<std::unique_ptr<LiveRead>> openThinLive(const std::string& path, bool metadataSnap,
                                                 CliIo& io, const char* command,
                                                 bool viaHelper = false);

// The first half of openThinLive: finds the active pool, reserves the snapshot, warns; opens
// nothing (for commands that read the source themselves, like check).
Expected<std::unique_ptr<LiveRead>> prepareLiveRead(const std::string& path, bool metadataSnap,
                                                    CliIo& io, const char* command,
                                                    bool viaHelper = false);

// For an exclusive open that failed with Busy: names the active pool that holds `path` and the
// command that deactivates it; other errors are returned unchanged.
Error explainBusy(const std::string& path, Error e);

} // namespace dms::cli
