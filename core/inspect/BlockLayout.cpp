#include "core/inspect/BlockLayout.h"

#include "core/btree/BtreeNode.h"
#include "core/spacemap/BitmapBlock.h"

#include <algorithm>
#include <cstdio>

namespace dms {

namespace {

std::string hex(std::uint64_t v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

std::string dec(std::uint64_t v) {
    return std::to_string(v);
}

std::string bytesHex(const std::uint8_t* p, std::uint32_t n) {
    std::string s;
    const std::uint32_t shown = std::min<std::uint32_t>(n, 24);
    for (std::uint32_t i = 0; i < shown; ++i) {
        char buf[4];
        std::snprintf(buf, sizeof buf, i ? " %02x" : "%02x", p[i]);
        s += buf;
    }
    if (shown < n) s += " ...";
    return s;
}

std::string zeroOrNot(const std::uint8_t* p, std::uint32_t n) {
    const auto nonZero =
        static_cast<std::uint32_t>(std::count_if(p, p + n, [](auto c) { return c; }));
    return nonZero ? dec(nonZero) + " non-zero bytes" : "zero";
}

std::uint64_t loadLe(const std::uint8_t* p, std::uint32_t n) {
    std::uint64_t v = 0;
    for (std::uint32_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

// How many (key, value) slots of value size vs fit in a node, guarding against hostile headers.
std::uint32_t nodeCapacity(std::uint32_t vs) {
    if (vs == 0 || vs > kBlockSize) return 0;
    return static_cast<std::uint32_t>((kBlockSize - kNodeHeaderSize) / (8 + vs));
}

} // namespace

void BlockLayout::add(std::uint32_t offset, std::uint32_t size, std::string name,
                      std::string meaning, std::string value, BlockField::Part part,
                      std::string group, int slot) {
    if (size == 0 || offset >= kBlockSize) return;
    size = std::min<std::uint32_t>(size, static_cast<std::uint32_t>(kBlockSize) - offset);
    fields_.push_back({offset, size, std::move(name), std::move(meaning), std::move(value),
                       std::move(group), part, slot});
}

BlockLayout BlockLayout::describe(const std::uint8_t* block, BlockType type, NodeValueKind values) {
    BlockLayout l;
    l.type_ = type;
    l.bytes_ = block;
    l.add(0, 4, "csum", std::string("checksum, crc32c xor ") + dec(checksumXor(type)),
          hex(loadLe32(block), 8));
    switch (type) {
    case BlockType::ThinSuperblock:
        l.describeSuperblock(block);
        break;
    case BlockType::BtreeNode:
        l.describeNode(block, values);
        break;
    case BlockType::Bitmap:
        l.describeBitmap(block);
        break;
    case BlockType::MetadataIndex:
        l.describeIndex(block);
        break;
    case BlockType::ArrayBlock:
        l.describeArray(block);
        break;
    case BlockType::CacheSuperblock:
    case BlockType::EraSuperblock:
        // Only the common header for now; their tables are in FORMAT.md §10.
        l.add(4, 4, "flags", "superblock flags", dec(loadLe32(block + 4)));
        l.add(8, 8, "blocknr", "self block number", dec(loadLe64(block + 8)));
        l.add(32, 8, "magic", "superblock magic", dec(loadLe64(block + 32)));
        break;
    }
    l.finish();
    l.bytes_ = nullptr;
    return l;
}

void BlockLayout::describeSuperblock(const std::uint8_t* b) {
    const std::uint32_t flags = loadLe32(b + 4);
    add(4, 4, "flags", "bit 0 NEEDS_CHECK", dec(flags) + ((flags & 1) ? " (NEEDS_CHECK)" : ""));
    add(8, 8, "blocknr", "self block number (0; held copy: its location)", dec(loadLe64(b + 8)));
    add(16, 16, "uuid", "unused", zeroOrNot(b + 16, 16));
    const std::uint64_t magic = loadLe64(b + 32);
    add(32, 8, "magic", "27022010",
        dec(magic) + (magic == kThinSuperblockMagic ? "" : " (expected 27022010)"));
    add(40, 4, "version", "metadata format version (2)", dec(loadLe32(b + 40)));
    add(44, 4, "time", "snapshot epoch counter", dec(loadLe32(b + 44)));
    add(48, 8, "trans_id", "userspace transaction id", dec(loadLe64(b + 48)));
    const std::uint64_t held = loadLe64(b + 56);
    add(56, 8, "held_root", "metadata snapshot copy, 0 = none", held ? dec(held) : "0 (none)");
    describeSpaceMapRoot(b, 64, "data_space_map_root");
    describeSpaceMapRoot(b, 192, "metadata_space_map_root");
    add(320, 8, "data_mapping_root", "root of the two-level mapping btree", dec(loadLe64(b + 320)));
    add(328, 8, "device_details_root", "root of the device-details btree", dec(loadLe64(b + 328)));
    add(336, 4, "data_block_size", "data block size, sectors", dec(loadLe32(b + 336)));
    add(340, 4, "metadata_block_size", "metadata block size, sectors (8)", dec(loadLe32(b + 340)));
    add(344, 8, "metadata_nr_blocks", "metadata device size, 4 KiB blocks", dec(loadLe64(b + 344)));
    add(352, 4, "compat_flags", "compatible features (none)", dec(loadLe32(b + 352)));
    add(356, 4, "compat_ro_flags", "read-only compatible features", dec(loadLe32(b + 356)));
    add(360, 4, "incompat_flags", "incompatible features", dec(loadLe32(b + 360)));
    addUnused(364, kBlockSize, "-");
}

void BlockLayout::describeSpaceMapRoot(const std::uint8_t* b, std::uint32_t at,
                                       const std::string& name) {
    using P = BlockField::Part;
    add(at, 8, "nr_blocks", "blocks the space map covers", dec(loadLe64(b + at)), P::Header, name);
    add(at + 8, 8, "nr_allocated", "blocks with count > 0 (hint)", dec(loadLe64(b + at + 8)),
        P::Header, name);
    add(at + 16, 8, "bitmap_root",
        at == 64 ? "root of the index btree" : "the metadata index block",
        dec(loadLe64(b + at + 16)), P::Header, name);
    add(at + 24, 8, "ref_count_root", "root of the refcount btree", dec(loadLe64(b + at + 24)),
        P::Header, name);
    add(at + 32, 96, "-", "zero", zeroOrNot(b + at + 32, 96), P::Unused, name);
}

void BlockLayout::describeNode(const std::uint8_t* b, NodeValueKind values) {
    const std::uint32_t flags = loadLe32(b + 4);
    const char* kind = flags == kNodeInternal ? " (INTERNAL)"
                       : flags == kNodeLeaf   ? " (LEAF)"
                                              : " (invalid)";
    add(4, 4, "flags", "1 INTERNAL, 2 LEAF", dec(flags) + kind);
    add(8, 8, "blocknr", "self block number", dec(loadLe64(b + 8)));
    const std::uint32_t nrRaw = loadLe32(b + 16);
    const std::uint32_t maxRaw = loadLe32(b + 20);
    const std::uint32_t vs = loadLe32(b + 24);
    add(16, 4, "nr_entries", "keys/values in use", dec(nrRaw));
    add(20, 4, "max_entries", "capacity of the key and value arrays", dec(maxRaw));
    add(24, 4, "value_size", "bytes per value", dec(vs));
    add(28, 4, "padding", "0", dec(loadLe32(b + 28)));
    const std::uint32_t max = std::min(maxRaw, nodeCapacity(vs));
    const std::uint32_t nr = std::min(nrRaw, max);
    if (flags == kNodeInternal) values = NodeValueKind::ChildPointer;
    const std::uint32_t keys = kNodeHeaderSize;
    const std::uint32_t vals = keys + 8 * max;
    for (std::uint32_t i = 0; i < nr; ++i)
        add(keys + 8 * i, 8, "key", "key, ascending", dec(loadLe64(b + keys + 8 * i)),
            BlockField::Part::Key, "key[" + dec(i) + "]", static_cast<int>(i));
    addUnused(keys + 8 * nr, vals, "unused keys");
    for (std::uint32_t i = 0; i < nr; ++i)
        describeNodeValue(b, vals + i * vs, vs, values, static_cast<int>(i));
    addUnused(vals + nr * vs, vals + max * vs, "unused values");
    addUnused(vals + max * vs, kBlockSize, "-");
}

void BlockLayout::describeNodeValue(const std::uint8_t* b, std::uint32_t at, std::uint32_t size,
                                    NodeValueKind kind, int slot) {
    using P = BlockField::Part;
    const std::string g = "value[" + dec(static_cast<std::uint64_t>(slot)) + "]";
    if (kind == NodeValueKind::Unknown)
        kind = size == 4    ? NodeValueKind::RefCount
               : size == 16 ? NodeValueKind::IndexEntry
               : size == 24 ? NodeValueKind::DeviceDetails
                            : kind;
    const std::uint8_t* p = b + at;
    if (kind == NodeValueKind::ChildPointer && size == 8) {
        add(at, 8, "child", "child node block", dec(loadLe64(p)), P::Value, g, slot);
    } else if (kind == NodeValueKind::BlockTime && size == 8) {
        // value = data_block << 24 | time: time is the low three bytes, the block the high five.
        add(at, 3, "time", "pool time when provisioned", dec(loadLe(p, 3)), P::Value, g, slot);
        add(at + 3, 5, "data_block", "data block", dec(loadLe(p + 3, 5)), P::Value, g, slot);
    } else if (kind == NodeValueKind::DeviceRoot && size == 8) {
        add(at, 8, "root", "root of the device's mapping btree", dec(loadLe64(p)), P::Value, g,
            slot);
    } else if (kind == NodeValueKind::DeviceDetails && size == 24) {
        add(at, 8, "mapped_blocks", "mapped virtual blocks", dec(loadLe64(p)), P::Value, g, slot);
        add(at + 8, 8, "transaction_id", "trans_id at creation", dec(loadLe64(p + 8)), P::Value, g,
            slot);
        add(at + 16, 4, "creation_time", "pool time at creation", dec(loadLe32(p + 16)), P::Value,
            g, slot);
        add(at + 20, 4, "snapshotted_time", "pool time at last snapshot", dec(loadLe32(p + 20)),
            P::Value, g, slot);
    } else if (kind == NodeValueKind::RefCount && size == 4) {
        add(at, 4, "count", "reference count (> 2)", dec(loadLe32(p)), P::Value, g, slot);
    } else if (kind == NodeValueKind::IndexEntry && size == 16) {
        describeIndexEntry(b, at, g, slot, P::Value);
    } else if (size == 8) {
        add(at, 8, "value", "u64 value", dec(loadLe64(p)) + " (" + hex(loadLe64(p), 16) + ")",
            P::Value, g, slot);
    } else {
        add(at, size, "value", dec(size) + "-byte value", bytesHex(p, size), P::Value, g, slot);
    }
}

void BlockLayout::describeIndexEntry(const std::uint8_t* b, std::uint32_t at,
                                     const std::string& group, int slot, BlockField::Part part) {
    add(at, 8, "blocknr", "bitmap block", dec(loadLe64(b + at)), part, group, slot);
    add(at + 8, 4, "nr_free", "count-0 entries (hint)", dec(loadLe32(b + at + 8)), part, group,
        slot);
    add(at + 12, 4, "none_free_before", "no free entry below (hint)", dec(loadLe32(b + at + 12)),
        part, group, slot);
}

void BlockLayout::describeBitmap(const std::uint8_t* b) {
    add(4, 4, "not_used", "0", dec(loadLe32(b + 4)));
    add(8, 8, "blocknr", "self block number", dec(loadLe64(b + 8)));
    constexpr std::uint32_t words = (kBlockSize - kBitmapPayloadOffset) / 8;
    for (std::uint32_t w = 0; w < words; ++w) {
        std::string counts;
        counts.reserve(32);
        for (std::uint32_t e = 32 * w; e < 32 * w + 32; ++e)
            counts += static_cast<char>('0' + bitmapEntry(b, e));
        add(static_cast<std::uint32_t>(kBitmapPayloadOffset) + 8 * w, 8,
            "entries " + dec(32 * w) + ".." + dec(32 * w + 31),
            "2-bit counts, low entry first (3 = see refcount tree)", counts,
            BlockField::Part::Payload, "word[" + dec(w) + "]", static_cast<int>(w));
    }
}

void BlockLayout::describeIndex(const std::uint8_t* b) {
    add(4, 4, "padding", "0", dec(loadLe32(b + 4)));
    add(8, 8, "blocknr", "self block number", dec(loadLe64(b + 8)));
    // Entries past the last non-zero one describe no bitmap: shown as one zero run.
    std::uint32_t used = static_cast<std::uint32_t>(kMetadataIndexEntries);
    while (used > 0 && zeroOrNot(b + 16 + 16 * (used - 1), 16) == "zero")
        --used;
    for (std::uint32_t i = 0; i < used; ++i)
        describeIndexEntry(b, 16 + 16 * i, "entry[" + dec(i) + "]", static_cast<int>(i),
                           BlockField::Part::Value);
    if (used < kMetadataIndexEntries)
        add(16 + 16 * used, 16 * (static_cast<std::uint32_t>(kMetadataIndexEntries) - used),
            "entries " + dec(used) + "..254", "unused index entries", "zero",
            BlockField::Part::Unused);
}

void BlockLayout::describeArray(const std::uint8_t* b) {
    const std::uint32_t maxRaw = loadLe32(b + 4);
    const std::uint32_t nrRaw = loadLe32(b + 8);
    const std::uint32_t vs = loadLe32(b + 12);
    add(4, 4, "max_entries", "capacity", dec(maxRaw));
    add(8, 4, "nr_entries", "values in use", dec(nrRaw));
    add(12, 4, "value_size", "bytes per value", dec(vs));
    add(16, 8, "blocknr", "self block number", dec(loadLe64(b + 16)));
    constexpr std::uint32_t header = 24;
    const std::uint32_t fit =
        (vs == 0 || vs > kBlockSize) ? 0 : static_cast<std::uint32_t>((kBlockSize - header) / vs);
    const std::uint32_t nr = std::min({nrRaw, maxRaw, fit});
    for (std::uint32_t i = 0; i < nr; ++i) {
        const std::uint32_t at = header + i * vs;
        const std::string v = vs <= 8 ? dec(loadLe(b + at, vs)) : bytesHex(b + at, vs);
        add(at, vs, "value", "array element", v, BlockField::Part::Value, "value[" + dec(i) + "]",
            static_cast<int>(i));
    }
    addUnused(header + nr * vs, kBlockSize, "unused values");
}

void BlockLayout::addUnused(std::uint32_t from, std::uint32_t to, const std::string& name) {
    if (from >= to || from >= kBlockSize) return;
    to = std::min<std::uint32_t>(to, kBlockSize);
    // Stale slots are normal in kernel-written nodes (FORMAT.md §4); say what is there.
    add(from, to - from, name, name == "-" ? "zero" : "beyond nr_entries (stale bytes allowed)",
        zeroOrNot(bytes_ + from, to - from), BlockField::Part::Unused);
}

void BlockLayout::finish() {
    byteField_.assign(kBlockSize, -1);
    for (std::size_t i = 0; i < fields_.size(); ++i)
        for (std::uint32_t o = fields_[i].offset; o < fields_[i].offset + fields_[i].size; ++o)
            byteField_[o] = static_cast<int>(i);
}

int BlockLayout::fieldAt(std::uint32_t offset) const {
    return offset < byteField_.size() ? byteField_[offset] : -1;
}

const BlockField* BlockLayout::find(const std::string& name, const std::string& group) const {
    for (const BlockField& f : fields_)
        if (f.name == name && (group.empty() || f.group == group)) return &f;
    return nullptr;
}

std::optional<BlockType> BlockLayout::detectType(const std::uint8_t* block) {
    static constexpr BlockType kTypes[] = {
        BlockType::ThinSuperblock, BlockType::BtreeNode,  BlockType::Bitmap,
        BlockType::MetadataIndex,  BlockType::ArrayBlock, BlockType::CacheSuperblock,
        BlockType::EraSuperblock,
    };
    const std::uint32_t stored = storedChecksum(block);
    const std::uint32_t raw = computeChecksum(block, BlockType::BtreeNode) ^
                              checksumXor(BlockType::BtreeNode); // one CRC for all types
    for (BlockType t : kTypes) {
        if ((raw ^ checksumXor(t)) != stored) continue;
        const std::uint64_t magic = loadLe64(block + 32);
        if (t == BlockType::ThinSuperblock && magic != kThinSuperblockMagic) continue;
        if (t == BlockType::CacheSuperblock && magic != kCacheSuperblockMagic) continue;
        if (t == BlockType::EraSuperblock && magic != kEraSuperblockMagic) continue;
        return t;
    }
    return std::nullopt;
}

} // namespace dms
