#include "core/array/ArrayBlock.h"

namespace dms {

Expected<ArrayBlock> ArrayBlock::read(const BlockReader& reader, std::uint64_t number,
                                      std::uint32_t valueSize) {
    auto b = reader.read(number, BlockType::ArrayBlock);
    if (!b) return b.takeError();
    return fromBlock(*b, valueSize);
}

Expected<ArrayBlock> ArrayBlock::fromBlock(const Block& block, std::uint32_t valueSize) {
    const std::uint32_t vs = valueSize ? valueSize : block.u32(12);
    const std::uint32_t nr = block.u32(8);
    const std::uint64_t b = block.number();
    if (vs == 0 || vs > kBlockSize - kArrayBlockHeaderSize)
        return makeError(ErrorKind::Corrupt,
                         "array block value_size " + std::to_string(vs) + " is impossible", b,
                         "value_size");
    (void)nr;
    (void)b;
    return ArrayBlock(block, vs);
}

std::optional<Error> ArrayBlock::fieldProblem() const {
    if (valueSizeField() != valueSize_)
        return makeError(ErrorKind::Corrupt,
                         "array block value_size " + std::to_string(valueSizeField()) +
                             ", expected " + std::to_string(valueSize_),
                         number(), "value_size");
    if (maxEntries() != arrayMaxEntries(valueSize_))
        return makeError(ErrorKind::Corrupt,
                         "array block max_entries " + std::to_string(maxEntries()) + ", expected " +
                             std::to_string(arrayMaxEntries(valueSize_)),
                         number(), "max_entries");
    if (nrEntries() > arrayMaxEntries(valueSize_))
        return makeError(ErrorKind::Corrupt,
                         "array block nr_entries " + std::to_string(nrEntries()) + " > the " +
                             std::to_string(arrayMaxEntries(valueSize_)) + " values of " +
                             std::to_string(valueSize_) + " bytes that fit a block",
                         number(), "nr_entries");
    if (nrEntries() > maxEntries())
        return makeError(ErrorKind::Corrupt,
                         "array block nr_entries " + std::to_string(nrEntries()) +
                             " > max_entries " + std::to_string(maxEntries()),
                         number(), "nr_entries");
    return std::nullopt;
}

void initArrayBlock(std::uint8_t* data, std::uint32_t valueSize) {
    storeLe32(data + 4, arrayMaxEntries(valueSize));
    storeLe32(data + 8, 0);
    storeLe32(data + 12, valueSize);
}

} // namespace dms
