#include "core/check/SuperblockCheck.h"

#include "core/BlockType.h"

#include <algorithm>
#include <vector>

namespace dms {
namespace {

void add(CheckReport& report, Severity s, FindingCategory c, std::optional<std::uint64_t> block,
         std::string field, std::string message) {
    Finding f;
    f.severity = s;
    f.category = c;
    f.block = block;
    f.field = std::move(field);
    f.message = std::move(message);
    report.add(std::move(f));
}

// What a block that fails the thin superblock checksum holds instead, if recognisable.
std::string whatItIs(const std::uint8_t* d, std::size_t n) {
    if (std::all_of(d, d + n, [](std::uint8_t c) { return c == 0; }))
        return "the block is all zero: the metadata is not formatted";
    std::size_t i = 0;
    while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r'))
        ++i;
    if (i < n && d[i] == '<')
        return "this looks like XML: the checker reads binary metadata (thin_restore makes it)";
    const std::uint64_t magic = n >= 40 ? loadLe64(d + 32) : 0;
    if (magic == kCacheSuperblockMagic)
        return "this is a dm-cache superblock, not a thin-pool one: use cache_check";
    if (magic == kEraSuperblockMagic)
        return "this is a dm-era superblock, not a thin-pool one: use era_check";
    if (std::all_of(d, d + std::min<std::size_t>(n, 512), [](std::uint8_t c) {
            return c == '\n' || c == '\r' || c == '\t' || (c >= 32 && c < 127);
        }))
        return "the block holds text, not thin-pool metadata";
    return "";
}

} // namespace

std::optional<ThinSuperblock> checkSuperblock(const BlockSource& source, std::uint64_t location,
                                              CheckReport& report) {
    const char* what = location == 0 ? "superblock" : "metadata snapshot superblock";
    if (location == 0 && source.byteSize() < kBlockSize) {
        add(report, Severity::Fatal, FindingCategory::File, std::nullopt, "",
            "metadata device " + source.name() + " is " + std::to_string(source.byteSize()) +
                " bytes, too small to hold a superblock: not binary thin metadata");
        return std::nullopt;
    }
    if (location >= source.blockCount()) {
        add(report, Severity::Fatal, FindingCategory::Superblock, 0, "held_root",
            std::string(what) + " at block " + std::to_string(location) +
                " is beyond the end of the device (" + std::to_string(source.blockCount()) +
                " blocks)");
        return std::nullopt;
    }
    std::vector<std::uint8_t> copy(kBlockSize);
    const std::uint8_t* d = source.mapped(location);
    if (!d) {
        if (!source.read(location, copy.data())) {
            add(report, Severity::Fatal, FindingCategory::Superblock, location, "",
                std::string("cannot read the ") + what);
            return std::nullopt;
        }
        d = copy.data();
    }
    const std::uint32_t stored = loadLe32(d);
    const std::uint32_t computed = computeChecksum(d, BlockType::ThinSuperblock);
    if (stored != computed) {
        const std::string kind = whatItIs(d, kBlockSize);
        add(report, Severity::Fatal, FindingCategory::Superblock, location, "csum",
            (kind.empty() ? "" : kind + "; ") + what + " checksum mismatch: stored " +
                std::to_string(stored) + ", computed " + std::to_string(computed));
        return std::nullopt;
    }
    const ThinSuperblock sb = ThinSuperblock::decode(Block::borrowed(location, d));
    auto warn = [&](std::string field, std::string message) {
        add(report, Severity::Warning, FindingCategory::Superblock, location, std::move(field),
            std::string(what) + " " + std::move(message));
    };
    if (sb.magic != kThinSuperblockMagic)
        warn("magic", "magic is " + std::to_string(sb.magic) + ", not 27022010");
    if (sb.blocknr != location)
        warn("blocknr", "records block number " + std::to_string(sb.blocknr) + " but is at block " +
                            std::to_string(location));
    if (sb.version < 1 || sb.version > 2)
        warn("version", "version " + std::to_string(sb.version) + " is not 1 or 2");
    if (sb.metadataBlockSize != 8)
        warn("metadata_block_size",
             "metadata_block_size is " + std::to_string(sb.metadataBlockSize) + ", not 8");
    if (sb.incompatFlags)
        warn("incompat_flags", "has unknown incompat_flags " + std::to_string(sb.incompatFlags) +
                                   " (the kernel refuses it)");
    if (sb.compatRoFlags)
        warn("compat_ro_flags", "has unknown compat_ro_flags " + std::to_string(sb.compatRoFlags) +
                                    " (the kernel opens it read-only)");
    if (location == 0 && sb.needsCheck())
        warn("flags", "has NEEDS_CHECK set; thin_check passes it when nothing else is wrong "
                      "(thin_check --clear-needs-check-flag clears it)");
    if (location == 0 && sb.metadataNrBlocks > source.blockCount())
        warn("metadata_nr_blocks", "says the metadata device has " +
                                       std::to_string(sb.metadataNrBlocks) + " blocks; it has " +
                                       std::to_string(source.blockCount()));
    return sb;
}

} // namespace dms
