#include "core/devmapper/HelperClient.h"

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

Expected<std::unique_ptr<HelperClient>> HelperClient::start(const Options& options) {
    const std::string path = options.helperPath.empty() ? defaultHelperPath() : options.helperPath;
    const bool direct =
        options.launch == Launch::Direct || (options.launch == Launch::Auto && ::geteuid() == 0);
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return makeError(ErrorKind::Io, std::string("socketpair: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // The helper's stdin is its end of the socket: pkexec passes only 0, 1 and 2 on.
    posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
    std::string fdArg = "0";
    std::vector<char*> argv;
    if (!direct) argv.push_back(const_cast<char*>("pkexec"));
    argv.push_back(const_cast<char*>(path.c_str()));
    argv.push_back(const_cast<char*>("--fd"));
    argv.push_back(fdArg.data());
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
    const int rc = direct ? ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), environ)
                          : ::posix_spawnp(&pid, "pkexec", &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(sv[1]);
    if (rc != 0) {
        ::close(sv[0]);
        return makeError(ErrorKind::Io, "cannot start " + std::string(direct ? path : "pkexec") +
                                            ": " + std::strerror(rc));
    }
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
    if (Status s = helper::sendPacket(socket_, request); !s) return s;
    if (Status s = helper::receivePacket(socket_, reply, fd); !s) return s;
    if (reply.empty())
        return makeError(ErrorKind::Permission,
                         "dmscope-helper exited without answering (authentication refused, or "
                         "the helper is not installed where the polkit policy says)");
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
