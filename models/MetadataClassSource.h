#pragma once
// The classes of metadata blocks for the block map, read from a BlockMap (BlockClassifier's
// result): its role (Type), a bucket of its on-disk reference count (RefCount) or its owning thin
// device (Owner); class numbers are those of the matching BlockMapScheme.

#include "models/BlockClassSource.h"
#include "models/BlockMapScheme.h"

#include <memory>

namespace dms {

class MetadataClassSource : public BlockClassSource {
public:
    // colouring is Type, RefCount or Owner.
    MetadataClassSource(std::shared_ptr<const BlockMap> map, BlockMapColouring colouring);

    const BlockMap& map() const { return *map_; }
    BlockMapColouring colouring() const { return colouring_; }

    std::uint64_t blockCount() const override { return map_->size(); }
    unsigned classCount() const override { return classCount_; }
    unsigned classOf(std::uint64_t b) const override { return classFor(b); }
    void tally(std::uint64_t first, std::uint64_t n, std::uint32_t* counts) const override;
    // RefCount colouring: the count of a block in a bucket of several counts (4-7, 8-15, 16+).
    std::optional<std::uint32_t> exactValue(std::uint64_t b) const override;

    // RefCount buckets: 0, 1, 2, 3, 4-7, 8-15, 16+, unreadable, differs from pointers found.
    static constexpr unsigned kCountUnreadableClass = 7;
    static constexpr unsigned kCountMismatchClass = 8;

private:
    unsigned classFor(std::uint64_t b) const {
        switch (colouring_) {
        case BlockMapColouring::RefCount:
            return countClass(b);
        case BlockMapColouring::Owner:
            return ownerLut_[owners_[b]];
        default:
            return roles_[b];
        }
    }
    unsigned countClass(std::uint64_t b) const;

    std::shared_ptr<const BlockMap> map_;
    BlockMapColouring colouring_;
    unsigned classCount_ = 0;
    const std::uint8_t* roles_;
    const std::uint8_t* counts_;
    const std::uint16_t* owners_;
    std::vector<std::uint8_t> ownerLut_; // owner index -> class (Owner colouring only)
};

} // namespace dms
