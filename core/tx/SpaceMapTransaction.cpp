#include "core/tx/SpaceMapTransaction.h"

namespace dms {

SpaceMapTransaction::SpaceMapTransaction(std::shared_ptr<BlockSource> device,
                                         TraceObserver* observer)
    : tm_(std::move(device)) {
    tm_.setObserver(observer);
}

Status SpaceMapTransaction::openSpaceMap(const SpaceMapRoot& root,
                                         const SpaceMapEditOptions& options) {
    auto sm = MetadataSpaceMap::open(tm_, root, options.policy, options.observer);
    if (!sm) return sm.error();
    sm_ = std::move(*sm);
    tm_.setSpaceMap(sm_.get());
    return Status::success();
}

} // namespace dms
