// dmscope-cli pools: active thin pools (their metadata and data devices, status, thin volumes,
// metadata snapshots dmscope left held) and inactive block devices that carry thin, cache or era
// metadata.

#include "app/cli/CliCommand.h"

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/MetadataCandidates.h"
#include "core/devmapper/SnapshotRecords.h"
#include "core/devmapper/ThinPoolInfo.h"
#include "core/util/JsonWriter.h"

#include <algorithm>
#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kName = "pools";

std::string heldText(const ThinPoolInfo& p) {
    if (!p.status || !p.status->heldRoot) return "-";
    return std::to_string(*p.status->heldRoot);
}

// "snapshot held by dmscope pid N (dead)" / "(running)" / "not by dmscope"; "" when none held.
std::string holderText(const ThinPoolInfo& p, const std::vector<SnapshotRecord>& records) {
    if (!p.status || !p.status->heldRoot) return {};
    for (const auto& r : records)
        if (r.pool == p.name)
            return "snapshot held by dmscope pid " + std::to_string(r.pid) +
                   (r.ownerAlive ? " (running)"
                                 : " (dead): release it with 'dmscope-cli "
                                   "release-snap " +
                                       p.name + "'");
    return "snapshot held, not by dmscope";
}

void writeRef(JsonWriter& j, const char* key, const BlockDeviceRef& r) {
    j.key(key).beginObject();
    j.field("dev", r.dev.text());
    j.field("name", r.name);
    j.field("path", r.path);
    j.endObject();
}

void writePoolJson(JsonWriter& j, const ThinPoolInfo& p, const std::vector<SnapshotRecord>& recs) {
    j.beginObject();
    j.field("name", p.name);
    j.field("uuid", p.uuid);
    j.field("dev", p.dev.text());
    j.field("sectors", p.sectors);
    if (const auto lvm = p.lvmName(); !lvm.empty()) j.field("lvm", lvm);
    writeRef(j, "metadata", p.metadata);
    writeRef(j, "data", p.data);
    j.field("data_block_sectors", p.table.dataBlockSectors);
    j.field("low_water_mark", p.table.lowWaterMark);
    j.key("features").beginArray();
    for (const auto& f : p.table.features)
        j.value(f);
    j.endArray();
    if (p.status) {
        const ThinPoolStatus& s = *p.status;
        j.key("status").beginObject();
        j.field("text", s.text);
        j.field("mode", poolModeName(s.mode));
        if (!s.failed()) {
            j.field("transaction_id", s.transactionId);
            j.field("used_metadata_blocks", s.usedMetadataBlocks);
            j.field("total_metadata_blocks", s.totalMetadataBlocks);
            j.field("used_data_blocks", s.usedDataBlocks);
            j.field("total_data_blocks", s.totalDataBlocks);
            j.key("held_root");
            if (s.heldRoot)
                j.value(*s.heldRoot);
            else
                j.null();
            j.field("needs_check", s.needsCheck);
            j.field("discard_passdown", s.discardPassdown);
            j.field("error_if_no_space", s.errorIfNoSpace);
            if (s.metadataLowWatermark) j.field("metadata_low_watermark", *s.metadataLowWatermark);
        }
        j.endObject();
    } else {
        j.field("status_error", p.statusError);
    }
    for (const auto& r : recs)
        if (r.pool == p.name) {
            j.key("dmscope_snapshot").beginObject();
            j.field("pid", r.pid);
            j.field("owner_alive", r.ownerAlive);
            j.field("held_root", r.heldRoot);
            j.endObject();
        }
    j.key("thins").beginArray();
    for (const auto& t : p.thins) {
        j.beginObject();
        j.field("name", t.name);
        j.field("dev", t.dev.text());
        j.field("dev_id", t.table.deviceId);
        j.field("sectors", t.sectors);
        if (t.status && !t.status->failed) j.field("mapped_sectors", t.status->mappedSectors);
        j.endObject();
    }
    j.endArray();
    j.endObject();
}

