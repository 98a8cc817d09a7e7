// The DeviceMapper backed by libdevmapper: DM_DEVICE_LIST, then TABLE and STATUS per device, and
// TARGET_MSG for pool messages. libdevmapper's own log goes to a buffer, not to stderr: its last
// error line becomes part of our error message.

#include "core/devmapper/DeviceMapper.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <libdevmapper.h>
#include <mutex>
#include <unistd.h>

namespace dms {
namespace {

std::mutex gLogMutex;
std::string gLastLog;

void captureLog(int level, const char*, int, int, const char* f, ...)
    __attribute__((format(printf, 5, 6)));
void captureLog(int level, const char*, int, int, const char* f, ...) {
    if ((level & 7) > 3) return; // only errors (_LOG_ERR = 3) and worse
    char buf[512];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    std::lock_guard<std::mutex> lock(gLogMutex);
    gLastLog = buf;
}

struct TaskDeleter {
    void operator()(dm_task* t) const { dm_task_destroy(t); }
};
using Task = std::unique_ptr<dm_task, TaskDeleter>;

Error taskError(const std::string& what, int err) {
    std::string detail;
    {
        std::lock_guard<std::mutex> lock(gLogMutex);
        detail = gLastLog;
    }
    std::string msg = what + " failed";
    if (!detail.empty()) msg += ": " + detail;
    if (err == EACCES || err == EPERM || (err == 0 && ::geteuid() != 0))
        return makeError(ErrorKind::Permission, msg + " (device-mapper needs root)");
    return makeError(ErrorKind::Io, msg);
}

// Runs a TABLE or STATUS task for one device and appends what it reports.
Status readTargets(const std::string& name, bool status, DmDevice& dev) {
    Task t(dm_task_create(status ? DM_DEVICE_STATUS : DM_DEVICE_TABLE));
    if (!t || !dm_task_set_name(t.get(), name.c_str()) || !dm_task_run(t.get()))
        return taskError(std::string(status ? "dm status " : "dm table ") + name, errno);
    dm_info info{};
    if (!dm_task_get_info(t.get(), &info) || !info.exists)
        return makeError(ErrorKind::Io, "dm device " + name + " vanished while it was listed");
    dev.dev = {info.major, info.minor};
    dev.readOnly = info.read_only != 0;
    dev.suspended = info.suspended != 0;
    dev.openCount = info.open_count;
    if (const char* uuid = dm_task_get_uuid(t.get())) dev.uuid = uuid;
    void* next = nullptr;
    std::size_t i = 0;
    do {
        std::uint64_t start = 0, length = 0;
        char* type = nullptr;
        char* params = nullptr;
        next = dm_get_next_target(t.get(), next, &start, &length, &type, &params);
        if (!type) break;
        if (!status) {
            dev.targets.push_back({start, length, type, params ? params : "", ""});
        } else if (i < dev.targets.size()) {
            dev.targets[i].status = params ? params : "";
        }
        ++i;
    } while (next);
    return Status::success();
}

class SystemDeviceMapper final : public DeviceMapper {
public:
    SystemDeviceMapper() {
        dm_log_with_errno_init(captureLog);
        // No nodes are created or removed here, so there is nothing to wait for from udev.
        dm_udev_set_sync_support(0);
    }

    Expected<std::vector<DmDevice>> devices() override {
        Task list(dm_task_create(DM_DEVICE_LIST));
        if (!list || !dm_task_run(list.get()))
            return taskError("listing device-mapper devices", errno);
        std::vector<std::string> names;
        if (dm_names* n = dm_task_get_names(list.get()); n && n->dev) {
            for (;;) {
                names.emplace_back(n->name);
                if (!n->next) break;
                n = reinterpret_cast<dm_names*>(reinterpret_cast<char*>(n) + n->next);
            }
        }
        std::vector<DmDevice> out;
        for (const auto& name : names) {
            DmDevice d;
            d.name = name;
            // A device removed between the list and here is skipped, not an error.
            if (!readTargets(name, false, d)) continue;
            if (!readTargets(name, true, d)) continue;
            out.push_back(std::move(d));
        }
        return out;
    }

    Status sendPoolMessage(const std::string& pool, const std::string& message) override {
        Task t(dm_task_create(DM_DEVICE_TARGET_MSG));
        if (!t || !dm_task_set_name(t.get(), pool.c_str()) || !dm_task_set_sector(t.get(), 0) ||
            !dm_task_set_message(t.get(), message.c_str()) || !dm_task_run(t.get()))
            return taskError("dm message " + pool + " 0 " + message, errno);
        return Status::success();
    }
};

} // namespace

std::unique_ptr<DeviceMapper> makeSystemDeviceMapper() {
    return std::make_unique<SystemDeviceMapper>();
}

} // namespace dms
