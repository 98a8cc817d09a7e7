#pragma once
// Writes dm-arrays (FORMAT.md §8) through a transaction: array blocks are new or shadowed
// blocks of the transaction manager, the spine is written by a BtreeWriter whose values are
// block references (so an array block's count is the number of spine slots holding it). Values
// are plain bytes: nothing they contain is reference-counted (true of cache mappings and hints,
// era eras and bitset words).

#include "core/array/ArrayBlock.h"
#include "core/btree/BtreeWriter.h"
#include "core/tx/TransactionManager.h"

#include <vector>

namespace dms {

class ArrayWriter {
public:
    ArrayWriter(TransactionManager& tm, std::uint32_t valueSize);

    std::uint32_t valueSize() const { return valueSize_; }
    std::uint32_t entriesPerBlock() const { return arrayMaxEntries(valueSize_); }

    // A new array of n values; fill(index, uint8_t* out) writes value `index` (valueSize bytes,
    // zeroed beforehand). Array blocks are filled in order, one at a time.
    template <class Fill> Expected<std::uint64_t> create(std::uint64_t n, Fill&& fill);

    // Overwrites value `index` of the array at root (shadowing its array block and the spine
    // path); returns the new root.
    Expected<std::uint64_t> set(std::uint64_t root, std::uint64_t index, const std::uint8_t* value);

    // Shadows array block `key` (and the spine path to it) and lets `edit` change its values in
    // place: edit(values, nrEntries), nrEntries capped at what fits the block. Many values of one
    // block cost one shadow. Returns the new root.
    Expected<std::uint64_t>
    updateBlock(std::uint64_t root, std::uint64_t key,
                const std::function<Status(std::uint8_t* values, std::uint32_t nrEntries)>& edit);

private:
    Expected<WriteBlock> newArrayBlock();
    // Puts a filled array block (nr_entries set here) under `key` of the spine.
    Expected<std::uint64_t> append(std::uint64_t root, std::uint64_t key, WriteBlock block,
                                   std::uint32_t count);

    TransactionManager& tm_;
    std::uint32_t valueSize_;
    BtreeWriter spine_;
};

template <class Fill> Expected<std::uint64_t> ArrayWriter::create(std::uint64_t n, Fill&& fill) {
    auto root = spine_.empty();
    if (!root) return root;
    const std::uint32_t per = entriesPerBlock();
    std::uint64_t r = *root;
    for (std::uint64_t first = 0, key = 0; first < n; first += per, ++key) {
        auto b = newArrayBlock();
        if (!b) return b.takeError();
        const std::uint32_t count =
            static_cast<std::uint32_t>(std::min<std::uint64_t>(per, n - first));
        std::uint8_t* v = b->data + kArrayBlockHeaderSize;
        for (std::uint32_t i = 0; i < count; ++i, v += valueSize_)
            fill(first + i, v);
        auto next = append(r, key, *b, count);
        if (!next) return next;
        r = *next;
    }
    return r;
}

// A dm-bitset (FORMAT.md §9) of nrBits bits from whole words (LSB first): an array of
// ceil(nrBits / 64) u64 words.
Expected<std::uint64_t> createBitset(TransactionManager& tm, std::uint64_t nrBits,
                                     const std::vector<std::uint64_t>& words);

} // namespace dms
