#include "core/cache/CacheChecker.h"

#include "core/cache/CacheSuperblock.h"
#include "core/check/ArrayCheckVisitor.h"
#include "core/check/SuperblockCheckRun.h"

#include <algorithm>
#include <cstring>

namespace dms {
namespace {

// check_superblock of cache_check 0.9.0, one finding per failed check.
void checkFields(const CacheSuperblock& sb, std::uint64_t nrBlocks, CheckReport& r) {
    auto bad = [&](const char* field, std::string message) {
        addFinding(r, Severity::Fatal, FindingCategory::Superblock, 0, field, std::move(message),
                   "superblock");
    };
    if (sb.flags & ~3u) bad("flags", "unknown flags " + std::to_string(sb.flags & ~3u));
    if (sb.blocknr >= nrBlocks)
        bad("blocknr", "blocknr " + std::to_string(sb.blocknr) + " beyond the device (" +
                           std::to_string(nrBlocks) + " blocks)");
    if (sb.magic != kCacheSuperblockMagic) bad("magic", "magic " + std::to_string(sb.magic));
    if (sb.version < 1 || sb.version > 2)
        bad("version", "version " + std::to_string(sb.version) + " is not 1 or 2");
    if (::strnlen(reinterpret_cast<const char*>(sb.policyName.data()), 16) == 16)
        bad("policy_name", "policy name is not NUL-terminated");
    if (sb.hintWidth() % 4 || sb.hintWidth() > 128)
        bad("policy_hint_size",
            "hint size " + std::to_string(sb.hintWidth()) + " is not a multiple of 4 up to 128");
    if (sb.metadataBlockSize != 8)
        bad("metadata_block_size",
            "metadata block size " + std::to_string(sb.metadataBlockSize) + ", expected 8");
    if (sb.compatFlags) bad("compat_flags", "compat_flags " + std::to_string(sb.compatFlags));
    if (sb.compatRoFlags)
        bad("compat_ro_flags", "compat_ro_flags " + std::to_string(sb.compatRoFlags));
    if (sb.incompatFlags & ~CacheSuperblock::kVariableHintSize)
        bad("incompat_flags", "unknown incompat_flags " + std::to_string(sb.incompatFlags));
}

// Valid mappings: flags allowed by the format, each origin block mapped once.
class MappingCheck final : public ArrayCheckVisitor {
public:
    MappingCheck(CheckReport& r, MetadataCountCheck& c, std::uint32_t version)
        : ArrayCheckVisitor(r, c, Severity::Fatal),
          allowed_(version == 1 ? CacheSuperblock::kMappingValid | CacheSuperblock::kMappingDirty
                                : CacheSuperblock::kMappingValid) {}

    void values(std::uint64_t first, const ArrayBlock& ab, std::uint32_t count) override {
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint64_t v = loadLe64(ab.value(i));
            if (!(v & CacheSuperblock::kMappingValid)) continue;
            origins_.push_back({v >> 16, first + i});
            const std::uint64_t flags = v & CacheSuperblock::kFlagsMask;
            if (flags & ~allowed_)
                report(Severity::Fatal, FindingCategory::Mapping, ab.number(),
                       "value[" + std::to_string(i) + "]", path(first + i),
                       "unknown flags " + std::to_string(flags) +
                           " in the mapping of cache block " + std::to_string(first + i));
            blockOf_.push_back(ab.number());
        }
    }

    void finish() {
        std::vector<std::uint32_t> order(origins_.size());
        for (std::uint32_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return origins_[a] < origins_[b]; });
        for (std::size_t k = 1; k < order.size(); ++k) {
            const auto& prev = origins_[order[k - 1]];
            const auto& cur = origins_[order[k]];
            if (prev.first != cur.first) continue;
            report(Severity::Fatal, FindingCategory::Mapping, blockOf_[order[k]], "origin_block",
                   path(cur.second),
                   "origin block " + std::to_string(cur.first) + " of cache block " +
                       std::to_string(cur.second) + " is already mapped by cache block " +
                       std::to_string(origins_[order[k - 1]].second));
        }
    }

private:
    static std::string path(std::uint64_t cblock) {
        return "mapping array > cache block " + std::to_string(cblock);
    }
    std::uint64_t allowed_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> origins_; // (origin, cache block)
    std::vector<std::uint64_t> blockOf_;
};

} // namespace

CacheChecker::CacheChecker(std::shared_ptr<const BlockSource> source, CacheCheckOptions options)
    : source_(std::move(source)), options_(options) {}

CheckReport CacheChecker::run() {
    SuperblockCheckRun run(source_, options_.maxFindings);
    CheckReport& r = run.report();
    BlockReader& reader = run.reader();
    auto raw = run.superblock(BlockType::CacheSuperblock, "dm-cache");
    if (!raw) return run.finish();
    const CacheSuperblock sb = CacheSuperblock::decode(*raw);
    checkFields(sb, run.blockCount(), r);
    if (r.count(Severity::Fatal) || options_.superblockOnly) return run.finish();

    MetadataCountCheck counts(reader, sb.metadataSpaceMap, r);
    counts.ref(0);
    const bool all = options_.checkMappings && options_.checkHints && options_.checkDiscards;
    if (options_.checkMappings) {
        MappingCheck mappings(r, counts, sb.version);
        ArrayReader(reader, sb.mappingRoot, sb.cacheBlocks, 8, "mapping array").walk(mappings);
        mappings.finish();
        if (sb.version >= 2) {
            // cache_check 0.9.0 never walks the dirty bitset.
            ArrayCheckVisitor dirty(r, counts, Severity::Warning);
            ArrayReader(reader, sb.dirtyRoot, (std::uint64_t(sb.cacheBlocks) + 63) / 64, 8,
                        "dirty bitset")
                .walk(dirty);
        }
    }
    if (options_.checkHints && sb.hintRoot) {
        const std::uint32_t width = sb.hintWidth();
        if (width == 0) {
            addFinding(r, Severity::Fatal, FindingCategory::Superblock, 0, "policy_hint_size",
                       "invalid hint width 0 with a hint array present", "superblock");
        } else {
            ArrayCheckVisitor hints(r, counts, Severity::Fatal);
            ArrayReader(reader, sb.hintRoot, sb.cacheBlocks, width, "hint array").walk(hints);
        }
    }
    if (options_.checkDiscards && sb.discardRoot) {
        // Nor the discard bitset.
        ArrayCheckVisitor discards(r, counts, Severity::Warning);
        ArrayReader(reader, sb.discardRoot, (sb.discardNrBlocks + 63) / 64, 8, "discard bitset")
            .walk(discards);
    }
    if (all) counts.compare();
    return run.finish();
}

} // namespace dms
