#include "core/tx/FreshMetadataTransaction.h"

#include <algorithm>

namespace dms {

Status FreshMetadataTransaction::requireWritable(const BlockSource& device) {
    if (!device.writable())
        return makeError(ErrorKind::Usage, device.name() + " is not open for writing");
    return Status::success();
}

FreshMetadataTransaction::FreshMetadataTransaction(std::shared_ptr<BlockSource> device)
    : device_(device), tm_(device) {}

Status FreshMetadataTransaction::begin() {
    const std::uint64_t metaBlocks = std::min(device_->blockCount(), MetadataSpaceMap::kMaxBlocks);
    auto sm = MetadataSpaceMap::create(tm_, metaBlocks, 0);
    if (!sm) return sm.error();
    sm_ = std::move(*sm);
    tm_.setSpaceMap(sm_.get());
    return Status::success();
}

} // namespace dms
