#include "core/BlockReader.h"

namespace dms {

BlockReader::BlockReader(std::shared_ptr<const BlockSource> source) : source_(std::move(source)) {}

Expected<Block> BlockReader::raw(std::uint64_t number) const {
    if (number >= source_->blockCount())
        return makeError(ErrorKind::OutOfRange,
                         "block " + std::to_string(number) + " is beyond the end of the device (" +
                             std::to_string(source_->blockCount()) + " blocks)",
                         number);
    if (const std::uint8_t* p = source_->mapped(number)) return Block::borrowed(number, p);
    std::shared_ptr<std::uint8_t[]> buf(new std::uint8_t[kBlockSize]);
    if (Status s = source_->read(number, buf.get()); !s) return s.error();
    return Block::owned(number, std::move(buf));
}

Status BlockReader::validate(const Block& block, BlockType type) const {
    if (source_->verified(block.number())) return Status::success();
    return validateBlock(block, type);
}

Expected<Block> BlockReader::read(std::uint64_t number, BlockType type) const {
    auto block = raw(number);
    if (!block) return block;
    if (Status s = validate(*block, type); !s) return s.error();
    return block;
}

} // namespace dms
