#include "tests/interop/PoolCorruptor.h"

#include "core/FileBlockSource.h"
#include "core/btree/BtreeNode.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinSuperblock.h"

#include <array>
#include <fcntl.h>
#include <optional>
#include <unistd.h>

namespace dms::test {

namespace {

using Bytes = std::array<std::uint8_t, kBlockSize>;

// Superblock offsets (FORMAT.md §3, core/thin/ThinSuperblock.h).
constexpr std::size_t kSbTime = 44;
constexpr std::size_t kSbTransaction = 48;
constexpr std::size_t kSbDataNrBlocks = 64;
constexpr std::size_t kSbDataNrAllocated = 72;
constexpr std::size_t kSbMetaNrBlocks = 192;
constexpr std::size_t kSbDataBlockSize = 336;
constexpr std::size_t kSbMetadataNrBlocks = 344;
constexpr std::size_t kBitmapPayload = 16;

std::string num(std::uint64_t v) {
    return std::to_string(v);
}

class Corruptor {
public:
    Corruptor(std::shared_ptr<FileBlockSource> source, std::string path, PoolRandom& rng)
        : source_(std::move(source)), reader_(source_), path_(std::move(path)), rng_(rng) {}

    CorruptionResult run();

private:
    Bytes copy(std::uint64_t block) const;
    CorruptionResult write(std::uint64_t block, Bytes& bytes, std::optional<BlockType> seal,
                           std::string description);
    // A random leaf below `root`, descending through random children.
    std::optional<BtreeNode> randomLeaf(std::uint64_t root) const;
    std::optional<BtreeNode> randomMappingLeaf() const;
    std::vector<std::uint64_t> allocatedMetadataBlocks(const SpaceMapReader& meta) const;

    CorruptionResult bitmapEntry(const SpaceMapReader& sm);
    CorruptionResult mappingValue(bool changeTime);
    CorruptionResult deviceDetail();
    CorruptionResult superblockField();
    CorruptionResult refCount(const SpaceMapReader& data);
    CorruptionResult keyOrder();

