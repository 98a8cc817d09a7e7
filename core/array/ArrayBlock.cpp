#include "core/array/ArrayBlock.h"

namespace dms {

Expected<ArrayBlock> ArrayBlock::read(const BlockReader& reader, std::uint64_t number,
                                      std::uint32_t expectedValueSize) {
    auto b = reader.read(number, BlockType::ArrayBlock);
    if (!b) return b.takeError();
    return fromBlock(*b, expectedValueSize);
}

Expected<ArrayBlock> ArrayBlock::fromBlock(const Block& block, std::uint32_t expectedValueSize) {
    const std::uint32_t vs = block.u32(12);
    const std::uint32_t max = block.u32(4);
    const std::uint32_t nr = block.u32(8);
    const std::uint64_t b = block.number();
    if (vs == 0 || (expectedValueSize && vs != expectedValueSize))
        return makeError(ErrorKind::Corrupt,
                         "array block value_size " + std::to_string(vs) +
                             (expectedValueSize ? ", expected " + std::to_string(expectedValueSize)
                                                : std::string(" is impossible")),
                         b, "value_size");
    if (max == 0 || std::uint64_t(max) * vs > kBlockSize - kArrayBlockHeaderSize)
        return makeError(ErrorKind::Corrupt,
                         "array block max_entries " + std::to_string(max) + " of " +
                             std::to_string(vs) + "-byte values does not fit a block (at most " +
                             std::to_string(arrayMaxEntries(vs)) + ")",
                         b, "max_entries");
    if (nr > max)
        return makeError(ErrorKind::Corrupt,
                         "array block nr_entries " + std::to_string(nr) + " > max_entries " +
                             std::to_string(max),
                         b, "nr_entries");
    return ArrayBlock(block);
}

void initArrayBlock(std::uint8_t* data, std::uint32_t valueSize) {
    storeLe32(data + 4, arrayMaxEntries(valueSize));
    storeLe32(data + 8, 0);
    storeLe32(data + 12, valueSize);
}

} // namespace dms
