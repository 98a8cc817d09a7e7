#include "models/MetadataClassSource.h"

namespace dms {

MetadataClassSource::MetadataClassSource(std::shared_ptr<const BlockMap> map,
                                         BlockMapColouring colouring)
    : map_(std::move(map)), colouring_(colouring), roles_(map_->roleBytes().data()),
      counts_(map_->countBytes().data()), owners_(map_->ownerIndexes().data()) {
    switch (colouring_) {
    case BlockMapColouring::RefCount:
        classCount_ = BlockMapScheme::forRefCount().classCount();
        break;
    case BlockMapColouring::Owner: {
        classCount_ = BlockMapScheme::forOwners(*map_).classCount();
        const std::size_t shown =
            std::min<std::size_t>(map_->ownerDevices().size(), BlockMapScheme::kMaxOwnerClasses);
        ownerLut_.assign(0x10000, static_cast<std::uint8_t>(2 + shown)); // "other devices"
        ownerLut_[BlockMap::kOwnerNone] = 0;
        ownerLut_[BlockMap::kOwnerShared] = 1;
        ownerLut_[BlockMap::kOwnerUntabled] = 1;
        for (std::size_t i = 1; i <= shown; ++i)
            ownerLut_[i] = static_cast<std::uint8_t>(1 + i);
        break;
    }
    default:
        colouring_ = BlockMapColouring::Type;
        classCount_ = kBlockRoleCount;
        break;
    }
}

unsigned MetadataClassSource::countClass(std::uint64_t b) const {
    const std::uint8_t c = counts_[b];
    if (c == BlockMap::kCountUnknown) return kCountUnreadableClass;
    // A leaked block or a count the walk disagrees with: what a user looking at counts wants
    // to find first. Blocks past the space map have no count to compare.
    if (b < map_->spaceMapBlocks() && map_->diskCount(b) != map_->references(b))
        return kCountMismatchClass;
    if (c < 4) return c;
    if (c < 8) return 4;
    if (c < 16) return 5;
    return 6;
}

std::optional<std::uint32_t> MetadataClassSource::exactValue(std::uint64_t b) const {
    if (colouring_ != BlockMapColouring::RefCount) return std::nullopt;
    const unsigned c = countClass(b);
    if (c < 4 || c > 6) return std::nullopt;
    return map_->diskCount(b);
}

void MetadataClassSource::tally(std::uint64_t first, std::uint64_t n, std::uint32_t* counts) const {
    const std::uint64_t end = first + n;
    if (colouring_ == BlockMapColouring::Type) {
        for (std::uint64_t b = first; b < end; ++b)
            ++counts[roles_[b]];
        return;
    }
    for (std::uint64_t b = first; b < end; ++b)
        ++counts[classFor(b)];
}

} // namespace dms
