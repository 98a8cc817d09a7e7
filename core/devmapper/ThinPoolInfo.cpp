#include "core/devmapper/ThinPoolInfo.h"

#include <fstream>

namespace dms {
namespace {

std::string undouble(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        out += s[i];
        if (s[i] == '-' && i + 1 < s.size() && s[i + 1] == '-') ++i;
    }
    return out;
}

BlockDeviceRef resolve(DevNo dev, const std::vector<DmDevice>& devices,
                       const std::string& sysRoot) {
    BlockDeviceRef ref;
    ref.dev = dev;
    for (const auto& d : devices)
        if (d.dev == dev) {
            ref.name = d.name;
            ref.path = "/dev/mapper/" + d.name;
            return ref;
        }
    std::ifstream uevent(sysRoot + "/dev/block/" + dev.text() + "/uevent");
    for (std::string line; std::getline(uevent, line);)
        if (line.rfind("DEVNAME=", 0) == 0) {
            ref.name = line.substr(8);
            ref.path = "/dev/" + ref.name;
        }
    return ref;
}

} // namespace

bool splitLvmDmName(const std::string& dmName, std::string& vg, std::string& lv) {
    for (std::size_t i = 0; i < dmName.size(); ++i) {
        if (dmName[i] != '-') continue;
        if (i + 1 < dmName.size() && dmName[i + 1] == '-') {
            ++i; // a doubled dash belongs to the name
            continue;
        }
        vg = undouble(dmName.substr(0, i));
        lv = undouble(dmName.substr(i + 1));
        return !vg.empty() && !lv.empty();
    }
    return false;
}

std::string ThinPoolInfo::lvmName() const {
    if (uuid.rfind("LVM-", 0) != 0) return {};
    std::string vg, lv;
    if (!splitLvmDmName(name, vg, lv)) return {};
    const std::string suffix = "-tpool";
    if (lv.size() > suffix.size() &&
        lv.compare(lv.size() - suffix.size(), suffix.size(), suffix) == 0)
        lv.resize(lv.size() - suffix.size());
    return vg + "/" + lv;
}

std::string ThinPoolInfo::deactivateCommand() const {
    if (const auto lvm = lvmName(); !lvm.empty()) return "lvchange -an " + lvm;
    std::string cmd = "dmsetup remove";
    for (const auto& t : thins)
        cmd += " " + t.name;
    return cmd + " " + name;
}

std::vector<ThinPoolInfo> findThinPools(const std::vector<DmDevice>& devices,
                                        const std::string& sysRoot) {
    std::vector<ThinPoolInfo> pools;
    for (const auto& d : devices) {
        if (d.targets.size() != 1 || d.targets[0].type != "thin-pool") continue;
        auto table = parseThinPoolTable(d.targets[0].params);
        if (!table) continue; // not a table the kernel would have loaded
        ThinPoolInfo p;
        p.name = d.name;
        p.uuid = d.uuid;
        p.dev = d.dev;
        p.sectors = d.targets[0].length;
        p.readOnly = d.readOnly;
        p.openCount = d.openCount;
        p.table = *table;
        p.metadata = resolve(table->metadataDev, devices, sysRoot);
        p.data = resolve(table->dataDev, devices, sysRoot);
        if (auto st = parseThinPoolStatus(d.targets[0].status))
            p.status = *st;
        else
            p.statusError = st.error().describe();
        pools.push_back(std::move(p));
    }
    for (const auto& d : devices) {
        for (const auto& t : d.targets) {
            if (t.type != "thin") continue;
            auto table = parseThinTable(t.params);
            if (!table) continue;
            for (auto& p : pools) {
                if (!(p.dev == table->poolDev)) continue;
                ThinVolumeInfo v;
                v.name = d.name;
                v.dev = d.dev;
                v.sectors = t.length;
                v.table = *table;
                if (auto st = parseThinStatus(t.status)) v.status = *st;
                p.thins.push_back(std::move(v));
            }
        }
    }
    return pools;
}

const ThinPoolInfo* poolWithMetadata(const std::vector<ThinPoolInfo>& pools, DevNo dev) {
    for (const auto& p : pools)
        if (p.metadata.dev == dev) return &p;
    return nullptr;
}

} // namespace dms
