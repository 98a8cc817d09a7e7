#pragma once
// Everything the cache views show, read once from dm-cache metadata (on a worker thread): per
// cache block its mapping value and state (unmapped / clean / dirty: format 1 from the mapping's
// DIRTY flag, format 2 from the dirty bitset, as the kernel reads them), its hint bytes, which
// array blocks hold the mapping and hint entries, and the discard bitset. Damage does not stop
// the load: what could not be read is listed in errors and the cache blocks it hides are
// Unreadable. Qt-free; ~13 bytes per cache block (13 MB for a million).

#include "core/cache/CacheSuperblock.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace dms {

class CacheContents {
public:
    enum State : std::uint8_t { Unmapped = 0, Clean = 1, Dirty = 2, Unreadable = 3 };

    // cancel may be null; a cancelled load returns what it read so far with cancelled() set.
    static CacheContents load(const BlockReader& reader, const CacheSuperblock& sb,
                              const std::atomic<bool>* cancel = nullptr);

    std::uint32_t cacheBlocks() const { return cacheBlocks_; }
    std::uint32_t format() const { return format_; }
    State state(std::uint32_t cblock) const { return State(states_[cblock]); }
    const std::vector<std::uint8_t>& states() const { return states_; }
    // The mapping value (origin << 16 | flags), 0 where unreadable.
    std::uint64_t mapping(std::uint32_t cblock) const { return mappings_[cblock]; }
    static std::uint64_t originOf(std::uint64_t mapping) { return mapping >> 16; }
    static std::uint32_t flagsOf(std::uint64_t mapping) { return std::uint32_t(mapping & 0xffff); }
    // Format 2: the dirty bitset's bit (whatever the mapping); format 1: the DIRTY flag.
    bool dirtyBit(std::uint32_t cblock) const;

    // Metadata block holding the cache block's mapping / hint entry; 0 when unknown.
    std::uint64_t mappingBlockOf(std::uint32_t cblock) const;
    std::uint64_t hintBlockOf(std::uint32_t cblock) const;
    std::uint32_t mappingsPerBlock() const { return 509; }
    // The cache blocks whose mapping entries metadata block `block` holds: [first, last], or
    // nothing when it is not a mapping array block.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> cacheBlocksIn(std::uint64_t block) const;
    std::uint32_t hintsPerBlock() const;

    bool hasHints() const { return !hints_.empty(); }
    // Bytes per hint: the hint array blocks' value_size (cache_restore 0.9.0 writes 0 in the
    // superblock field), else the superblock's hint width.
    std::uint32_t hintWidth() const { return hintWidth_; }
    const std::uint8_t* hint(std::uint32_t cblock) const {
        return hints_.data() + std::size_t(cblock) * hintWidth_;
    }

    std::uint64_t discardBlocks() const { return discardNrBlocks_; }
    bool discarded(std::uint64_t dblock) const;

    std::uint64_t valid() const { return valid_; }
    std::uint64_t dirty() const { return dirty_; }
    std::uint64_t discardedCount() const { return discarded_; }
    // The highest origin block mapped, +1 (0 when nothing is mapped).
    std::uint64_t originExtent() const { return originExtent_; }

    const std::vector<std::string>& errors() const { return errors_; }
    bool cancelled() const { return cancelled_; }

private:
    static CacheContents loadAll(const BlockReader& reader, const CacheSuperblock& sb,
                                 const std::atomic<bool>* cancel);
    std::uint32_t cacheBlocks_ = 0;
    std::uint32_t format_ = 1;
    std::vector<std::uint64_t> mappings_;
    std::vector<std::uint8_t> states_;
    std::vector<std::uint64_t> dirtyWords_;
    std::vector<std::uint64_t> mappingBlocks_; // per array-block index
    std::vector<std::uint64_t> hintBlocks_;
    std::vector<std::uint8_t> hints_;
    std::uint32_t hintWidth_ = 0;
    std::vector<std::uint64_t> discardWords_;
    std::uint64_t discardNrBlocks_ = 0;
    std::uint64_t valid_ = 0, dirty_ = 0, discarded_ = 0, originExtent_ = 0;
    std::vector<std::string> errors_;
    bool cancelled_ = false;
};

} // namespace dms
