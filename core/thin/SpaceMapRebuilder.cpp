#include "core/thin/SpaceMapRebuilder.h"

#include "core/thin/BlockClassifier.h"
#include "core/thin/ThinTreeWalk.h"

namespace dms {
namespace {

bool isSpaceMapBlock(BlockRole r) {
    switch (r) {
    case BlockRole::MetadataSmIndex:
    case BlockRole::MetadataBitmap:
    case BlockRole::DataBitmap:
    case BlockRole::MetadataRefcountNode:
    case BlockRole::DataRefcountNode:
    case BlockRole::DataSmIndexNode:
        return true;
    default:
        return false;
    }
}

// Expected data counts: one per mapping entry in each distinct leaf of the live and held trees.
Status countData(const ThinMetadata& md, std::vector<std::uint32_t>& counts) {
    VisitedBlocks visited(md.reader().blockCount());
    std::vector<ThinSuperblock> sbs{md.superblock()};
    if (md.hasMetadataSnapshot()) {
        auto held = md.metadataSnapshot();
        if (!held) return held.error();
        sbs.push_back(*held);
    }
    for (const ThinSuperblock& sb : sbs) {
        auto devices = md.devices(sb);
        if (!devices) return devices.error();
        for (const ThinDevice& dev : *devices) {
            ThinTreeWalkConfig cfg;
            cfg.visited = &visited;
            cfg.treeName = "mapping[dev " + std::to_string(dev.id) + "]";
            Status s =
                walkThinTreeLeaves(md.reader(), dev.mappingRoot, cfg, [&](const BtreeNode& leaf) {
                    for (std::uint32_t i = 0; i < leaf.nrEntries(); ++i) {
                        const std::uint64_t d = BlockTime::unpack(leaf.valueU64(i)).dataBlock;
                        if (d >= counts.size())
                            return Status(makeError(ErrorKind::Corrupt,
                                                    "maps data block " + std::to_string(d) +
                                                        " beyond the data device",
                                                    leaf.number(), "values"));
                        ++counts[d];
                    }
                    return Status::success();
                });
            if (!s) return s;
        }
    }
    return Status::success();
}

} // namespace

Expected<SpaceMapRebuildResult> SpaceMapRebuilder::run() {
    if (Status s = editor_.commit(); !s) return s.error();
    TransactionManager& tm = editor_.transactionManager();
    auto md = ThinMetadata::open(tm.reader().sourcePtr());
    if (!md) return md.takeError();
    auto map = BlockClassifier(**md).classify();
    if (!map) return map.takeError();

    MetadataSpaceMap& meta = editor_.metadataMachine();
    DiskSpaceMap& data = editor_.dataMachine();
    const std::uint64_t nrMeta = std::min<std::uint64_t>(meta.nrBlocks(), map->size());
    std::vector<std::uint32_t> expected(nrMeta, 0);
    for (std::uint64_t b = 0; b < nrMeta; ++b) {
        const BlockRole role = map->role(b);
        if (role == BlockRole::Unreadable)
            return makeError(ErrorKind::Corrupt,
                             "cannot rebuild the space maps: block " + std::to_string(b) +
                                 " is referenced but unreadable; rebuild by dump and restore",
                             b);
        expected[b] = b == 0 ? 1 : map->references(b);
        if (isSpaceMapBlock(role)) {
            auto onDisk = meta.count(b);
            if (!onDisk) return onDisk.takeError();
            if (*onDisk != expected[b])
                return makeError(ErrorKind::Corrupt,
                                 "cannot rebuild in place: the space maps' own " +
                                     std::string(blockRoleName(role)) + " at block " +
                                     std::to_string(b) + " has count " + std::to_string(*onDisk) +
                                     ", expected " + std::to_string(expected[b]) +
                                     "; rebuild by dump and restore",
                                 b);
        }
    }
    std::vector<std::uint32_t> dataExpected(data.nrBlocks(), 0);
    if (Status s = countData(**md, dataExpected); !s) return s.error();

    // From here on, blocks in use are never handed out, whatever the damaged map says.
    meta.setAllocationFilter(
        [&expected](std::uint64_t b) { return b < expected.size() && expected[b] > 0; });
    struct ClearFilter {
        MetadataSpaceMap& m;
        ~ClearFilter() { m.setAllocationFilter({}); }
    } clear{meta};

    SpaceMapRebuildResult result;
    for (std::uint64_t b = 0; b < data.nrBlocks(); ++b) {
        auto c = data.count(b);
        if (!c) return c.takeError();
        if (*c == dataExpected[b]) continue;
        if (Status s = data.setCount(b, dataExpected[b]); !s) return s.error();
        ++result.dataBlocksChanged;
    }
    for (std::uint64_t b = 0; b < nrMeta; ++b) {
        // The space maps keep their own blocks (and the blocks this rebuild allocated) right.
        if (isSpaceMapBlock(map->role(b)) || tm.isShadow(b)) continue;
        auto c = meta.count(b);
        if (!c) return c.takeError();
        if (*c == expected[b]) continue;
        if (Status s = meta.setCount(b, expected[b]); !s) return s.error();
        ++result.metadataBlocksChanged;
    }
    if (Status s = data.recountHints(); !s) return s.error();
    if (Status s = meta.recountHints(); !s) return s.error();
    return result;
}

} // namespace dms
