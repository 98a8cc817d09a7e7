#include "core/spacemap/BtreeRefCountStore.h"

#include "core/Endian.h"

namespace dms {

BtreeRefCountStore::BtreeRefCountStore(TransactionManager& tm, std::uint64_t root)
    : writer_(tm, BtreeValueType::plain(4)), root_(root) {}

Expected<std::uint32_t> BtreeRefCountStore::lookup(std::uint64_t b) {
    auto hit = writer_.lookup(root_, b);
    if (!hit) return hit.takeError();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         "bitmap entry of block " + std::to_string(b) +
                             " is 3 but the refcount tree has no entry for it",
                         root_, "ref_count_root");
    return loadLe32((*hit)->value());
}

Status BtreeRefCountStore::insert(std::uint64_t b, std::uint32_t count) {
    std::uint8_t v[4];
    storeLe32(v, count);
    auto r = writer_.insert(root_, b, v);
    if (!r) return r.error();
    root_ = r->root;
    return Status::success();
}

Status BtreeRefCountStore::remove(std::uint64_t b) {
    auto r = writer_.remove(root_, b);
    if (!r) return r.error();
    root_ = r->root;
    return Status::success();
}

std::unique_ptr<RefCountStore> BtreeRefCountStore::clone() const {
    return std::make_unique<BtreeRefCountStore>(*this);
}

Expected<std::unique_ptr<RefCountStore>> createRefCountStore(TransactionManager& tm) {
    BtreeWriter w(tm, BtreeValueType::plain(4));
    auto root = w.empty();
    if (!root) return root.takeError();
    return std::unique_ptr<RefCountStore>(new BtreeRefCountStore(tm, *root));
}

Expected<std::unique_ptr<RefCountStore>> openRefCountStore(TransactionManager& tm,
                                                           std::uint64_t root) {
    return std::unique_ptr<RefCountStore>(new BtreeRefCountStore(tm, root));
}

} // namespace dms
