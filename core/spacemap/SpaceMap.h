#pragma once
// The space-map operations table (the kernel's struct dm_space_map): reference counts of the
// blocks of one device. Implementations: MetadataSpaceMap (self-hosting, with its normal and
// bootstrap modes as swappable objects) and DiskSpaceMap (the thin data device).

#include "core/Expected.h"
#include "core/spacemap/SpaceMapRoot.h"

namespace dms {

class SpaceMap {
public:
    virtual ~SpaceMap() = default;

    virtual std::uint64_t nrBlocks() const = 0;
    virtual Expected<std::uint64_t> nrFree() const = 0;
    virtual Expected<std::uint32_t> count(std::uint64_t b) = 0;
    virtual Expected<bool> countIsMoreThanOne(std::uint64_t b) = 0;
    virtual Status setCount(std::uint64_t b, std::uint32_t count) = 0;
    virtual Status inc(std::uint64_t b) = 0;
    virtual Status dec(std::uint64_t b) = 0;
    // +1 on every block of [begin, end): one operation where the map supports ranges (the
    // mainline metadata space map queues it as one ring-buffer entry), else block by block.
    virtual Status incRange(std::uint64_t begin, std::uint64_t end) {
        for (std::uint64_t b = begin; b < end; ++b)
            if (Status s = inc(b); !s) return s;
        return Status::success();
    }
    virtual Expected<std::uint64_t> newBlock() = 0;
    virtual Status commit() = 0;
    virtual Status extend(std::uint64_t extraBlocks) = 0;
    // The root blob (copy_root); root_size is always SpaceMapRoot::kSize.
    virtual SpaceMapRoot root() const = 0;
};

} // namespace dms
