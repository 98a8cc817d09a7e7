#include "core/check/ThinTreeHandlers.h"

#include "core/BlockType.h"

#include <cstdio>

namespace dms {

void DetailsCollector::leaf(const NodeView& node, TreeWalker&) {
    const std::uint32_t nr = node.nrEntries();
    for (std::uint32_t i = 0; i < nr; ++i)
        entries.push_back({node.key(i), DeviceDetails::decode(node.value(i)), node.block});
}

bool MappingHandler::subRoot(std::uint64_t key, std::uint64_t root, TreeWalker& walker) {
    if (roots_) {
        DeviceRoot r;
        r.id = key;
        r.root = root;
        r.topPath = walker.pathBlocks();
        r.topLeaf = r.topPath.empty() ? 0 : r.topPath.back();
        r.time = time_;
        r.spec = spec_;
        roots_->push_back(std::move(r));
    }
    return descendNow_;
}

void MappingHandler::reportMapping(const NodeView& node, std::uint32_t i, TreeWalker& walker) {
    const std::uint64_t raw = node.valueU64(i);
    const BlockTime bt = BlockTime::unpack(raw);
    const std::string field = "value[" + std::to_string(i) + "]";
    if (bt.dataBlock >= data_.nrDataBlocks) {
        if (data_.beyondDevice.fetch_add(1) < DataCounter::kReportedPerKind)
            walker.report(Severity::Warning, FindingCategory::Mapping, node.block, field,
                          "virtual block " + std::to_string(node.key(i)) + " maps to data block " +
                              std::to_string(bt.dataBlock) + ", beyond the data device (" +
                              std::to_string(data_.nrDataBlocks) + " blocks)");
    }
    if (bt.time > time_) {
        if (data_.futureTime.fetch_add(1) < DataCounter::kReportedPerKind)
            walker.report(Severity::Warning, FindingCategory::Mapping, node.block, field,
                          "virtual block " + std::to_string(node.key(i)) + " has time " +
                              std::to_string(bt.time) + ", later than the superblock time " +
                              std::to_string(time_));
    }
}

void MappingHandler::leaf(const NodeView& node, TreeWalker& walker) {
    const std::uint32_t nr = node.nrEntries();
    const std::uint8_t* v = node.value(0);
    const std::uint64_t limit = data_.nrDataBlocks;
    RefCountArray* counts = data_.counts;
    bool odd = false;
    // The hot loop of a check. Consecutive data blocks (the common case: data is allocated in
    // runs) are counted as one run, eight blocks per atomic add.
    std::uint64_t runStart = 0;
    std::uint64_t runLength = 0;
    for (std::uint32_t i = 0; i < nr; ++i) {
        const std::uint64_t raw = loadLe64(v + 8 * std::size_t(i));
        const std::uint64_t block = raw >> 24;
        const std::uint32_t time = static_cast<std::uint32_t>(raw & 0xFFFFFF);
        if (block >= limit || time > time_) {
            odd = true;
            continue;
        }
        if (runLength && block == runStart + runLength) {
            ++runLength;
            continue;
        }
        if (runLength && counts) counts->incrementRun(runStart, runLength);
        runStart = block;
        runLength = 1;
    }
    if (runLength && counts) counts->incrementRun(runStart, runLength);
    if (odd)
        for (std::uint32_t i = 0; i < nr; ++i) {
            const BlockTime bt = BlockTime::unpack(node.valueU64(i));
            if (bt.dataBlock >= limit || bt.time > time_) {
                if (bt.dataBlock < limit && counts) counts->increment(bt.dataBlock);
                reportMapping(node, i, walker);
            }
        }
    walker.env().mappings.fetch_add(nr, std::memory_order_relaxed);
}

std::optional<std::string> validateSpaceMapBlock(const std::uint8_t* data, std::uint64_t block,
                                                 bool index) {
    const BlockType type = index ? BlockType::MetadataIndex : BlockType::Bitmap;
    const std::uint32_t stored = loadLe32(data);
    const std::uint32_t computed = computeChecksum(data, type);
    if (stored != computed) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s checksum mismatch: stored 0x%08x, computed 0x%08x",
                      blockTypeName(type), stored, computed);
        return std::string(buf);
    }
    if (loadLe64(data + 8) != block)
        return std::string(blockTypeName(type)) + " records block number " +
               std::to_string(loadLe64(data + 8)) + " but was read from block " +
               std::to_string(block);
    return std::nullopt;
}

void IndexHandler::leaf(const NodeView& node, TreeWalker& walker) {
    WalkEnv& env = walker.env();
    const std::uint32_t nr = node.nrEntries();
    for (std::uint32_t i = 0; i < nr; ++i) {
        const IndexEntry e = IndexEntry::decode(node.value(i));
        if (e.blocknr == 0) continue; // thin_check skips empty entries
        if (e.blocknr >= env.nrBlocks) {
            walker.report(Severity::Fatal, FindingCategory::SpaceMap, node.block,
                          "value[" + std::to_string(i) + "].blocknr",
                          "data space-map bitmap " + std::to_string(node.key(i)) + " is at block " +
                              std::to_string(e.blocknr) + ", beyond the end of the device");
            continue;
        }
        std::vector<std::uint8_t> copy;
        const std::uint8_t* data = env.source->mapped(e.blocknr);
        if (!data) {
            copy.resize(kBlockSize);
            if (!env.source->read(e.blocknr, copy.data())) {
                walker.report(Severity::Fatal, FindingCategory::SpaceMap, e.blocknr, "",
                              "cannot read data space-map bitmap");
                continue;
            }
            data = copy.data();
        }
        if (auto bad = validateSpaceMapBlock(data, e.blocknr, false)) {
            walker.report(Severity::Fatal, FindingCategory::SpaceMap, e.blocknr,
                          bad->find("checksum") != std::string::npos ? "csum" : "blocknr",
                          "data space-map bitmap " + std::to_string(node.key(i)) + ": " + *bad);
            continue;
        }
        env.bitmapsRead.fetch_add(1, std::memory_order_relaxed);
        env.metaCounts.increment(e.blocknr);
        const std::uint64_t key = node.key(i);
        if (key < expected_)
            entries.emplace_back(key, e);
        else
            walker.report(Severity::Warning, FindingCategory::SpaceMap, node.block, "keys",
                          "data space-map index has an entry for bitmap " + std::to_string(key) +
                              " but nr_blocks needs only " + std::to_string(expected_));
    }
}

} // namespace dms