void writePoolText(std::ostream& o, const ThinPoolInfo& p,
                   const std::vector<SnapshotRecord>& recs) {
    o << "pool " << p.name << " (" << p.dev.text() << ")";
    if (const auto lvm = p.lvmName(); !lvm.empty()) o << " lvm " << lvm;
    if (!p.status) {
        o << " status unreadable: " << p.statusError << '\n';
    } else if (p.status->failed()) {
        o << ' ' << poolModeName(p.status->mode) << '\n';
    } else {
        const ThinPoolStatus& s = *p.status;
        o << ' ' << poolModeName(s.mode) << " transaction " << s.transactionId << " metadata "
          << s.usedMetadataBlocks << '/' << s.totalMetadataBlocks << " data " << s.usedDataBlocks
          << '/' << s.totalDataBlocks << " held_root " << heldText(p)
          << (s.needsCheck ? " needs_check" : "") << " low_water_mark " << p.table.lowWaterMark
          << '\n';
    }
    o << "  metadata " << p.metadata.dev.text() << ' '
      << (p.metadata.path.empty() ? "?" : p.metadata.path) << '\n';
    o << "  data     " << p.data.dev.text() << ' ' << (p.data.path.empty() ? "?" : p.data.path)
      << " (block size " << p.table.dataBlockSectors << " sectors)\n";
    for (const auto& t : p.thins) {
        o << "  thin " << t.name << " (" << t.dev.text() << ") id " << t.table.deviceId << ", "
          << t.sectors << " sectors";
        if (t.status && !t.status->failed) o << ", " << t.status->mappedSectors << " mapped";
        o << '\n';
    }
    if (const auto h = holderText(p, recs); !h.empty()) o << "  " << h << '\n';
}

int runPools(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
        {"no-scan", 0, OptionSpec::Kind::Flag, "active pools only, no block-device scan"},
        {"helper", 0, OptionSpec::Kind::Flag, "ask device-mapper through dmscope-helper (pkexec)"},
    };
    auto args = parseCommandArgs(argv, spec, 0, kName);
    if (!args) return reportError(io, kName, args.error());
    std::unique_ptr<DeviceMapper> dm;
    if (args->has("helper")) {
        auto h = HelperClient::start();
        if (!h) return reportError(io, kName, h.error());
        dm = std::move(*h);
    } else {
        dm = makeSystemDeviceMapper();
    }
    auto devices = dm->devices();
    std::vector<ThinPoolInfo> pools;
    if (devices) pools = findThinPools(*devices);
    const auto records = SnapshotRecords().list();
    CandidateScan scan;
    if (!args->has("no-scan")) scan = scanMetadataCandidates();
    // Metadata devices of active pools are listed with their pools, not as candidates.
    std::erase_if(scan.found, [&](const MetadataCandidate& c) {
        return poolWithMetadata(pools, c.dev) != nullptr;
    });

    if (args->has("json")) {
        JsonWriter j(io.out);
        j.beginObject();
        if (!devices) j.field("device_mapper_error", devices.error().describe());
        j.key("pools").beginArray();
        for (const auto& p : pools)
            writePoolJson(j, p, records);
        j.endArray();
        j.key("candidates").beginArray();
        for (const auto& c : scan.found) {
            j.beginObject();
            j.field("path", c.path);
            j.field("name", c.name);
            j.field("dev", c.dev.text());
            j.field("bytes", c.bytes);
            j.field("kind", metadataKindName(c.kind));
            j.key("holders").beginArray();
            for (const auto& h : c.holders)
                j.value(h);
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.field("unreadable_devices", static_cast<std::uint64_t>(scan.unreadable.size()));
        j.endObject();
        io.out << '\n';
    } else {
        for (const auto& p : pools)
            writePoolText(io.out, p, records);
        if (devices && pools.empty()) io.out << "no active thin pools\n";
        for (const auto& r : records)
            if (std::none_of(pools.begin(), pools.end(), [&](auto& p) { return p.name == r.pool; }))
                io.out << "record of a snapshot on " << r.pool << " (pool not active) by pid "
                       << r.pid << (r.ownerAlive ? "" : " (dead)") << '\n';
        if (!args->has("no-scan")) {
            for (const auto& c : scan.found) {
                io.out << (c.holders.empty() ? "inactive " : "") << metadataKindName(c.kind)
                       << " metadata " << c.path << " (" << c.dev.text() << ") " << c.bytes / 1024
                       << " KiB";
                for (std::size_t i = 0; i < c.holders.size(); ++i)
                    io.out << (i == 0 ? ", in use by " : " ") << c.holders[i];
                io.out << '\n';
            }
            if (!scan.unreadable.empty())
                io.out << scan.unreadable.size() << " block device(s) not readable here\n";
        }
    }
    if (!devices) return reportError(io, kName, devices.error());
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(pools, "pools", "[--json] [--no-scan] [--helper]",
                "list active thin pools, their devices and status, and inactive metadata devices",
                &runPools);

} // namespace dms::cli
