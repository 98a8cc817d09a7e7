#pragma once
// The unprivileged side of dmscope-helper: starts it (through pkexec, or directly when this
// process is root or asked to), then asks it to open devices, list device-mapper devices and
// send pool messages. As a DeviceMapper it drops in wherever discovery or a MetadataSnapshotLease
// needs one, so an unprivileged GUI does everything through one authenticated helper.
//
// Usage (GUI "Open device"):
//   auto helper = HelperClient::start();             // one pkexec prompt (auth_admin_keep)
//   auto pools = findThinPools(*(*helper)->devices());
//   auto src = (*helper)->openSource(pool.metadata.path, DeviceAccess::ReadOnlyDirect);
//   auto lease = MetadataSnapshotLease::acquire(**helper, pool, SnapshotRecords());

#include "core/FileBlockSource.h"
#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/DeviceOpenPolicy.h"

#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

namespace dms {

class HelperClient final : public DeviceMapper {
public:
    // Auto: Direct when root; else VerifiedCopy when running from an AppImage whose program has
    // a baked bundle digest; else Pkexec.
    // VerifiedCopy: root runs the fixed script of HelperLaunchScript.h, which copies the helper
    // bundle (streamed by this process) under /run and runs it only if its SHA-256 is the digest
    // baked into this program.
    enum class Launch { Auto, Direct, Pkexec, VerifiedCopy };
    struct Options {
        std::string helperPath; // "" = defaultHelperPath()
        Launch launch = Launch::Auto;
        std::string bundlePath;   // VerifiedCopy: "" = appImageHelperBundle()
        std::string bundleSha256; // VerifiedCopy: "" = bakedHelperBundleSha256()
        std::string runDir = "/run";
        // What gains root for Pkexec and VerifiedCopy; {} runs the command as is (tests, as root).
        std::vector<std::string> elevate = {"pkexec"};
    };

    static Expected<std::unique_ptr<HelperClient>> start(const Options& options);
    static Expected<std::unique_ptr<HelperClient>> start() { return start(Options{}); }
    ~HelperClient() override; // closes the socket; the helper exits and is reaped

    // $DMSCOPE_HELPER, else dmscope-helper beside this executable (build trees, AppImage),
    // else the installed libexec path.
    static std::string defaultHelperPath();
    // What start() would do with these options: the mode Auto stands for, and the command line.
    static Launch resolveLaunch(const Options& options);
    static std::vector<std::string> commandLine(const Options& options);

    // A descriptor for `path` opened by the helper (the caller owns it), or the helper's refusal.
    Expected<int> openDevice(const std::string& path, DeviceAccess access);
    Expected<std::unique_ptr<FileBlockSource>> openSource(const std::string& path,
                                                          DeviceAccess access);

    Expected<std::vector<DmDevice>> devices() override;
    Status sendPoolMessage(const std::string& pool, const std::string& message) override;

    pid_t pid() const { return pid_; }

private:
    HelperClient(int socket, pid_t pid) : socket_(socket), pid_(pid) {}
    Status call(const std::string& request, std::string& reply, int& fd);

    int socket_;
    pid_t pid_;
    std::mutex mutex_; // one request at a time
};

} // namespace dms
