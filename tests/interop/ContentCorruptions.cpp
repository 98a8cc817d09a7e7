// Corruptions of content: the blocks stay well-formed (resealed), the values are wrong.

#include "tests/interop/CorruptionContext.h"

namespace dms::test {

namespace {

// Superblock offsets (FORMAT.md §3, core/thin/ThinSuperblock.h).
constexpr std::size_t kSbTime = 44;
constexpr std::size_t kSbTransaction = 48;
constexpr std::size_t kSbDataNrBlocks = 64;
constexpr std::size_t kSbDataNrAllocated = 72;
constexpr std::size_t kSbMetaNrBlocks = 192;
constexpr std::size_t kSbDataBlockSize = 336;
constexpr std::size_t kSbMetadataNrBlocks = 344;
constexpr std::size_t kBitmapPayload = 16;

CorruptionResult bitmapEntry(CorruptionContext& c, const SpaceMapReader& sm, const char* kind) {
    PoolRandom& rng = c.rng();
    if (sm.nrBlocks() == 0) return {false, kind, "empty space map"};
    std::uint64_t b = rng.below(sm.nrBlocks());
    if (sm.kind() == SpaceMapKind::Data && rng.chance(60)) {
        // A block that is in use, so that the count changes rather than leaks.
        if (auto leaf = c.randomMappingLeaf())
            b = leaf->valueU64(std::uint32_t(rng.below(leaf->nrEntries()))) >> 24;
    } else if (sm.kind() == SpaceMapKind::Metadata && rng.chance(60)) {
        b = c.randomUsedBlock();
    }
    if (b >= sm.nrBlocks()) return {false, kind, "block beyond the space map"};
    const IndexEntry& entry = sm.indexEntries().at(b / kEntriesPerBitmap);
    BlockBytes bytes = c.copy(entry.blocknr);
    const std::uint64_t e = b % kEntriesPerBitmap;
    std::uint8_t& byte = bytes[kBitmapPayload + e / 4];
    const unsigned shift = 2 * unsigned(e % 4); // bit shift = value 2, bit shift+1 = value 1
    const unsigned old = ((byte >> shift) & 1u) * 2 + ((byte >> (shift + 1)) & 1u);
    const unsigned now = (old + 1 + unsigned(rng.below(3))) % 4;
    byte =
        std::uint8_t((byte & ~(3u << shift)) | ((now >> 1) << shift) | ((now & 1u) << (shift + 1)));
    return c.write(entry.blocknr, bytes, BlockType::Bitmap, kind,
                   std::string(spaceMapKindName(sm.kind())) + " bitmap block " +
                       num(entry.blocknr) + ": entry of block " + num(b) + " changed " + num(old) +
                       " -> " + num(now));
}

CorruptionResult mappingValue(CorruptionContext& c, bool changeTime) {
    const char* kind = changeTime ? "mapping-time" : "mapping-block";
    PoolRandom& rng = c.rng();
    auto leaf = c.randomMappingLeaf();
    if (!leaf) return {false, kind, "no mapping leaf"};
    const std::uint32_t i = std::uint32_t(rng.below(leaf->nrEntries()));
    const std::uint64_t value = leaf->valueU64(i);
    std::uint64_t data = value >> 24;
    std::uint64_t time = value & 0xFFFFFF;
    const std::uint32_t sbTime = c.sb().time;
    if (changeTime) {
        // Later than the pool time; at the 24-bit limit, any other time.
        time = sbTime < 0xFFFFFF ? std::min<std::uint64_t>(sbTime + rng.between(1, 100), 0xFFFFFF)
                                 : (time + 1) & 0xFFFFFF;
    } else {
        // Another block in range, or one beyond the data device.
        const std::uint64_t n = c.sb().dataSpaceMap.nrBlocks;
        data = n < 2 || rng.chance(25) ? n + rng.below(1000) : (data + 1 + rng.below(n - 1)) % n;
    }
    BlockBytes bytes = c.copy(leaf->number());
    storeLe64(bytes.data() + nodeValueOffset(leaf->maxEntries(), 8, i), (data << 24) | time);
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, kind,
                   "mapping leaf " + num(leaf->number()) + " key " + num(leaf->key(i)) +
                       ": value " + num(value >> 24) + "@" + num(value & 0xFFFFFF) + " -> " +
                       num(data) + "@" + num(time));
}

} // namespace

CorruptionResult corruptDataBitmapEntry(CorruptionContext& c) {
    return bitmapEntry(c, c.dataMap(), "data-bitmap");
}

CorruptionResult corruptMetadataBitmapEntry(CorruptionContext& c) {
    return bitmapEntry(c, c.metadataMap(), "metadata-bitmap");
}

CorruptionResult corruptMappingBlock(CorruptionContext& c) {
    return mappingValue(c, false);
}

CorruptionResult corruptMappingTime(CorruptionContext& c) {
    return mappingValue(c, true);
}

