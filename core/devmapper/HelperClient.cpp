#include "core/devmapper/HelperClient.h"

#include "core/devmapper/HelperBundle.h"
#include "core/devmapper/HelperLaunchScript.h"
#include "core/devmapper/HelperProtocol.h"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace dms {
namespace {

#ifdef DMSCOPE_INSTALLED_HELPER
constexpr const char* kInstalledHelper = DMSCOPE_INSTALLED_HELPER;
#else
constexpr const char* kInstalledHelper = "/usr/libexec/dmscope/dmscope-helper";
#endif

Error replyError(const std::string& reply) {
    // "error ERRNO TEXT"
    const auto a = reply.find(' ');
    const auto b = reply.find(' ', a == std::string::npos ? a : a + 1);
    const int err = a == std::string::npos ? EIO : std::atoi(reply.c_str() + a + 1);
    const std::string text = b == std::string::npos ? reply : reply.substr(b + 1);
    ErrorKind kind = ErrorKind::Io;
    if (err == EBUSY) kind = ErrorKind::Busy;
    if (err == EACCES || err == EPERM) kind = ErrorKind::Permission;
    if (err == ENOTBLK || err == EINVAL || err == ENOENT) kind = ErrorKind::Usage;
    return makeError(kind, "dmscope-helper: " + text);
}

} // namespace

std::string HelperClient::defaultHelperPath() {
    if (const char* env = std::getenv("DMSCOPE_HELPER"); env && *env) return env;
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        std::string dir(self, static_cast<std::size_t>(n));
        dir.resize(dir.rfind('/') + 1);
        const std::string beside = dir + "dmscope-helper";
        if (::access(beside.c_str(), X_OK) == 0) return beside;
    }
    return kInstalledHelper;
}

HelperClient::Launch HelperClient::resolveLaunch(const Options& options) {
    if (options.launch != Launch::Auto) return options.launch;
    if (::geteuid() == 0) return Launch::Direct;
    const bool inAppImage = !options.bundlePath.empty() || !appImageHelperBundle().empty();
    const bool digest = !options.bundleSha256.empty() || *bakedHelperBundleSha256() != 0;
    return inAppImage && digest ? Launch::VerifiedCopy : Launch::Pkexec;
}

std::vector<std::string> HelperClient::commandLine(const Options& options) {
    const Launch mode = resolveLaunch(options);
    if (mode == Launch::VerifiedCopy)
        return helperLaunchCommand(options.elevate,
                                   options.bundleSha256.empty() ? bakedHelperBundleSha256()
                                                                : options.bundleSha256,
                                   options.runDir);
    std::vector<std::string> argv;
    if (mode == Launch::Pkexec) argv = options.elevate;
    argv.push_back(options.helperPath.empty() ? defaultHelperPath() : options.helperPath);
    argv.push_back("--fd");
    argv.push_back("0");
    return argv;
}

