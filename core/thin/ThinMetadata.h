#pragma once
// An opened thin-pool metadata device: the superblock, the optional metadata snapshot, and
// access to the details and mapping trees. Lazy: nothing is read beyond the superblock until
// asked, so the GUI can open a 16 GiB device at once and the CLI can scan it in full.

#include "core/thin/DeviceDetails.h"
#include "core/thin/ThinSuperblock.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace dms {

struct ThinDevice {
    std::uint64_t id = 0;
    DeviceDetails details;
    std::uint64_t mappingRoot = 0; // bottom-level btree root; 0 if absent from the mapping tree
};

class ThinMetadata {
public:
    // Reads and validates the live superblock.
    static Expected<std::shared_ptr<ThinMetadata>> open(std::shared_ptr<const BlockSource> source);
    // For inspecting a damaged device: a block 0 that carries the thin magic but fails
    // validation (checksum, block number, version, roots) is decoded as stored and the failure
    // kept in superblockDamage(); the trees are then read as far as they can be. Only a block 0
    // that is not thin metadata at all (too small, zeroed, another magic) still fails.
    static Expected<std::shared_ptr<ThinMetadata>>
    openDamaged(std::shared_ptr<const BlockSource> source);
    // The machinery dm-cache and dm-era metadata share with thin (block reader, metadata space
    // map) behind this interface, so that the space-map, inspector and block views read them
    // unchanged: sb carries only the metadata space-map root and metadata_nr_blocks (and the
    // header words of block 0); the thin-only roots are 0, so there are no devices to read.
    static std::shared_ptr<ThinMetadata> sharedMachinery(std::shared_ptr<const BlockSource> source,
                                                         ThinSuperblock sb);
    // Why the superblock failed validation, when opened with openDamaged().
    const std::optional<Error>& superblockDamage() const { return damage_; }

    const BlockReader& reader() const { return reader_; }
    const ThinSuperblock& superblock() const { return superblock_; }

    // The held metadata snapshot's superblock copy (FORMAT.md §3).
    bool hasMetadataSnapshot() const { return superblock_.heldRoot != 0; }
    Expected<ThinSuperblock> metadataSnapshot() const;

    // Devices of the given superblock (live or held copy), in id order: the details tree joined
    // with the top level of the mapping tree. A device in only one of the trees is an error.
    Expected<std::vector<ThinDevice>> devices(const ThinSuperblock& sb) const;

    // Every mapping of one device's bottom-level tree, in virtual-block order.
    Status forEachMapping(std::uint64_t bottomRoot,
                          const std::function<void(std::uint64_t vblock, BlockTime bt)>& fn) const;

private:
    ThinMetadata(std::shared_ptr<const BlockSource> source, ThinSuperblock sb);

    BlockReader reader_;
    ThinSuperblock superblock_;
    std::optional<Error> damage_;
};

} // namespace dms
