#pragma once
// The result of classifying every block of a thin-pool metadata device (BlockClassifier): per
// block one role byte, the on-disk reference count and the number of pointers found (one byte
// each, larger values in side tables) and a 2-byte owner index, i.e. 5 bytes per block (21 MB for
// the largest device). Raw arrays are exposed for the GUI's block map.

#include "core/thin/BlockRole.h"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dms {

struct BlockOwner {
    enum class Kind { None, Device, Shared };
    Kind kind = Kind::None;
    std::uint64_t device = 0; // thin device id when kind is Device
};

class BlockMap {
public:
    // Byte encodings of the raw arrays.
    static constexpr std::uint8_t kCountInTable = 254; // count >= 254: see diskCount()
    static constexpr std::uint8_t kCountUnknown = 255; // the bitmap holding it is unreadable
    static constexpr std::uint8_t kRefsInTable = 255;  // >= 255 pointers: see references()
    static constexpr std::uint16_t kOwnerNone = 0;
    static constexpr std::uint16_t kOwnerShared = 0xFFFF;
    static constexpr std::uint16_t kOwnerUntabled = 0xFFFE; // more than 65533 owning devices

    BlockMap() = default;
    explicit BlockMap(std::uint64_t blocks);

    // Blocks of the device (all of them are classified).
    std::uint64_t size() const { return roles_.size(); }
    // nr_blocks of the metadata space map (blocks beyond it are BeyondSpaceMap unless referenced).
    std::uint64_t spaceMapBlocks() const { return spaceMapBlocks_; }

    BlockRole role(std::uint64_t b) const { return static_cast<BlockRole>(roles_[b]); }
    // The reference count the metadata space map stores, if its bitmap could be read.
    std::optional<std::uint32_t> diskCount(std::uint64_t b) const;
    // Distinct pointers to the block found by the walk (parent slots, superblock fields).
    std::uint32_t references(std::uint64_t b) const;
    BlockOwner owner(std::uint64_t b) const;
    // Why the block is Unreadable, else nullptr.
    const std::string* reason(std::uint64_t b) const;

    // Blocks per role.
    std::uint64_t total(BlockRole r) const { return totals_[static_cast<unsigned>(r)]; }
    // Blocks with count > 0 in the metadata space map (bitmaps and refcount tree).
    std::uint64_t allocated() const { return allocated_; }
    // Blocks whose on-disk count differs from the pointers found (leaked blocks included).
    std::uint64_t countMismatches() const { return mismatches_; }
    // Errors not tied to one classified block (pointers out of range, cycles, unreadable space-map
    // roots), capped at kMaxProblems; problemCount() has them all.
    const std::vector<std::string>& problems() const { return problems_; }
    std::uint64_t problemCount() const { return problemCount_; }
    static constexpr std::size_t kMaxProblems = 1000;

    // Raw per-block arrays (encodings above) and the owner index -> device id table.
    const std::vector<std::uint8_t>& roleBytes() const { return roles_; }
    const std::vector<std::uint8_t>& countBytes() const { return counts_; }
    const std::vector<std::uint16_t>& ownerIndexes() const { return owners_; }
    const std::vector<std::uint64_t>& ownerDevices() const { return ownerIds_; }

private:
    friend class BlockClassifier;
    friend class ClassifyVisitor;
    friend class SyntheticBlockMap; // benchmarks and tests: maps of any size

    void setCount(std::uint64_t b, std::uint32_t count);
    void addReference(std::uint64_t b);
    // Merges a device into the block's owner; true when it became shared by this call.
    bool addOwner(std::uint64_t b, std::uint16_t ownerIndex);
    std::uint16_t ownerIndexFor(std::uint64_t device);
    void markUnreadable(std::uint64_t b, std::string why);
    void addProblem(std::string what);
    void finish();

    std::vector<std::uint8_t> roles_;
    std::vector<std::uint8_t> counts_;
    std::vector<std::uint8_t> refs_;
    std::vector<std::uint16_t> owners_;
    std::vector<std::uint64_t> ownerIds_;
    std::unordered_map<std::uint64_t, std::uint16_t> ownerIndex_;
    std::unordered_map<std::uint64_t, std::uint32_t> bigCounts_;
    std::unordered_map<std::uint64_t, std::uint32_t> bigRefs_;
    std::unordered_map<std::uint64_t, std::string> reasons_;
    std::vector<std::string> problems_;
    std::uint64_t problemCount_ = 0;
    std::array<std::uint64_t, kBlockRoleCount> totals_{};
    std::uint64_t spaceMapBlocks_ = 0;
    std::uint64_t allocated_ = 0;
    std::uint64_t mismatches_ = 0;
};

} // namespace dms
