#pragma once
// What a corruption needs to know about a restored image and how it changes a block: the
// superblock, both space maps, the allocated metadata blocks, random walks down the trees, and
// a block write that can reseal the checksum.

#include "tests/interop/PoolCorruptor.h"

#include "core/FileBlockSource.h"
#include "core/btree/BtreeNode.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinSuperblock.h"

#include <array>
#include <memory>
#include <optional>

namespace dms::test {

using BlockBytes = std::array<std::uint8_t, kBlockSize>;

inline std::string num(std::uint64_t v) {
    return std::to_string(v);
}

// Byte offset of value i in a node with the given max_entries and value size.
inline std::size_t nodeValueOffset(std::uint32_t maxEntries, std::uint32_t valueSize,
                                   std::uint32_t i) {
    return kNodeHeaderSize + 8ull * maxEntries + std::size_t(valueSize) * i;
}

class CorruptionContext {
public:
    // Null (and error set) when the image cannot be read. Not movable: the space-map readers
    // point at reader().
    static std::unique_ptr<CorruptionContext> open(const std::string& path, PoolRandom& rng,
                                                   std::string& error);
    CorruptionContext(const CorruptionContext&) = delete;
    CorruptionContext& operator=(const CorruptionContext&) = delete;

    PoolRandom& rng() { return *rng_; }
    const BlockReader& reader() const { return reader_; }
    const ThinSuperblock& sb() const { return sb_; }
    const SpaceMapReader& metadataMap() const { return *meta_; }
    const SpaceMapReader& dataMap() const { return *data_; }
    const std::vector<std::uint64_t>& usedBlocks() const { return used_; }
    std::uint64_t randomUsedBlock();

    BlockBytes copy(std::uint64_t block) const;
    // Writes the block (sealed as `seal` when given) and describes the change.
    CorruptionResult write(std::uint64_t block, BlockBytes& bytes, std::optional<BlockType> seal,
                           const std::string& kind, const std::string& description);

    // The nodes from `root` down to a leaf, through random children; empty if unreadable.
    std::vector<BtreeNode> randomPath(std::uint64_t root);
    std::optional<BtreeNode> randomLeaf(std::uint64_t root);
    // A random bottom-level root of the mapping tree.
    std::optional<std::uint64_t> randomDeviceRoot();
    std::optional<BtreeNode> randomMappingLeaf();

private:
    CorruptionContext(std::shared_ptr<FileBlockSource> source, std::string path, PoolRandom& rng)
        : source_(std::move(source)), reader_(source_), path_(std::move(path)), rng_(&rng) {}

    std::shared_ptr<FileBlockSource> source_;
    BlockReader reader_;
    std::string path_;
    PoolRandom* rng_;
    ThinSuperblock sb_;
    std::optional<SpaceMapReader> meta_;
    std::optional<SpaceMapReader> data_;
    std::vector<std::uint64_t> used_; // metadata blocks with a count > 0
};

// One kind of corruption; returns applied = false when the image has nothing to apply it to.
using CorruptionKind = CorruptionResult (*)(CorruptionContext&);

// Content: counts, mappings, details, superblock fields, key order (ContentCorruptions.cpp).
CorruptionResult corruptDataBitmapEntry(CorruptionContext& c);
CorruptionResult corruptMetadataBitmapEntry(CorruptionContext& c);
CorruptionResult corruptMappingBlock(CorruptionContext& c);
CorruptionResult corruptMappingTime(CorruptionContext& c);
CorruptionResult corruptDeviceDetail(CorruptionContext& c);
CorruptionResult corruptSuperblockField(CorruptionContext& c);
CorruptionResult corruptRefCount(CorruptionContext& c);
CorruptionResult corruptKeyOrder(CorruptionContext& c);
CorruptionResult corruptZeroBlock(CorruptionContext& c);
CorruptionResult corruptFlipBit(CorruptionContext& c);

// Structure: node headers, child pointers, shared trees, space-map pointers
// (StructureCorruptions.cpp).
CorruptionResult corruptNodeHeader(CorruptionContext& c);
CorruptionResult corruptChildPointer(CorruptionContext& c);
CorruptionResult corruptSharedDeviceTree(CorruptionContext& c);
CorruptionResult corruptDetailsKey(CorruptionContext& c);
CorruptionResult corruptIndexEntry(CorruptionContext& c);
CorruptionResult corruptHeldRoot(CorruptionContext& c);

} // namespace dms::test
