#pragma once
// What the counting pass does with leaf values: device details are collected, bottom-level
// roots collected (or descended), mappings counted against the data device, data space-map
// index entries resolved to (and validated as) their bitmaps.

#include "core/check/TreeWalker.h"
#include "core/spacemap/IndexEntry.h"
#include "core/thin/DeviceDetails.h"

#include <atomic>
#include <map>
#include <optional>
#include <vector>

namespace dms {

struct DetailsEntry {
    std::uint64_t id = 0;
    DeviceDetails details;
    std::uint64_t leafBlock = 0; // the details leaf holding it
};

class DetailsCollector final : public LeafHandler {
public:
    void leaf(const NodeView& node, TreeWalker& walker) override;
    std::vector<DetailsEntry> entries;
};

struct DeviceRoot {
    std::uint64_t id = 0;
    std::uint64_t root = 0;
    std::vector<std::uint64_t> topPath; // top-level blocks down to the leaf holding the root
    std::uint64_t topLeaf = 0;
    std::uint32_t time = 0; // the superblock time of the tree (live or held)
    const TreeSpec* spec = nullptr;
};

// Data-block reference counting over the bottom-level leaves; shared by all walker threads.
struct DataCounter {
    RefCountArray* counts = nullptr; // null when the data device is too large to count
    std::uint64_t nrDataBlocks = 0;
    std::atomic<std::uint64_t> beyondDevice{0};
    std::atomic<std::uint64_t> futureTime{0};
    static constexpr std::uint64_t kReportedPerKind = 20;
};

// Top-level leaves: records each device's bottom-level root and either descends at once
// (thin_check's order) or leaves the bottom-level trees to the parallel walk. Bottom-level
// leaves: counts every mapping's data block.
class MappingHandler final : public LeafHandler {
public:
    MappingHandler(DataCounter& data, std::uint32_t time, bool descendNow,
                   std::vector<DeviceRoot>* roots = nullptr, const TreeSpec* spec = nullptr)
        : data_(data), time_(time), descendNow_(descendNow), roots_(roots), spec_(spec) {}

    bool subRoot(std::uint64_t key, std::uint64_t root, TreeWalker& walker) override;
    void leaf(const NodeView& node, TreeWalker& walker) override;
    void setTime(std::uint32_t t) { time_ = t; }

private:
    void reportMapping(const NodeView& node, std::uint32_t i, TreeWalker& walker);

    DataCounter& data_;
    std::uint32_t time_;
    bool descendNow_;
    std::vector<DeviceRoot>* roots_;
    const TreeSpec* spec_;
};

// Data space-map index btree: validates and counts each bitmap an entry points to.
class IndexHandler final : public LeafHandler {
public:
    explicit IndexHandler(std::uint64_t expectedEntries) : expected_(expectedEntries) {}
    void leaf(const NodeView& node, TreeWalker& walker) override;
    std::vector<std::pair<std::uint64_t, IndexEntry>> entries; // bitmap index -> entry

private:
    std::uint64_t expected_;
};

// Checksum (xor 240779 for bitmaps, 160478 for the index) and self block number; empty when
// valid.
std::optional<std::string> validateSpaceMapBlock(const std::uint8_t* data, std::uint64_t block,
                                                 bool index);

} // namespace dms
