#pragma once
// Reads a dm-bitset (FORMAT.md §9): a dm-array of u64 words, ceil(nr_bits / 64) of them (509
// per array block). Bit i is bit i % 64 (LSB first) of word i / 64. An empty bitset is an
// array whose spine is an empty leaf.

#include "core/array/ArrayReader.h"

namespace dms {

class BitsetReader {
public:
    BitsetReader(const BlockReader& reader, std::uint64_t root, std::uint64_t nrBits,
                 std::string name);

    std::uint64_t nrBits() const { return nrBits_; }
    const ArrayReader& array() const { return array_; }

    // Every word, in order (bits beyond nr_bits in the last word are left as on disk). Stops at
    // the first error.
    Expected<std::vector<std::uint64_t>> words() const;
    // One bit.
    Expected<bool> test(std::uint64_t bit) const;

    static bool testIn(const std::vector<std::uint64_t>& words, std::uint64_t bit) {
        return (words[bit / 64] >> (bit % 64)) & 1;
    }
    static constexpr std::uint64_t wordsFor(std::uint64_t nrBits) { return (nrBits + 63) / 64; }

private:
    std::uint64_t nrBits_;
    ArrayReader array_;
};

} // namespace dms
