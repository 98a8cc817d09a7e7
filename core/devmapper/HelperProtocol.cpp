#include "core/devmapper/HelperProtocol.h"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace dms::helper {
namespace {

Error sockError(const char* what) {
    return makeError(ErrorKind::Io,
                     std::string(what) + " on the helper socket: " + std::strerror(errno));
}

bool clean(const std::string& s) {
    return s.find_first_of("\t\n") == std::string::npos;
}

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t from = 0;
    for (;;) {
        const auto tab = line.find('\t', from);
        out.push_back(line.substr(from, tab - from));
        if (tab == std::string::npos) return out;
        from = tab + 1;
    }
}

} // namespace

Status sendPacket(int socket, const std::string& text, int fd) {
    iovec iov{const_cast<char*>(text.data()), text.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (fd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    for (;;) {
        if (::sendmsg(socket, &msg, MSG_NOSIGNAL) >= 0) return Status::success();
        if (errno != EINTR) return sockError("send");
    }
}

Status receivePacket(int socket, std::string& text, int& fd) {
    fd = -1;
    text.assign(kMaxMessage, '\0');
    iovec iov{text.data(), text.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = ::recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return sockError("receive");
    text.resize(static_cast<std::size_t>(n));
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
            c->cmsg_len == CMSG_LEN(sizeof(int)))
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
        if (fd >= 0) ::close(fd);
        fd = -1;
        return makeError(ErrorKind::Io, "truncated message on the helper socket");
    }
    return Status::success();
}

std::string serialiseDevices(const std::vector<DmDevice>& devices) {
    std::ostringstream o;
    for (const auto& d : devices) {
        if (!clean(d.name) || !clean(d.uuid)) continue; // cannot be framed; not a pool anyway
        o << "D\t" << d.name << '\t' << d.uuid << '\t' << d.dev.text() << '\t' << d.readOnly << '\t'
          << d.suspended << '\t' << d.openCount << '\n';
        for (const auto& t : d.targets)
            if (clean(t.type) && clean(t.params) && clean(t.status))
                o << "T\t" << t.start << '\t' << t.length << '\t' << t.type << '\t' << t.params
                  << '\t' << t.status << '\n';
    }
    return o.str();
}

Expected<std::vector<DmDevice>> parseDevices(const std::string& text) {
    std::vector<DmDevice> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto f = splitTabs(line);
        if (f[0] == "D" && f.size() == 7) {
            DmDevice d;
            d.name = f[1];
            d.uuid = f[2];
            if (!parseDevNo(f[3], d.dev)) break;
            d.readOnly = f[4] == "1";
            d.suspended = f[5] == "1";
            d.openCount = std::atoi(f[6].c_str());
            out.push_back(std::move(d));
        } else if (f[0] == "T" && f.size() == 6 && !out.empty()) {
            out.back().targets.push_back({std::strtoull(f[1].c_str(), nullptr, 10),
                                          std::strtoull(f[2].c_str(), nullptr, 10), f[3], f[4],
                                          f[5]});
        } else {
            return makeError(ErrorKind::Io, "bad device line from the helper: '" + line + "'");
        }
    }
    return out;
}

} // namespace dms::helper
