#include "core/bitset/BitsetReader.h"

namespace dms {

BitsetReader::BitsetReader(const BlockReader& reader, std::uint64_t root, std::uint64_t nrBits,
                           std::string name)
    : nrBits_(nrBits), array_(reader, root, wordsFor(nrBits), 8, std::move(name)) {}

Expected<std::vector<std::uint64_t>> BitsetReader::words() const {
    if (Status s = array_.plausible(); !s) return s.error();
    std::vector<std::uint64_t> out(array_.nrEntries(), 0);
    Status s =
        array_.forEachValue([&](std::uint64_t i, const std::uint8_t* v) { out[i] = loadLe64(v); });
    if (!s) return s.error();
    return out;
}

Expected<bool> BitsetReader::test(std::uint64_t bit) const {
    if (bit >= nrBits_)
        return makeError(ErrorKind::Usage, array_.name() + " bit " + std::to_string(bit) +
                                               " beyond nr_bits " + std::to_string(nrBits_));
    auto w = array_.get(bit / 64);
    if (!w) return w.takeError();
    return ((loadLe64(w->data()) >> (bit % 64)) & 1) != 0;
}

} // namespace dms
