#include "core/thin/ThinUsage.h"

#include "core/btree/BtreeLookup.h"
#include "core/thin/MappingCountTable.h"
#include "core/thin/ThinTreeWalk.h"

namespace dms {

namespace {

// fn(dataBlock) for every mapping entry of a device's tree; thin_ls looks each root up in the
// top-level tree and checks nodes fully (minimum fill included).
template <class Fn>
Status forEachDataBlock(const ThinMetadata& md, const ThinSuperblock& sb, std::uint64_t dev,
                        Fn&& fn) {
    const BlockReader& reader = md.reader();
    auto hit = btreeLookup(reader, sb.dataMappingRoot, dev, 8);
    if (!hit) return hit.error();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         "couldn't find mapping tree root of device " + std::to_string(dev),
                         sb.dataMappingRoot, "keys");
    ThinTreeWalkConfig config;
    config.treeName = "mapping[dev " + std::to_string(dev) + "]";
    return walkThinTreeLeaves(reader, loadLe64((*hit)->value()), config,
                              [&](const BtreeNode& leaf) -> Status {
                                  const std::uint32_t nr = leaf.nrEntries();
                                  const std::uint8_t* values = nr ? leaf.value(0) : nullptr;
                                  for (std::uint32_t i = 0; i < nr; ++i)
                                      fn(loadLe64(values + 8ull * i) >> 24);
                                  return Status::success();
                              });
}

} // namespace

Expected<std::vector<ThinDeviceUsage>>
computeThinUsage(const ThinMetadata& md, const ThinSuperblock& sb, bool countExclusive) {
    std::vector<ThinDeviceUsage> devices;
    ThinTreeWalkConfig detailsConfig;
    detailsConfig.leafValueSize = DeviceDetails::kSize;
    detailsConfig.treeName = "device_details";
    Status s = walkThinTreeLeaves(md.reader(), sb.deviceDetailsRoot, detailsConfig,
                                  [&](const BtreeNode& leaf) -> Status {
                                      for (std::uint32_t i = 0; i < leaf.nrEntries(); ++i) {
                                          ThinDeviceUsage u;
                                          u.id = leaf.key(i);
                                          u.details = DeviceDetails::decode(leaf.value(i));
                                          devices.push_back(u);
                                      }
                                      return Status::success();
                                  });
    if (!s) return s.error();
    if (!countExclusive) return devices;

    MappingCountTable counts;
    for (const ThinDeviceUsage& d : devices)
        if (Status p = forEachDataBlock(md, sb, d.id, [&](std::uint64_t b) { counts.add(b); }); !p)
            return p.error();
    for (ThinDeviceUsage& d : devices) {
        std::uint64_t exclusive = 0;
        Status p = forEachDataBlock(
            md, sb, d.id, [&](std::uint64_t b) { exclusive += counts.count(b) == 1 ? 1 : 0; });
        if (!p) return p.error();
        d.exclusiveBlocks = exclusive;
    }
    return devices;
}

} // namespace dms
