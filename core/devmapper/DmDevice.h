#pragma once
// One active device-mapper device as libdevmapper (or `dmsetup table` / `dmsetup status`) reports
// it: name, uuid, major:minor, and per target line its table parameters and status text.

#include <cstdint>
#include <string>
#include <vector>

namespace dms {

// A block device number (major:minor), as tables and /sys/dev/block name devices.
struct DevNo {
    unsigned major = 0;
    unsigned minor = 0;
    std::string text() const { return std::to_string(major) + ":" + std::to_string(minor); }
    friend bool operator==(const DevNo&, const DevNo&) = default;
};

// "253:0" -> DevNo; false on anything else.
bool parseDevNo(const std::string& text, DevNo& out);

struct DmTarget {
    std::uint64_t start = 0;  // sectors
    std::uint64_t length = 0; // sectors
    std::string type;         // "thin-pool", "thin", "linear", ...
    std::string params;       // table parameters after the type
    std::string status;       // status text after the type ("" when not asked)
};

struct DmDevice {
    std::string name;
    std::string uuid;
    DevNo dev;
    bool readOnly = false;
    bool suspended = false;
    int openCount = 0;
    std::vector<DmTarget> targets;
};

} // namespace dms
