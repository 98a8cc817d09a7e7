#pragma once
// Edits dm-era metadata offline the way dm-era changes it online (the kernel's dm-era-target.c,
// own code), in one transaction through the same write path as the thin and cache edits
// (TransactionManager, MetadataSpaceMap, BtreeWriter, ArrayWriter), with the same trace events:
//
//   archive     the live writeset goes into the writeset tree under current_era and the
//               superblock keeps no live writeset (what a suspend leaves: metadata_era_archive)
//   checkpoint  archive, then a new era: current_era + 1 with a fresh, empty live writeset of
//               nr_blocks bits (the `checkpoint` message and every resume: metadata_era_rollover)
//   digest      archived writesets, lowest era first, folded into the era array (each block
//               marked in the writeset, below nr_blocks, gets that era) and removed from the tree,
//               their bitsets freed (the kernel's digest worker); `before` limits it to eras
//               below that one
//
// dm-era defines no superblock flags (the kernel writes 0 at every commit; era_check never reads
// them), so there is no needs_check edit; the flags and the uuid are kept as found. Nothing is
// written before commit().

#include "core/btree/BtreeValueType.h"
#include "core/era/EraSuperblock.h"
#include "core/tx/SpaceMapTransaction.h"

#include <memory>
#include <optional>

namespace dms {

using EraEditorOptions = SpaceMapEditOptions;

class EraEditor {
public:
    static Expected<std::unique_ptr<EraEditor>> open(std::shared_ptr<BlockSource> device,
                                                     EraEditorOptions options = {});

    // The superblock as the transaction has it (written at commit).
    const EraSuperblock& superblock() const { return sb_; }
    const BlockReader& reader() const { return tx_->tm().reader(); }

    // True when the archive had a live writeset to move.
    Expected<bool> archive();
    Status checkpoint();
    // The number of writesets digested.
    Expected<std::uint32_t> digest(std::optional<std::uint32_t> before = std::nullopt);

    Status commit();
    void abort() { tx_->abort(); }

private:
    EraEditor() = default;
    BtreeValueType writesetValueType();

    std::unique_ptr<SpaceMapTransaction> tx_;
    EraSuperblock sb_;
};

} // namespace dms
