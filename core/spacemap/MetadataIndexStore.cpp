#include "core/spacemap/MetadataIndexStore.h"

#include <cstring>

namespace dms {

Expected<std::unique_ptr<MetadataIndexStore>> MetadataIndexStore::create(TransactionManager& tm) {
    auto b = tm.newBlock(BlockType::MetadataIndex);
    if (!b) return b.takeError();
    return std::unique_ptr<MetadataIndexStore>(new MetadataIndexStore(tm, b->number));
}

Expected<std::unique_ptr<MetadataIndexStore>> MetadataIndexStore::open(TransactionManager& tm,
                                                                       std::uint64_t root) {
    auto block = tm.read(root, BlockType::MetadataIndex);
    if (!block) return block.takeError();
    std::unique_ptr<MetadataIndexStore> store(new MetadataIndexStore(tm, root));
    for (std::uint64_t i = 0; i < kMetadataIndexEntries; ++i)
        store->entries_[i] = IndexEntry::decode(block->data() + 16 + i * IndexEntry::kSize);
    return store;
}

Expected<IndexEntry> MetadataIndexStore::load(std::uint64_t index) {
    if (index >= kMetadataIndexEntries)
        return makeError(ErrorKind::OutOfRange,
                         "metadata index entry " + std::to_string(index) + " beyond 255", root_);
    return entries_[index];
}

Status MetadataIndexStore::save(std::uint64_t index, const IndexEntry& entry) {
    if (index >= kMetadataIndexEntries)
        return makeError(ErrorKind::OutOfRange,
                         "metadata index entry " + std::to_string(index) + " beyond 255", root_);
    entries_[index] = entry;
    return Status::success();
}

Status MetadataIndexStore::commit() {
    auto shadow = tm_->shadow(root_, BlockType::MetadataIndex);
    if (!shadow) return shadow.error();
    std::uint8_t* p = shadow->block.data;
    std::memset(p + 4, 0, 4);
    for (std::uint64_t i = 0; i < kMetadataIndexEntries; ++i)
        entries_[i].encode(p + 16 + i * IndexEntry::kSize);
    root_ = shadow->block.number;
    return Status::success();
}

std::unique_ptr<IndexStore> MetadataIndexStore::clone() const {
    return std::unique_ptr<IndexStore>(new MetadataIndexStore(*this));
}

} // namespace dms
