#pragma once
// The kernel's device-mapper as dmscope needs it: list active devices with their tables and
// status, and send target messages (reserve_metadata_snap, release_metadata_snap). The interface
// keeps libdevmapper out of the parsing code, which tests drive with recorded strings.

#include "core/Expected.h"
#include "core/devmapper/DmDevice.h"

#include <memory>
#include <string>
#include <vector>

namespace dms {

// Sends a message to a pool target (dmsetup message POOL 0 MSG). Implemented by the device-mapper
// backend (when this process may) and by the privileged helper's client.
class PoolMessenger {
public:
    virtual ~PoolMessenger() = default;
    virtual Status sendPoolMessage(const std::string& pool, const std::string& message) = 0;
};

class DeviceMapper : public PoolMessenger {
public:
    // Every active device with its table and status lines.
    virtual Expected<std::vector<DmDevice>> devices() = 0;
};

// The real one, through libdevmapper. Fails with Permission/Io when /dev/mapper/control cannot be
// opened (not root, or no device-mapper in the kernel).
std::unique_ptr<DeviceMapper> makeSystemDeviceMapper();

// A fixed device list (recorded output, tests, demos); messages are recorded, not sent.
class RecordedDeviceMapper final : public DeviceMapper {
public:
    explicit RecordedDeviceMapper(std::vector<DmDevice> devices) : devices_(std::move(devices)) {}
    Expected<std::vector<DmDevice>> devices() override { return devices_; }
    Status sendPoolMessage(const std::string& pool, const std::string& message) override {
        sent_.push_back(pool + ": " + message);
        return Status::success();
    }
    const std::vector<std::string>& sent() const { return sent_; }

private:
    std::vector<DmDevice> devices_;
    std::vector<std::string> sent_;
};

} // namespace dms
