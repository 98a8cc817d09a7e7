#include "app/helper/HelperServer.h"

#include "core/devmapper/DeviceOpenPolicy.h"
#include "core/devmapper/HelperProtocol.h"
#include "core/devmapper/LivePool.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace dms::helper {
namespace {

std::string errorReply(int err, const std::string& text) {
    return "error " + std::to_string(err) + " " + text;
}

int errnoFor(const Error& e) {
    switch (e.kind) {
    case ErrorKind::Permission:
        return EACCES;
    case ErrorKind::Busy:
        return EBUSY;
    case ErrorKind::Usage:
        return EINVAL;
    default:
        return EIO;
    }
}

} // namespace

DeviceMapper& HelperServer::dm() {
    if (!dm_) dm_ = makeSystemDeviceMapper();
    return *dm_;
}

int HelperServer::run() {
    for (;;) {
        std::string request;
        int ignored = -1;
        if (Status s = receivePacket(socket_, request, ignored); !s) {
            std::fprintf(stderr, "dmscope-helper: %s\n", s.error().describe().c_str());
            return 1;
        }
        if (ignored >= 0) ::close(ignored); // requests carry no descriptors
        if (request.empty()) return 0;      // the client closed the socket
        int fd = -1;
        const std::string reply = handle(request, fd);
        const Status sent = sendPacket(socket_, reply, fd);
        if (fd >= 0) ::close(fd);
        if (!sent) return 1;
    }
}

std::string HelperServer::handle(const std::string& request, int& fdOut) {
    if (request.find_first_of(std::string("\0\n", 2)) != std::string::npos)
        return errorReply(EINVAL, "request with a NUL or newline");
    const auto space = request.find(' ');
    const std::string verb = request.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : request.substr(space + 1);
    if (verb == "open-ro" || verb == "open-ro-direct" || verb == "open-rw")
        return handleOpen(verb, rest, fdOut);
    if (verb == "message") return handleMessage(rest);
    if (verb == "devices" && rest.empty()) {
        auto devices = dm().devices();
        if (!devices) return errorReply(errnoFor(devices.error()), devices.error().describe());
        return "ok\n" + serialiseDevices(*devices);
    }
    return errorReply(EINVAL, "unknown request '" + verb + "'");
}

std::string HelperServer::handleOpen(const std::string& verb, const std::string& path, int& fdOut) {
    const DeviceAccess access = verb == "open-rw"          ? DeviceAccess::ReadWriteExclusive
                                : verb == "open-ro-direct" ? DeviceAccess::ReadOnlyDirect
                                                           : DeviceAccess::ReadOnly;
    int err = 0;
    auto opened = openDeviceChecked(path, access, &err);
    if (!opened) return errorReply(err ? err : EIO, opened.error().describe());
    fdOut = opened->fd;
    return "ok";
}

std::string HelperServer::handleMessage(const std::string& args) {
    const auto space = args.find(' ');
    if (space == std::string::npos) return errorReply(EINVAL, "message POOL MSG");
    const std::string pool = args.substr(0, space);
    const std::string message = args.substr(space + 1);
    if (message != "reserve_metadata_snap" && message != "release_metadata_snap")
        return errorReply(EPERM, "the helper sends only reserve_metadata_snap and "
                                 "release_metadata_snap, not '" +
                                     message + "'");
    auto p = findPool(dm(), pool); // only thin-pool targets receive messages
    if (!p) return errorReply(ENOENT, p.error().describe());
    if (Status s = dm().sendPoolMessage(pool, message); !s)
        return errorReply(errnoFor(s.error()), s.error().describe());
    return "ok";
}

} // namespace dms::helper
