// libFuzzer target: the foundation read path on a damaged 16-block pool: opening the
// metadata, the btree walker, lookups, both space-map readers and the device listing.

#include "FuzzImage.h"

#include "core/MemoryBlockSource.h"
#include "core/btree/BtreeLookup.h"
#include "core/btree/BtreeWalker.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

namespace {

class CountingVisitor final : public dms::BtreeVisitor {
public:
    void leaf(const dms::BtreeNode& n, const dms::BtreeWalkPosition&) override {
        entries += n.nrEntries();
    }
    void error(const dms::Error& e) override { errors += e.describe().size() > 0; }
    std::uint64_t entries = 0;
    std::uint64_t errors = 0;
};

void readSpaceMap(const dms::ThinMetadata& md, const dms::SpaceMapRoot& root,
                  dms::SpaceMapKind kind) {
    auto sm = dms::SpaceMapReader::open(md.reader(), root, kind);
    if (!sm) return;
    (void)sm->countAllocated();
    (void)sm->refCountEntries();
    std::uint64_t sum = 0;
    if (sm->nrBlocks() <= (1u << 20)) // keeps each run short
        (void)sm->forEachRun(
            [&](std::uint64_t b, std::uint64_t e, std::uint32_t c) { sum += (e - b) * c; });
    for (std::uint64_t b : {std::uint64_t(0), std::uint64_t(7), root.nrBlocks - 1})
        if (b < sm->nrBlocks()) (void)sm->count(b);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dms;
    const fuzz::FuzzImage img = fuzz::buildImage(data, size);
    auto source = std::make_shared<MemoryBlockSource>(img.bytes, false, "fuzz");
    auto opened = ThinMetadata::open(source);
    if (!opened) return 0;
    const ThinMetadata& md = **opened;
    std::vector<ThinSuperblock> supers{md.superblock()};
    if (md.hasMetadataSnapshot())
        if (auto held = md.metadataSnapshot()) supers.push_back(*held);
    for (const ThinSuperblock& sb : supers) {
        for (std::uint64_t root : {sb.deviceDetailsRoot, sb.dataMappingRoot}) {
            BtreeWalkOptions o;
            o.treeName = "fuzz";
            BtreeWalker walker(md.reader(), o);
            CountingVisitor v;
            walker.walk(root, v);
            (void)btreeHeight(md.reader(), root);
            (void)btreeLookup(md.reader(), root, 1, 0);
        }
        auto devices = md.devices(sb);
        if (devices)
            for (const ThinDevice& d : *devices) {
                std::uint64_t n = 0;
                (void)md.forEachMapping(d.mappingRoot, [&](std::uint64_t, BlockTime) { ++n; });
            }
    }
    readSpaceMap(md, md.superblock().metadataSpaceMap, SpaceMapKind::Metadata);
    readSpaceMap(md, md.superblock().dataSpaceMap, SpaceMapKind::Data);
    return 0;
}