namespace {

// Streams the bundle to the launcher's stdin and closes it. A launcher that is gone (password
// refused) or has what it needs shows up as EPIPE: the first request then reports it.
void sendBundle(int fd, const std::vector<char>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

} // namespace

Expected<std::unique_ptr<HelperClient>> HelperClient::start(const Options& options) {
    const Launch mode = resolveLaunch(options);
    const std::vector<std::string> command = commandLine(options);
    std::vector<char> bundle;
    if (mode == Launch::VerifiedCopy) {
        const std::string path =
            options.bundlePath.empty() ? appImageHelperBundle() : options.bundlePath;
        auto bytes = readVerifiedBundle(path, command[command.size() - 2]);
        if (!bytes) return bytes.takeError();
        bundle = std::move(*bytes);
    }
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return makeError(ErrorKind::Io, std::string("socketpair: ") + std::strerror(errno));
    // VerifiedCopy: stdin carries the bundle (a stream socket: no SIGPIPE when root stops
    // reading) and stdout is the helper's socket; otherwise stdin is the socket. pkexec passes
    // only 0, 1 and 2 on.
    int payload[2] = {-1, -1};
    if (mode == Launch::VerifiedCopy &&
        ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, payload) != 0) {
        const int err = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        return makeError(ErrorKind::Io, std::string("socketpair: ") + std::strerror(err));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (mode == Launch::VerifiedCopy) {
        ::shutdown(payload[1], SHUT_WR);
        posix_spawn_file_actions_adddup2(&actions, payload[1], 0);
        posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
    } else {
        posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    }
    std::vector<char*> argv;
    for (const std::string& a : command)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    // The helper starts with default signal handling, whatever this process blocks.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int rc = mode == Launch::Direct
                       ? ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ)
                       : ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(sv[1]);
    if (payload[1] >= 0) ::close(payload[1]);
    if (rc != 0) {
        ::close(sv[0]);
        if (payload[0] >= 0) ::close(payload[0]);
        return makeError(ErrorKind::Io, "cannot start " + command[0] + ": " + std::strerror(rc));
    }
    if (mode == Launch::VerifiedCopy) sendBundle(payload[0], bundle);
    return std::unique_ptr<HelperClient>(new HelperClient(sv[0], pid));
}

HelperClient::~HelperClient() {
    ::close(socket_);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
}

Status HelperClient::call(const std::string& request, std::string& reply, int& fd) {
    std::lock_guard<std::mutex> lock(mutex_);
    fd = -1;
    // A helper that is gone shows up as a failed send (EPIPE), a reset (it died with the request
    // unread) or an empty reply.
    const char* gone = "dmscope-helper exited without answering (authentication refused, the "
                       "helper not installed where the polkit policy says, or the AppImage's "
                       "launcher refusing its copy: see its message on stderr)";
    if (Status s = helper::sendPacket(socket_, request); !s)
        return makeError(ErrorKind::Permission, std::string(gone) + ": " + s.error().message);
    if (Status s = helper::receivePacket(socket_, reply, fd); !s) {
        if (s.error().message.rfind("receive on", 0) != 0) return s; // a bad message, not a death
        return makeError(ErrorKind::Permission, std::string(gone) + ": " + s.error().message);
    }
    if (reply.empty()) return makeError(ErrorKind::Permission, gone);
    if (reply.rfind("error ", 0) == 0) {
        if (fd >= 0) ::close(fd);
        fd = -1;
        return replyError(reply);
    }
    return Status::success();
}

Expected<int> HelperClient::openDevice(const std::string& path, DeviceAccess access) {
    const char* verb = access == DeviceAccess::ReadWriteExclusive ? "open-rw"
                       : access == DeviceAccess::ReadOnlyDirect   ? "open-ro-direct"
                                                                  : "open-ro";
    std::string reply;
    int fd = -1;
    if (Status s = call(std::string(verb) + " " + path, reply, fd); !s) return s.error();
    if (fd < 0) return makeError(ErrorKind::Io, "dmscope-helper sent no descriptor for " + path);
    return fd;
}

Expected<std::unique_ptr<FileBlockSource>> HelperClient::openSource(const std::string& path,
                                                                    DeviceAccess access) {
    auto fd = openDevice(path, access);
    if (!fd) return fd.takeError();
    return FileBlockSource::adopt(*fd, path);
}

Expected<std::vector<DmDevice>> HelperClient::devices() {
    std::string reply;
    int fd = -1;
    if (Status s = call("devices", reply, fd); !s) return s.error();
    if (fd >= 0) ::close(fd);
    if (reply.rfind("ok\n", 0) != 0)
        return makeError(ErrorKind::Io, "unexpected reply from dmscope-helper");
    return helper::parseDevices(reply.substr(3));
}

Status HelperClient::sendPoolMessage(const std::string& pool, const std::string& message) {
    std::string reply;
    int fd = -1;
    Status s = call("message " + pool + " " + message, reply, fd);
    if (fd >= 0) ::close(fd);
    return s;
}

} // namespace dms