CorruptionResult corruptDeviceDetail(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    auto leaf = c.randomLeaf(c.sb().deviceDetailsRoot);
    if (!leaf) return {false, "device-detail", "no device"};
    const std::uint32_t i = std::uint32_t(rng.below(leaf->nrEntries()));
    BlockBytes bytes = c.copy(leaf->number());
    std::uint8_t* v = bytes.data() + nodeValueOffset(leaf->maxEntries(), 24, i);
    const std::uint32_t later = c.sb().time + 1 + std::uint32_t(rng.below(10));
    std::string what;
    switch (rng.below(4)) {
    case 0: {
        const std::uint64_t m = loadLe64(v);
        const std::uint64_t now = rng.chance(50) || m == 0 ? m + 1 : m - 1;
        storeLe64(v, now);
        what = "mapped_blocks " + num(m) + " -> " + num(now);
        break;
    }
    case 1:
        storeLe32(v + 16, later);
        what = "creation_time beyond the pool time " + num(c.sb().time);
        break;
    case 2:
        storeLe32(v + 20, later);
        what = "snap_time beyond the pool time " + num(c.sb().time);
        break;
    default:
        storeLe64(v + 8, c.sb().transactionId + 1 + rng.below(10));
        what = "transaction beyond the pool's";
        break;
    }
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, "device-detail",
                   "details leaf " + num(leaf->number()) + " device " + num(leaf->key(i)) + ": " +
                       what);
}

CorruptionResult corruptSuperblockField(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    const ThinSuperblock& sb = c.sb();
    BlockBytes bytes = c.copy(0);
    std::string what;
    switch (rng.below(8)) {
    case 0:
        storeLe32(bytes.data() + kSbDataBlockSize, rng.chance(50) ? 0 : 64);
        what = "data_block_size";
        break;
    case 1:
        storeLe64(bytes.data() + kSbMetadataNrBlocks, sb.metadataNrBlocks + rng.between(1, 5000));
        what = "metadata_nr_blocks beyond the device";
        break;
    case 2:
        storeLe64(bytes.data() + kSbMetadataNrBlocks,
                  sb.metadataNrBlocks > 1 ? rng.between(1, sb.metadataNrBlocks - 1) : 0);
        what = "metadata_nr_blocks smaller";
        break;
    case 3: {
        const std::uint64_t n = sb.dataSpaceMap.nrBlocks;
        storeLe64(bytes.data() + kSbDataNrBlocks, n > 1 ? rng.below(n) : n + 1);
        what = "data space map nr_blocks";
        break;
    }
    case 4:
        storeLe64(bytes.data() + kSbDataNrAllocated, sb.dataSpaceMap.nrAllocated + 1);
        what = "data space map nr_allocated (a hint)";
        break;
    case 5:
        storeLe64(bytes.data() + kSbMetaNrBlocks, sb.metadataSpaceMap.nrBlocks + kEntriesPerBitmap);
        what = "metadata space map nr_blocks";
        break;
    case 6:
        storeLe32(bytes.data() + kSbTime, 0);
        what = "pool time 0 (was " + num(sb.time) + ")";
        break;
    default:
        storeLe64(bytes.data() + kSbTransaction, sb.transactionId + 1);
        what = "transaction id + 1 (harmless)";
        break;
    }
    return c.write(0, bytes, BlockType::ThinSuperblock, "superblock-field", "superblock: " + what);
}

CorruptionResult corruptRefCount(CorruptionContext& c) {
    PoolRandom& rng = c.rng();
    auto leaf = c.randomLeaf(c.dataMap().root().refCountRoot);
    if (!leaf) return {false, "refcount", "no refcount tree entries"};
    const std::uint32_t i = std::uint32_t(rng.below(leaf->nrEntries()));
    BlockBytes bytes = c.copy(leaf->number());
    std::uint8_t* v = bytes.data() + nodeValueOffset(leaf->maxEntries(), 4, i);
    const std::uint32_t old = loadLe32(v);
    const std::uint32_t now = rng.chance(50) ? old + 1 : rng.below(3) == 0 ? 1 : old - 1;
    storeLe32(v, now);
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, "refcount",
                   "data refcount leaf " + num(leaf->number()) + " block " + num(leaf->key(i)) +
                       ": count " + num(old) + " -> " + num(now));
}

CorruptionResult corruptKeyOrder(CorruptionContext& c) {
    auto leaf = c.randomMappingLeaf();
    if (!leaf || leaf->nrEntries() < 2)
        return {false, "key-order", "no mapping leaf with two entries"};
    const std::uint32_t i = std::uint32_t(c.rng().below(leaf->nrEntries() - 1));
    BlockBytes bytes = c.copy(leaf->number());
    std::uint8_t* k = bytes.data() + kNodeHeaderSize + 8ull * i;
    const std::uint64_t a = loadLe64(k), b = loadLe64(k + 8);
    storeLe64(k, b);
    storeLe64(k + 8, a);
    return c.write(leaf->number(), bytes, BlockType::BtreeNode, "key-order",
                   "mapping leaf " + num(leaf->number()) + ": keys " + num(a) + " and " + num(b) +
                       " swapped");
}

CorruptionResult corruptZeroBlock(CorruptionContext& c) {
    const std::uint64_t b = c.randomUsedBlock();
    BlockBytes zero{};
    return c.write(b, zero, std::nullopt, "zero-block", "metadata block " + num(b) + " zeroed");
}

CorruptionResult corruptFlipBit(CorruptionContext& c) {
    const std::uint64_t b = c.randomUsedBlock();
    BlockBytes bytes = c.copy(b);
    const std::uint64_t bit = c.rng().below(kBlockSize * 8);
    bytes[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    return c.write(b, bytes, std::nullopt, "flip-bit",
                   "metadata block " + num(b) + ": bit " + num(bit) + " flipped");
}

} // namespace dms::test
