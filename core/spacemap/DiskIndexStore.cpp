#include "core/spacemap/DiskIndexStore.h"

namespace dms {

Expected<std::unique_ptr<DiskIndexStore>> DiskIndexStore::create(TransactionManager& tm) {
    BtreeWriter w(tm, BtreeValueType::plain(IndexEntry::kSize));
    auto root = w.empty();
    if (!root) return root.takeError();
    return std::make_unique<DiskIndexStore>(tm, *root);
}

DiskIndexStore::DiskIndexStore(TransactionManager& tm, std::uint64_t root)
    : writer_(tm, BtreeValueType::plain(IndexEntry::kSize)), root_(root) {}

Expected<IndexEntry> DiskIndexStore::load(std::uint64_t index) {
    auto hit = writer_.lookup(root_, index);
    if (!hit) return hit.takeError();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         "data space-map index has no entry " + std::to_string(index), root_,
                         "keys");
    return IndexEntry::decode((*hit)->value());
}

Status DiskIndexStore::save(std::uint64_t index, const IndexEntry& entry) {
    std::uint8_t v[IndexEntry::kSize];
    entry.encode(v);
    auto r = writer_.insert(root_, index, v);
    if (!r) return r.error();
    root_ = r->root;
    return Status::success();
}

std::unique_ptr<IndexStore> DiskIndexStore::clone() const {
    return std::make_unique<DiskIndexStore>(*this);
}

} // namespace dms
