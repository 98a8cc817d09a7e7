#include "core/cache/CacheEditor.h"

#include "core/array/ArrayReader.h"
#include "core/array/ArrayWriter.h"

namespace dms {

Expected<std::unique_ptr<CacheEditor>> CacheEditor::open(std::shared_ptr<BlockSource> device,
                                                         CacheEditorOptions options) {
    std::unique_ptr<CacheEditor> ed(new CacheEditor);
    auto tx = SpaceMapTransaction::open(std::move(device), options, ed->sb_);
    if (!tx) return tx.error();
    ed->tx_ = std::move(*tx);
    return ed;
}

Expected<std::uint64_t> CacheEditor::mapping(std::uint64_t cblock) const {
    auto v = ArrayReader(tx_->tm().reader(), sb_.mappingRoot, sb_.cacheBlocks, 8, "mapping array")
                 .get(cblock);
    if (!v) return v.error();
    return loadLe64(v->data());
}

Expected<bool> CacheEditor::dirty(std::uint64_t cblock) const {
    auto m = mapping(cblock);
    if (!m) return m.error();
    if (sb_.version < 2) return (*m & CacheSuperblock::kMappingDirty) != 0;
    auto w = ArrayReader(tx_->tm().reader(), sb_.dirtyRoot,
                         (std::uint64_t(sb_.cacheBlocks) + 63) / 64, 8, "dirty bitset")
                 .get(cblock / 64);
    if (!w) return w.error();
    return ((loadLe64(w->data()) >> (cblock % 64)) & 1) != 0;
}

Status CacheEditor::setMapping(std::uint64_t cblock, std::uint64_t value) {
    std::uint8_t v[8];
    storeLe64(v, value);
    auto root = ArrayWriter(tx_->tm(), 8).set(sb_.mappingRoot, cblock, v);
    if (!root) return root.error();
    sb_.mappingRoot = *root;
    return Status::success();
}

Status CacheEditor::setDirty(std::uint64_t cblock, bool on) {
    auto m = mapping(cblock);
    if (!m) return m.error();
    if (!(*m & CacheSuperblock::kMappingValid))
        return makeError(ErrorKind::Usage,
                         "cache block " + std::to_string(cblock) + " maps nothing");
    if (sb_.version < 2)
        return setMapping(cblock, on ? (*m | CacheSuperblock::kMappingDirty)
                                     : (*m & ~CacheSuperblock::kMappingDirty));
    const std::uint64_t words = (std::uint64_t(sb_.cacheBlocks) + 63) / 64;
    auto w =
        ArrayReader(tx_->tm().reader(), sb_.dirtyRoot, words, 8, "dirty bitset").get(cblock / 64);
    if (!w) return w.error();
    std::uint64_t word = loadLe64(w->data());
    const std::uint64_t bit = std::uint64_t(1) << (cblock % 64);
    word = on ? (word | bit) : (word & ~bit);
    std::uint8_t v[8];
    storeLe64(v, word);
    auto root = ArrayWriter(tx_->tm(), 8).set(sb_.dirtyRoot, cblock / 64, v);
    if (!root) return root.error();
    sb_.dirtyRoot = *root;
    return Status::success();
}

Status CacheEditor::invalidate(std::uint64_t cblock) {
    auto m = mapping(cblock);
    if (!m) return m.error();
    if (sb_.version >= 2 && (*m & CacheSuperblock::kMappingValid))
        if (Status s = setDirty(cblock, false); !s) return s;
    return setMapping(cblock, 0);
}

void CacheEditor::setNeedsCheck(bool on) {
    sb_.flags = on ? (sb_.flags | CacheSuperblock::kNeedsCheck)
                   : (sb_.flags & ~CacheSuperblock::kNeedsCheck);
}

Status CacheEditor::commit() {
    return tx_->commit(sb_, BlockType::CacheSuperblock);
}

} // namespace dms
