#pragma once
// Reads a dm-array (FORMAT.md §8): a btree "spine" (u64 key = array-block index 0, 1, 2, ...,
// u64 value = block number of an array block) over array blocks that hold the values. Value i
// lives in array block i / max_entries, slot i % max_entries; every array block but the last
// is full.
//
// The walk checks every spine node as the 0.9.0 tools do (SimpleTreeWalk), each array block's
// checksum, self number and nr_entries, and that the array reaches its length; a lying
// max_entries or value_size field, a hole in the spine's keys (0, 1, 2, ...) or a partly full
// block before the last are warnings (the tools' verdicts ignore them).
// Errors name the block and field and the walk goes on, so one damaged block does not hide the
// rest. The tools' way of finding the array's end is kept, for their verdicts: the highest
// key * (the block's own max_entries field) + nr_entries - 1, in 32 bits. Values are handed
// out a whole array block at a time (no per-value indirect call).

#include "core/array/ArrayBlock.h"
#include "core/btree/BtreeNode.h"

#include <optional>
#include <string>
#include <vector>

namespace dms {

class ArrayVisitor {
public:
    virtual ~ArrayVisitor() = default;
    // Every spine node that read and passed its checks.
    virtual void spineNode(std::uint64_t /*block*/) {}
    // Every array block that passed its checks, in index order; its values are the indexes
    // firstIndex .. firstIndex + block.nrEntries() - 1 (trimmed to the array's length).
    virtual void arrayBlock(std::uint64_t firstIndex, const ArrayBlock& block,
                            std::uint32_t count) = 0;
    virtual void error(const Error&) {}
    // A header field that lies but does not stop the block from being read (max_entries,
    // value_size): the kernel and the 0.9.0 tools use the sizes the array implies.
    virtual void warning(const Error&) {}
    // Something the 0.9.0 tools reject although the array is sound (an empty array): checkers
    // follow the tools' verdict, readers go on.
    virtual void quirk(const Error&) {}
};

class ArrayReader {
public:
    // name: used in error paths, e.g. "mapping array".
    ArrayReader(const BlockReader& reader, std::uint64_t root, std::uint64_t nrEntries,
                std::uint32_t valueSize, std::string name);

    std::uint64_t root() const { return root_; }
    std::uint64_t nrEntries() const { return nrEntries_; }
    std::uint32_t valueSize() const { return valueSize_; }
    std::uint32_t entriesPerBlock() const { return arrayMaxEntries(valueSize_); }
    const std::string& name() const { return name_; }

    // An error when the array's length needs more array blocks than the device holds (a hostile
    // length must not become a huge allocation or walk).
    Status plausible() const;

    // Visits every array block in order; returns the number of errors reported.
    std::size_t walk(ArrayVisitor& visitor) const;

    // fn(index, const uint8_t* value) for every value in order; stops calling fn at the first
    // error and returns it.
    template <class Fn> Status forEachValue(Fn&& fn) const;

    // The value at index (a copy of valueSize() bytes).
    Expected<std::vector<std::uint8_t>> get(std::uint64_t index) const;

    // The value_size of the array's first array block, nullopt for an empty array (how the
    // hint width is found: cache_restore 0.9.0 leaves the superblock's field 0).
    static Expected<std::optional<std::uint32_t>> firstBlockValueSize(const BlockReader& reader,
                                                                      std::uint64_t root);

private:
    const BlockReader& reader_;
    std::uint64_t root_;
    std::uint64_t nrEntries_;
    std::uint32_t valueSize_;
    std::string name_;
};

namespace detail {
template <class Fn> class ValueVisitor final : public ArrayVisitor {
public:
    explicit ValueVisitor(Fn& fn) : fn_(fn) {}
    void arrayBlock(std::uint64_t first, const ArrayBlock& block, std::uint32_t count) override {
        if (failed_) return;
        const std::uint8_t* p = block.values();
        const std::uint32_t vs = block.valueSize();
        for (std::uint32_t i = 0; i < count; ++i, p += vs)
            fn_(first + i, p);
    }
    void error(const Error& e) override {
        if (!failed_) failed_ = e;
    }
    std::optional<Error> failed_;

private:
    Fn& fn_;
};
} // namespace detail

template <class Fn> Status ArrayReader::forEachValue(Fn&& fn) const {
    detail::ValueVisitor<std::remove_reference_t<Fn>> v(fn);
    walk(v);
    if (v.failed_) return *v.failed_;
    return Status::success();
}

} // namespace dms
