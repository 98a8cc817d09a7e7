#include "tests/support/RecordedDevices.h"

#include <sys/wait.h>
#include <unistd.h>

namespace dms::test {

DmDevice recordedDevice(std::string name, std::string uuid, DevNo no, std::string type,
                        std::string params, std::string status, std::uint64_t len) {
    DmDevice d;
    d.name = std::move(name);
    d.uuid = std::move(uuid);
    d.dev = no;
    d.targets.push_back({0, len, std::move(type), std::move(params), std::move(status)});
    return d;
}

std::vector<DmDevice> recordedLvmPool(const std::string& poolStatus) {
    const std::string u = "LVM-abcdefabcdefabcdefabcdefabcdefab";
    return {
        recordedDevice("vg-pool_tmeta", u + "tmeta1-tmeta", {253, 0}, "linear", "7:0 2048", "",
                       8192),
        recordedDevice("vg-pool_tdata", u + "tdata1-tdata", {253, 1}, "linear", "7:0 10240", ""),
        recordedDevice("vg-pool-tpool", u + "pool1-tpool", {253, 2}, "thin-pool",
                       "253:0 253:1 128 0 1 skip_block_zeroing", poolStatus),
        recordedDevice("vg-pool", u + "pool1-pool", {253, 3}, "linear", "253:2 0", ""),
        recordedDevice("vg-lv1", u + "lv1", {253, 4}, "thin", "253:2 1", "2048 4095", 1048576),
    };
}

Expected<std::vector<DmDevice>> FakePoolKernel::devices() {
    std::string status = "5 217/2048 76/4096 ";
    status.append(held).append(" rw discard_passdown queue_if_no_space - 512");
    return recordedLvmPool(status);
}

Status FakePoolKernel::sendPoolMessage(const std::string& pool, const std::string& message) {
    std::string line = pool;
    line.append(" ").append(message);
    sent.push_back(line);
    if (message == "reserve_metadata_snap") {
        if (held != "-") return makeError(ErrorKind::Io, "already held");
        held = reserveRoot;
    } else if (message == "release_metadata_snap") {
        // assign(count, char): GCC 12 warns falsely (-Wrestrict) about operator=(const char*)
        held.assign(1, '-');
    }
    return Status::success();
}

int deadPid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

} // namespace dms::test
