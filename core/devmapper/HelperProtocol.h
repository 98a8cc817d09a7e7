#pragma once
// The conversation between dmscope and dmscope-helper (the privileged opener) over one
// SOCK_SEQPACKET socket: one datagram per request and per reply, a descriptor attached to a reply
// with SCM_RIGHTS.
//
// request                          reply
// "open-ro PATH"                   "ok" + fd (O_RDONLY)          | "error ERRNO TEXT"
// "open-ro-direct PATH"            "ok" + fd (O_RDONLY|O_DIRECT) | "error ERRNO TEXT"
// "open-rw PATH"                   "ok" + fd (O_RDWR|O_EXCL)     | "error ERRNO TEXT"
// "message POOL MSG"               "ok"                          | "error ERRNO TEXT"
//     (MSG: reserve_metadata_snap or release_metadata_snap; POOL must be a thin-pool)
// "devices"                        "ok\n" + serialised device list | "error ERRNO TEXT"
//
// Device list: per device "D\tname\tuuid\tmaj:min\tread_only\tsuspended\topen_count\n", then
// per target "T\tstart\tlength\ttype\tparams\tstatus\n".

#include "core/Expected.h"
#include "core/devmapper/DmDevice.h"

#include <string>
#include <vector>

namespace dms::helper {

inline constexpr std::size_t kMaxMessage = 1 << 20;

// Sends one datagram, with `fd` attached when >= 0.
Status sendPacket(int socket, const std::string& text, int fd = -1);
// Receives one datagram; a passed descriptor lands in `fd` (else -1). An empty text with ok
// status means the peer closed the socket.
Status receivePacket(int socket, std::string& text, int& fd);

std::string serialiseDevices(const std::vector<DmDevice>& devices);
Expected<std::vector<DmDevice>> parseDevices(const std::string& text);

} // namespace dms::helper
