#include "core/thin/SyntheticBlockMap.h"

#include "core/spacemap/IndexEntry.h"

#include <algorithm>

namespace dms {
namespace {

std::uint64_t next(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

BlockMap SyntheticBlockMap::make(std::uint64_t blocks, std::uint64_t seed, unsigned usedPerMille) {
    BlockMap map(blocks);
    map.spaceMapBlocks_ = blocks;
    std::uint64_t s = seed;
    auto place = [&](std::uint64_t b, BlockRole role, std::uint32_t count) {
        map.roles_[b] = static_cast<std::uint8_t>(role);
        map.setCount(b, count);
        for (std::uint32_t i = 0; i < count; ++i)
            map.addReference(b);
    };
    for (std::uint64_t b = 0; b < blocks; ++b)
        map.setCount(b, 0);
    if (blocks > 0) place(0, BlockRole::Superblock, 1);
    if (blocks > 1) place(1, BlockRole::MetadataSmIndex, 1);
    for (std::uint64_t i = 0; i * kEntriesPerBitmap < blocks; ++i) {
        const std::uint64_t b = i * kEntriesPerBitmap + 2;
        if (b < blocks) place(b, BlockRole::MetadataBitmap, 1);
    }

    const std::uint16_t devices[] = {map.ownerIndexFor(1), map.ownerIndexFor(2),
                                     map.ownerIndexFor(7), map.ownerIndexFor(12),
                                     map.ownerIndexFor(40)};
    // Runs of nodes of one tree; between them free gaps sized so that ~usedPerMille is used.
    std::uint64_t b = 3;
    while (b < blocks) {
        const std::uint64_t r = next(s);
        const std::uint64_t len = 16 + r % 2048;
        const unsigned pick = static_cast<unsigned>((r >> 16) % 100);
        const std::uint16_t owner = devices[(r >> 24) % 5];
        const bool shared = (r >> 32) % 8 == 0;
        for (std::uint64_t i = 0; i < len && b < blocks; ++i, ++b) {
            if (map.roles_[b] != 0) continue; // a bitmap
            BlockRole role = BlockRole::MappingBottomLeaf;
            const bool internal = i % 120 == 0;
            if (pick < 4)
                role = internal ? BlockRole::DataSmIndexNode : BlockRole::DataBitmap;
            else if (pick < 8)
                role = internal ? BlockRole::MetadataRefcountNode : BlockRole::DataRefcountNode;
            else if (pick < 10)
                role = internal ? BlockRole::DetailsInternal : BlockRole::DetailsLeaf;
            else if (pick < 12)
                role = internal ? BlockRole::MappingTopInternal : BlockRole::MappingTopLeaf;
            else if (internal)
                role = BlockRole::MappingBottomInternal;
            const std::uint32_t count = shared && blockRoleHasOwner(role) ? 2 : 1;
            place(b, role, count);
            if (blockRoleHasOwner(role)) {
                map.addOwner(b, owner);
                if (shared) map.addOwner(b, devices[(r >> 40) % 5]);
            }
        }
        const std::uint64_t used = std::clamp(usedPerMille, 1u, 999u);
        b += len * (1000 - used) / used;
    }
    // A little damage, as a real pool may have it.
    for (std::uint64_t i = 0; i < blocks / 50000 + 1; ++i) {
        const std::uint64_t at = next(s) % blocks;
        if (at < 3) continue;
        if (i % 2 == 0) {
            map.roles_[at] = static_cast<std::uint8_t>(BlockRole::Free);
            map.refs_[at] = 0;
            map.owners_[at] = BlockMap::kOwnerNone;
            map.setCount(at, 1); // leaked: finish() names it
        } else {
            map.markUnreadable(at, "block " + std::to_string(at) +
                                       ": checksum mismatch (synthetic damage)");
        }
    }
    map.finish();
    return map;
}

} // namespace dms
