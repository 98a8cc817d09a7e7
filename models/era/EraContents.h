#pragma once
// Everything the era view shows, read once from dm-era metadata (on a worker thread): the era
// array (the last era each block was written in), the archived writesets of the writeset tree
// and the live writeset, with the bits each has set, and which array block holds each era-array
// entry. writtenSince(E) is what `era_invalidate --written-since E` lists: the blocks whose era
// is E or later, plus every bit of the archived writesets of era E or later (the live writeset
// is not read by era_invalidate 0.9.0). Damage is listed in errors; the load goes on. Qt-free.

#include "core/era/EraSuperblock.h"

#include <atomic>
#include <string>
#include <vector>

namespace dms {

struct EraWritesetSummary {
    std::uint32_t era = 0;
    std::uint32_t nrBits = 0;
    std::uint64_t root = 0;
    std::uint64_t bitsSet = 0;
    bool live = false;                // the current writeset (superblock), not an archived one
    std::vector<std::uint64_t> words; // empty when unreadable
    std::string error;
};

class EraContents {
public:
    static EraContents load(const BlockReader& reader, const EraSuperblock& sb,
                            const std::atomic<bool>* cancel = nullptr);

    std::uint32_t nrBlocks() const { return std::uint32_t(eras_.size()); }
    std::uint32_t currentEra() const { return currentEra_; }
    const std::vector<std::uint32_t>& eras() const { return eras_; }
    std::uint32_t era(std::uint32_t block) const { return eras_[block]; }
    // False where the era array could not be read (the era shown is 0 there).
    bool readable(std::uint32_t block) const { return readable_[block] != 0; }
    // The highest era in the array.
    std::uint32_t maxEra() const { return maxEra_; }
    // Archived writesets in era order, then the live one (if the superblock has one).
    const std::vector<EraWritesetSummary>& writesets() const { return writesets_; }
    std::uint64_t eraArrayBlockOf(std::uint32_t block) const;

    // One flag per block: would era_invalidate --written-since `era` list it?
    std::vector<std::uint8_t> writtenSince(std::uint32_t era) const;

    const std::vector<std::string>& errors() const { return errors_; }
    bool cancelled() const { return cancelled_; }

private:
    static EraContents loadAll(const BlockReader& reader, const EraSuperblock& sb,
                               const std::atomic<bool>* cancel);
    std::uint32_t currentEra_ = 0;
    std::vector<std::uint32_t> eras_;
    std::vector<std::uint8_t> readable_;
    std::uint32_t maxEra_ = 0;
    std::vector<EraWritesetSummary> writesets_;
    std::vector<std::uint64_t> arrayBlocks_;
    std::vector<std::string> errors_;
    bool cancelled_ = false;
};

} // namespace dms
