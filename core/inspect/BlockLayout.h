#pragma once
// Every decoded field of one 4 KiB metadata block, for the hex inspector: offset, size, the
// FORMAT.md name, a short meaning and the decoded value, grouped per array slot ("key[3]",
// "value[3]", "entry[7]"). Offsets are FORMAT.md's:
//
//   thin superblock (§3)   csum 0/4, flags 4/4, blocknr 8/8, uuid 16/16, magic 32/8, version 40/4,
//                          time 44/4, trans_id 48/8, held_root 56/8, data_space_map_root 64/128,
//                          metadata_space_map_root 192/128 (each: nr_blocks 0/8, nr_allocated 8/8,
//                          bitmap_root 16/8, ref_count_root 24/8, zero 32/96), data_mapping_root
//                          320/8, device_details_root 328/8, data_block_size 336/4,
//                          metadata_block_size 340/4, metadata_nr_blocks 344/8, compat_flags 352/4,
//                          compat_ro_flags 356/4, incompat_flags 360/4, zero 364/3732
//   btree node (§4)        csum 0/4, flags 4/4, blocknr 8/8, nr_entries 16/4, max_entries 20/4,
//                          value_size 24/4, padding 28/4, keys 32 + 8i, values 32 + 8*max + i*vs
//   bitmap (§5)            csum 0/4, not_used 4/4, blocknr 8/8, 2-bit entries from 16 (u64 words)
//   metadata index (§5)    csum 0/4, padding 4/4, blocknr 8/8, 255 entries from 16: blocknr 0/8,
//                          nr_free 8/4, none_free_before 12/4
//   array block (§8)       csum 0/4, max_entries 4/4, nr_entries 8/4, value_size 12/4, blocknr
//                          16/8, values from 24
//
// Qt-free, so the CLI can print the same table one day.

#include "core/BlockType.h"

#include <optional>
#include <string>
#include <vector>

namespace dms {

// What a btree node's values are; the value size alone cannot tell a mapping leaf (block_time)
// from a top-level leaf (bottom roots), so the caller passes what it knows.
enum class NodeValueKind {
    Unknown,      // decode by value_size (4 count, 16 index entry, 24 details, else raw)
    ChildPointer, // internal nodes
    BlockTime,    // bottom-level mapping leaves
    DeviceRoot,   // top-level mapping leaves
    DeviceDetails,
    RefCount,
    IndexEntry,
};

struct BlockField {
    enum class Part { Header, Key, Value, Payload, Unused };

    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::string name;    // as in FORMAT.md
    std::string meaning; // short
    std::string value;   // decoded
    std::string group;   // array slot, e.g. "value[3]"; empty for header fields
    Part part = Part::Header;
    int slot = -1; // array index of the group, -1 for none
};

class BlockLayout {
public:
    // Decodes `block` (4096 bytes) as `type`. Fields never reach past the block, even when the
    // header is hostile (nr_entries and max_entries are clamped to what fits).
    static BlockLayout describe(const std::uint8_t* block, BlockType type,
                                NodeValueKind values = NodeValueKind::Unknown);

    // The block type whose checksum matches (superblocks: and whose magic matches), if any.
    static std::optional<BlockType> detectType(const std::uint8_t* block);

    BlockType type() const { return type_; }
    const std::vector<BlockField>& fields() const { return fields_; }
    // Index in fields() of the field covering byte `offset`, or -1.
    int fieldAt(std::uint32_t offset) const;
    // The first field with this name (and group, if given), or nullptr.
    const BlockField* find(const std::string& name, const std::string& group = {}) const;

private:
    void add(std::uint32_t offset, std::uint32_t size, std::string name, std::string meaning,
             std::string value, BlockField::Part part = BlockField::Part::Header,
             std::string group = {}, int slot = -1);
    void describeSuperblock(const std::uint8_t* b);
    void describeSpaceMapRoot(const std::uint8_t* b, std::uint32_t at, const std::string& name);
    void describeNode(const std::uint8_t* b, NodeValueKind values);
    void describeNodeValue(const std::uint8_t* b, std::uint32_t at, std::uint32_t size,
                           NodeValueKind kind, int slot);
    void describeBitmap(const std::uint8_t* b);
    void describeIndex(const std::uint8_t* b);
    void describeArray(const std::uint8_t* b);
    void describeIndexEntry(const std::uint8_t* b, std::uint32_t at, const std::string& group,
                            int slot, BlockField::Part part);
    void addUnused(std::uint32_t from, std::uint32_t to, const std::string& name);
    void finish();

    BlockType type_ = BlockType::BtreeNode;
    std::vector<BlockField> fields_;
    std::vector<int> byteField_;          // field index per byte, -1 for none
    const std::uint8_t* bytes_ = nullptr; // the block, while describe() runs
};

} // namespace dms
