#include "core/array/ArrayWriter.h"

namespace dms {

ArrayWriter::ArrayWriter(TransactionManager& tm, std::uint32_t valueSize)
    : tm_(tm), valueSize_(valueSize), spine_(tm, BtreeValueType::blockRef(tm)) {}

Expected<WriteBlock> ArrayWriter::newArrayBlock() {
    auto b = tm_.newBlock(BlockType::ArrayBlock);
    if (!b) return b;
    initArrayBlock(b->data, valueSize_);
    return b;
}

Expected<std::uint64_t> ArrayWriter::append(std::uint64_t root, std::uint64_t key, WriteBlock block,
                                            std::uint32_t count) {
    storeLe32(block.data + 8, count);
    std::uint8_t v[8];
    storeLe64(v, block.number);
    // The new block's one reference (from newBlock) passes to the spine slot.
    auto r = spine_.insert(root, key, v);
    if (!r) return r.takeError();
    return r->root;
}

Expected<std::uint64_t> ArrayWriter::set(std::uint64_t root, std::uint64_t index,
                                         const std::uint8_t* value) {
    const std::uint32_t per = entriesPerBlock();
    const std::uint32_t slot = static_cast<std::uint32_t>(index % per);
    return updateBlock(root, index / per, [&](std::uint8_t* values, std::uint32_t n) -> Status {
        if (slot >= n)
            return makeError(ErrorKind::Corrupt,
                             "array index " + std::to_string(index) + " beyond the block's " +
                                 std::to_string(n) + " entries",
                             std::nullopt, "nr_entries");
        std::copy(value, value + valueSize_, values + std::size_t(slot) * valueSize_);
        return Status::success();
    });
}

Expected<std::uint64_t> ArrayWriter::updateBlock(
    std::uint64_t root, std::uint64_t key,
    const std::function<Status(std::uint8_t* values, std::uint32_t nrEntries)>& edit) {
    auto r = spine_.update(root, key, [&](std::uint8_t* v) -> Status {
        auto shadow = tm_.shadow(loadLe64(v), BlockType::ArrayBlock);
        if (!shadow) return shadow.error();
        std::uint8_t* p = shadow->block.data;
        const std::uint32_t n = std::min(loadLe32(p + 8), entriesPerBlock());
        if (Status s = edit(p + kArrayBlockHeaderSize, n); !s) {
            Error e = s.error();
            if (!e.block) e.block = shadow->block.number;
            return e;
        }
        storeLe64(v, shadow->block.number);
        return Status::success();
    });
    if (!r) return r.takeError();
    if (!r->found)
        return makeError(ErrorKind::Corrupt,
                         "no array block " + std::to_string(key) + " in the spine", root, "keys");
    return r->root;
}

Expected<std::uint64_t> createBitset(TransactionManager& tm, std::uint64_t nrBits,
                                     const std::vector<std::uint64_t>& words) {
    ArrayWriter w(tm, 8);
    return w.create((nrBits + 63) / 64, [&](std::uint64_t i, std::uint8_t* out) {
        storeLe64(out, i < words.size() ? words[i] : 0);
    });
}

} // namespace dms
