#include "core/thin/ThinDumper.h"

#include "core/thin/ThinTreeWalk.h"

#include <map>

namespace dms {

Expected<ThinSuperblock> thinToolSuperblock(const ThinMetadata& md, bool useMetadataSnap,
                                            std::optional<std::uint64_t> snapBlock) {
    const ThinSuperblock& live = md.superblock();
    if (!useMetadataSnap) return live;
    if (live.heldRoot == 0) return makeError(ErrorKind::Usage, "no current metadata snap");
    if (snapBlock && *snapBlock != live.heldRoot)
        return makeError(ErrorKind::Usage, "metadata snapshot does not match that in superblock");
    return md.metadataSnapshot();
}

ThinDumpHeader thinDumpHeader(const ThinSuperblock& sb) {
    ThinDumpHeader h;
    h.time = sb.time;
    h.transaction = sb.transactionId;
    h.flags = sb.flags;
    h.version = sb.version;
    h.dataBlockSize = sb.dataBlockSize;
    h.nrDataBlocks = sb.blocknr == 0 ? sb.dataSpaceMap.nrBlocks : 0;
    return h;
}

namespace {

bool selected(const ThinDumpOptions& o, std::uint64_t dev) {
    return !o.devIds || o.devIds->count(dev) != 0;
}

Status dumpDeviceMappings(const BlockReader& reader, std::uint64_t dev, std::uint64_t root,
                          ThinDumpWriter& writer, OutputBuffer& out) {
    ThinMappingRuns runs(writer);
    ThinTreeWalkConfig config;
    config.checkMinimumFill = false; // thin_dump ignores "non-fatal" damage
    config.treeName = "mapping[dev " + std::to_string(dev) + "]";
    Status s = walkThinTreeLeaves(reader, root, config, [&](const BtreeNode& leaf) -> Status {
        const std::uint32_t nr = leaf.nrEntries();
        const std::uint8_t* keys = leaf.block().data() + kNodeHeaderSize;
        const std::uint8_t* values = nr ? leaf.value(0) : nullptr;
        for (std::uint32_t i = 0; i < nr; ++i) {
            const std::uint64_t v = loadLe64(values + 8ull * i);
            runs.add(loadLe64(keys + 8ull * i), v >> 24, static_cast<std::uint32_t>(v & 0xFFFFFF));
        }
        return out.status();
    });
    if (!s) return s;
    runs.finish();
    return out.status();
}

} // namespace

Status dumpThinMetadata(const ThinMetadata& md, const ThinDumpOptions& options, OutputBuffer& out) {
    auto sbOr = thinToolSuperblock(md, options.useMetadataSnap, options.metadataSnapBlock);
    if (!sbOr) return sbOr.error();
    const ThinSuperblock& sb = *sbOr;
    const BlockReader& reader = md.reader();

    // The details first, as thin_dump does: damage there fails before any output.
    std::map<std::uint64_t, DeviceDetails> details;
    ThinTreeWalkConfig detailsConfig;
    detailsConfig.leafValueSize = DeviceDetails::kSize;
    detailsConfig.checkMinimumFill = false;
    detailsConfig.treeName = "device_details";
    Status s = walkThinTreeLeaves(
        reader, sb.deviceDetailsRoot, detailsConfig, [&](const BtreeNode& leaf) -> Status {
            for (std::uint32_t i = 0; i < leaf.nrEntries(); ++i)
                if (selected(options, leaf.key(i)))
                    details.emplace(leaf.key(i), DeviceDetails::decode(leaf.value(i)));
            return Status::success();
        });
    if (!s) return s;

    ThinDumpHeader header = thinDumpHeader(sb);
    if (options.transactionId) header.transaction = *options.transactionId;
    if (options.dataBlockSize) header.dataBlockSize = *options.dataBlockSize;
    if (options.nrDataBlocks) header.nrDataBlocks = *options.nrDataBlocks;
    ThinDumpWriter writer(out, options.format);
    writer.beginSuperblock(header);

    ThinTreeWalkConfig topConfig;
    topConfig.checkMinimumFill = false;
    topConfig.treeName = "mapping";
    s = walkThinTreeLeaves(reader, sb.dataMappingRoot, topConfig, [&](const BtreeNode& leaf) {
        for (std::uint32_t i = 0; i < leaf.nrEntries(); ++i) {
            const std::uint64_t dev = leaf.key(i);
            if (!selected(options, dev)) continue;
            auto it = details.find(dev);
            if (it == details.end())
                return Status(makeError(ErrorKind::Corrupt,
                                        "mappings present for device " + std::to_string(dev) +
                                            ", but it isn't present in device tree",
                                        leaf.number(), "keys"));
            writer.beginDevice(static_cast<std::uint32_t>(dev), it->second);
            if (!options.skipMappings)
                if (Status ds = dumpDeviceMappings(reader, dev, leaf.valueU64(i), writer, out); !ds)
                    return ds;
            writer.endDevice();
        }
        return out.status();
    });
    if (!s) return s;
    writer.endSuperblock();
    return out.flush();
}

} // namespace dms
