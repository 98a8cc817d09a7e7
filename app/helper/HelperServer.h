#pragma once
// dmscope-helper's request loop (HelperProtocol.h): opens devices under the DeviceOpenPolicy rule
// and passes the descriptors back, lists device-mapper devices, and sends the two metadata
// snapshot messages to thin pools. Nothing else: the helper runs as root for an unprivileged
// caller.

#include "core/devmapper/DeviceMapper.h"

#include <memory>
#include <string>

namespace dms::helper {

class HelperServer {
public:
    explicit HelperServer(int socket) : socket_(socket) {}
    // Serves until the peer closes the socket; returns the process exit code.
    int run();

private:
    std::string handle(const std::string& request, int& fdOut);
    std::string handleOpen(const std::string& verb, const std::string& path, int& fdOut);
    std::string handleMessage(const std::string& args);
    DeviceMapper& dm();

    int socket_;
    std::unique_ptr<DeviceMapper> dm_;
};

} // namespace dms::helper
