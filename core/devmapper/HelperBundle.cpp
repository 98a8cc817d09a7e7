#include "core/devmapper/HelperBundle.h"

#include "core/util/Sha256.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace dms {

// Weak: programs that link the object library dmscope_helper_bundle (dmscope, dmscope-cli) get
// the digest of the bundle built beside them instead; everything else has none.
__attribute__((weak)) const char* bakedHelperBundleSha256() {
    return "";
}

std::string appImageHelperBundle() {
    const char* image = std::getenv("APPIMAGE");
    const char* dir = std::getenv("APPDIR");
    if (!image || !*image || !dir || !*dir) return {};
    std::string path(dir);
    path.append("/").append(kHelperBundleInAppDir);
    return path;
}

Expected<std::vector<char>> readVerifiedBundle(const std::string& path, const std::string& sha256) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(ErrorKind::Io,
                         "cannot open the helper bundle " + path + ": " + std::strerror(errno));
    std::vector<char> bytes;
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return makeError(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(err));
        }
        if (n == 0) break;
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    ::close(fd);
    const std::string got = Sha256::hexOf(bytes.data(), bytes.size());
    if (sha256.empty() || got != sha256)
        return makeError(ErrorKind::Permission,
                         "the helper bundle " + path + " has SHA-256 " + got +
                             ", but this build of "
                             "dmscope expects " +
                             (sha256.empty() ? "none" : sha256) + ": refusing to run it as root");
    return bytes;
}

} // namespace dms