    std::shared_ptr<FileBlockSource> source_;
    BlockReader reader_;
    std::string path_;
    PoolRandom& rng_;
    ThinSuperblock sb_;
};

Bytes Corruptor::copy(std::uint64_t block) const {
    Bytes b{};
    if (!source_->read(block, b.data())) b.fill(0);
    return b;
}

CorruptionResult Corruptor::write(std::uint64_t block, Bytes& bytes, std::optional<BlockType> seal,
                                  std::string description) {
    if (seal) sealBlock(bytes.data(), block, *seal);
    const int fd = ::open(path_.c_str(), O_WRONLY);
    if (fd < 0) return {false, "cannot open " + path_ + " for writing"};
    const auto n = ::pwrite(fd, bytes.data(), bytes.size(), off_t(block * kBlockSize));
    ::close(fd);
    if (n != ssize_t(bytes.size())) return {false, "cannot write block " + num(block)};
    return {true, description + (seal ? " (resealed)" : " (checksum left stale)")};
}

std::optional<BtreeNode> Corruptor::randomLeaf(std::uint64_t root) const {
    std::uint64_t at = root;
    for (int depth = 0; depth < 16; ++depth) {
        auto node = BtreeNode::read(reader_, at, 0);
        if (!node || node->nrEntries() == 0) return std::nullopt;
        if (node->isLeaf()) return *node;
        at = node->valueU64(std::uint32_t(rng_.below(node->nrEntries())));
    }
    return std::nullopt;
}

std::optional<BtreeNode> Corruptor::randomMappingLeaf() const {
    auto top = randomLeaf(sb_.dataMappingRoot);
    if (!top) return std::nullopt;
    return randomLeaf(top->valueU64(std::uint32_t(rng_.below(top->nrEntries()))));
}

std::vector<std::uint64_t> Corruptor::allocatedMetadataBlocks(const SpaceMapReader& meta) const {
    std::vector<std::uint64_t> used;
    (void)meta.forEachRun([&](std::uint64_t b, std::uint64_t e, std::uint32_t count) {
        for (std::uint64_t x = b; count > 0 && x < e; ++x)
            used.push_back(x);
    });
    return used;
}

CorruptionResult Corruptor::bitmapEntry(const SpaceMapReader& sm) {
    if (sm.nrBlocks() == 0) return {false, "empty space map"};
    std::uint64_t b = rng_.below(sm.nrBlocks());
    if (sm.kind() == SpaceMapKind::Data && rng_.chance(60)) {
        // A block that is in use, so that the count changes rather than leaks.
        if (auto leaf = randomMappingLeaf())
            b = leaf->valueU64(std::uint32_t(rng_.below(leaf->nrEntries()))) >> 24;
    }
    const IndexEntry& entry = sm.indexEntries().at(b / kEntriesPerBitmap);
    Bytes bytes = copy(entry.blocknr);
    const std::uint64_t e = b % kEntriesPerBitmap;
    std::uint8_t& byte = bytes[kBitmapPayload + e / 4];
    const unsigned shift = 2 * unsigned(e % 4); // bit shift = value 2, bit shift+1 = value 1
    const unsigned old = ((byte >> shift) & 1u) * 2 + ((byte >> (shift + 1)) & 1u);
    const unsigned now = (old + 1 + unsigned(rng_.below(3))) % 4;
    byte =
        std::uint8_t((byte & ~(3u << shift)) | ((now >> 1) << shift) | ((now & 1u) << (shift + 1)));
    return write(entry.blocknr, bytes, BlockType::Bitmap,
                 std::string(spaceMapKindName(sm.kind())) + " bitmap block " + num(entry.blocknr) +
                     ": entry of block " + num(b) + " changed " + num(old) + " -> " + num(now));
}

CorruptionResult Corruptor::mappingValue(bool changeTime) {
    auto leaf = randomMappingLeaf();
    if (!leaf) return {false, "no mapping leaf"};
    const std::uint32_t i = std::uint32_t(rng_.below(leaf->nrEntries()));
    const std::uint64_t value = leaf->valueU64(i);
    std::uint64_t data = value >> 24;
    std::uint64_t time = value & 0xFFFFFF;
    if (changeTime) {
        // Later than the pool time; at the 24-bit limit, any other time.
        time = sb_.time < 0xFFFFFF
                   ? std::min<std::uint64_t>(sb_.time + rng_.between(1, 100), 0xFFFFFF)
                   : (time + 1) & 0xFFFFFF;
    } else {
        // Another block in range, or one beyond the data device.
        const std::uint64_t n = sb_.dataSpaceMap.nrBlocks;
        data = n < 2 || rng_.chance(25) ? n + rng_.below(1000) : (data + 1 + rng_.below(n - 1)) % n;
    }
    Bytes bytes = copy(leaf->number());
    const std::size_t off = kNodeHeaderSize + 8ull * leaf->maxEntries() + 8ull * i;
    storeLe64(bytes.data() + off, (data << 24) | time);
    return write(leaf->number(), bytes, BlockType::BtreeNode,
                 "mapping leaf " + num(leaf->number()) + " key " + num(leaf->key(i)) + ": value " +
                     num(value >> 24) + "@" + num(value & 0xFFFFFF) + " -> " + num(data) + "@" +
                     num(time));
}

CorruptionResult Corruptor::deviceDetail() {
    auto leaf = randomLeaf(sb_.deviceDetailsRoot);
    if (!leaf) return {false, "no device"};
    const std::uint32_t i = std::uint32_t(rng_.below(leaf->nrEntries()));
    Bytes bytes = copy(leaf->number());
    std::uint8_t* v = bytes.data() + kNodeHeaderSize + 8ull * leaf->maxEntries() + 24ull * i;
    std::string what;
    switch (rng_.below(3)) {
    case 0: {
        const std::uint64_t m = loadLe64(v);
        const std::uint64_t now = rng_.chance(50) || m == 0 ? m + 1 : m - 1;
        storeLe64(v, now);
        what = "mapped_blocks " + num(m) + " -> " + num(now);
        break;
    }
    case 1:
        storeLe32(v + 16, sb_.time + 1 + std::uint32_t(rng_.below(10)));
        what = "creation_time beyond the pool time " + num(sb_.time);
        break;
    default:
        storeLe32(v + 20, sb_.time + 1 + std::uint32_t(rng_.below(10)));
        what = "snap_time beyond the pool time " + num(sb_.time);
        break;
    }
    return write(leaf->number(), bytes, BlockType::BtreeNode,
                 "details leaf " + num(leaf->number()) + " device " + num(leaf->key(i)) + ": " +
                     what);
}

CorruptionResult Corruptor::superblockField() {
    Bytes bytes = copy(0);
    std::string what;
    switch (rng_.below(7)) {
    case 0:
        storeLe32(bytes.data() + kSbDataBlockSize, rng_.chance(50) ? 0 : 64);
        what = "data_block_size";
        break;
    case 1:
        storeLe64(bytes.data() + kSbMetadataNrBlocks, sb_.metadataNrBlocks + rng_.between(1, 5000));
        what = "metadata_nr_blocks beyond the device";
        break;
    case 2: {
        const std::uint64_t n = sb_.dataSpaceMap.nrBlocks;
        storeLe64(bytes.data() + kSbDataNrBlocks, n > 1 ? rng_.below(n) : n + 1);
        what = "data space map nr_blocks";
        break;
    }
    case 3:
        storeLe64(bytes.data() + kSbDataNrAllocated, sb_.dataSpaceMap.nrAllocated + 1);
        what = "data space map nr_allocated (a hint)";
        break;
    case 4:
        storeLe64(bytes.data() + kSbMetaNrBlocks,
                  sb_.metadataSpaceMap.nrBlocks + kEntriesPerBitmap);
        what = "metadata space map nr_blocks";
        break;
    case 5:
        storeLe32(bytes.data() + kSbTime, 0);
        what = "pool time 0 (was " + num(sb_.time) + ")";
        break;
    default:
        storeLe64(bytes.data() + kSbTransaction, sb_.transactionId + 1);
        what = "transaction id + 1 (harmless)";
        break;
    }
    return write(0, bytes, BlockType::ThinSuperblock, "superblock: " + what);
}

CorruptionResult Corruptor::refCount(const SpaceMapReader& data) {
    auto entries = data.refCountEntries();
    if (!entries || entries->empty()) return {false, "no refcount tree entries"};
    auto leaf = randomLeaf(data.root().refCountRoot);
    if (!leaf) return {false, "refcount tree unreadable"};
    const std::uint32_t i = std::uint32_t(rng_.below(leaf->nrEntries()));
    Bytes bytes = copy(leaf->number());
    std::uint8_t* v = bytes.data() + kNodeHeaderSize + 8ull * leaf->maxEntries() + 4ull * i;
    const std::uint32_t old = loadLe32(v);
    const std::uint32_t now = rng_.chance(50) ? old + 1 : rng_.below(3) == 0 ? 1 : old - 1;
    storeLe32(v, now);
    return write(leaf->number(), bytes, BlockType::BtreeNode,
                 "data refcount leaf " + num(leaf->number()) + " block " + num(leaf->key(i)) +
                     ": count " + num(old) + " -> " + num(now));
}

CorruptionResult Corruptor::keyOrder() {
    auto leaf = randomMappingLeaf();
    if (!leaf || leaf->nrEntries() < 2) return {false, "no mapping leaf with two entries"};
    const std::uint32_t i = std::uint32_t(rng_.below(leaf->nrEntries() - 1));
    Bytes bytes = copy(leaf->number());
    std::uint8_t* k = bytes.data() + kNodeHeaderSize + 8ull * i;
    const std::uint64_t a = loadLe64(k), b = loadLe64(k + 8);
    storeLe64(k, b);
    storeLe64(k + 8, a);
    return write(leaf->number(), bytes, BlockType::BtreeNode,
                 "mapping leaf " + num(leaf->number()) + ": keys " + num(a) + " and " + num(b) +
                     " swapped");
}

CorruptionResult Corruptor::run() {
    auto sb = ThinSuperblock::read(reader_);
    if (!sb) return {false, "unreadable superblock: " + sb.error().describe()};
    sb_ = *sb;
    auto meta = SpaceMapReader::open(reader_, sb_.metadataSpaceMap, SpaceMapKind::Metadata);
    auto data = SpaceMapReader::open(reader_, sb_.dataSpaceMap, SpaceMapKind::Data);
    if (!meta || !data) return {false, "unreadable space maps"};
    const std::vector<std::uint64_t> used = allocatedMetadataBlocks(*meta);

    for (int attempt = 0; attempt < 20; ++attempt) {
        CorruptionResult r;
        switch (rng_.below(11)) {
        case 0:
        case 1:
            r = bitmapEntry(*data);
            break;
        case 2:
            r = bitmapEntry(*meta);
            break;
        case 3: {
            const std::uint64_t b = used.empty() ? 0 : used[rng_.below(used.size())];
            Bytes zero{};
            r = write(b, zero, std::nullopt, "metadata block " + num(b) + " zeroed");
            break;
        }
        case 4: {
            const std::uint64_t b = used.empty() ? 0 : used[rng_.below(used.size())];
            Bytes bytes = copy(b);
            const std::uint64_t bit = rng_.below(kBlockSize * 8);
            bytes[bit / 8] ^= std::uint8_t(1u << (bit % 8));
            r = write(b, bytes, std::nullopt,
                      "metadata block " + num(b) + ": bit " + num(bit) + " flipped");
            break;
        }
        case 5:
            r = mappingValue(false);
            break;
        case 6:
            r = mappingValue(true);
            break;
        case 7:
            r = deviceDetail();
            break;
        case 8:
            r = superblockField();
            break;
        case 9:
            r = refCount(*data);
            break;
        default:
            r = keyOrder();
            break;
        }
        if (r.applied) return r;
    }
    return {false, "no applicable corruption found"};
}

} // namespace

CorruptionResult corruptImage(const std::string& imagePath, PoolRandom& rng) {
    auto source = FileBlockSource::open(imagePath);
    if (!source) return {false, "cannot open " + imagePath + ": " + source.error().describe()};
    std::shared_ptr<FileBlockSource> shared(std::move(*source));
    return Corruptor(shared, imagePath, rng).run();
}

} // namespace dms::test
