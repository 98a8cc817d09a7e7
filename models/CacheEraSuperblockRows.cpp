#include "models/CacheEraSuperblockRows.h"

#include "core/cache/CacheSuperblock.h"
#include "core/era/EraSuperblock.h"
#include "models/ByteSize.h"

namespace dms {
namespace {

class RowList {
public:
    void add(const char* field, unsigned offset, unsigned size, QString value, QString meaning,
             std::uint64_t raw) {
        rows.push_back(SuperblockModel::Row{QLatin1String(field), offset, size, std::move(value),
                                            std::move(meaning), QVariant::fromValue<quint64>(raw)});
    }
    void number(const char* field, unsigned offset, unsigned size, std::uint64_t v,
                const char* meaning) {
        add(field, offset, size, QString::number(v), QString::fromUtf8(meaning), v);
    }
    void hex(const char* field, unsigned offset, std::uint32_t v, const char* meaning) {
        add(field, offset, 4, QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0')),
            QString::fromUtf8(meaning), v);
    }
    void sectors(const char* field, unsigned offset, std::uint32_t v, const char* meaning) {
        add(field, offset, 4,
            QStringLiteral("%1 sectors (%2)").arg(v).arg(formatByteSize(std::uint64_t(v) * 512)),
            QString::fromUtf8(meaning), v);
    }
    void uuid(unsigned offset, const std::array<std::uint8_t, 16>& u) {
        const QByteArray bytes(reinterpret_cast<const char*>(u.data()), int(u.size()));
        rows.push_back(SuperblockModel::Row{
            QStringLiteral("uuid"), offset, 16,
            bytes.count('\0') == bytes.size() ? QStringLiteral("zero")
                                              : QString::fromLatin1(bytes.toHex(' ')),
            QStringLiteral("printed empty by the 0.9.0 dumps"), bytes});
    }
    void spaceMap(unsigned base, const SpaceMapRoot& r) {
        rows.push_back(SuperblockModel::Row{QStringLiteral("metadata_space_map_root"), base, 128,
                                            QString(),
                                            QStringLiteral("space-map root of the metadata "
                                                           "device (same format as thin)"),
                                            QVariant()});
        const struct {
            const char* name;
            unsigned offset;
            std::uint64_t v;
            const char* meaning;
        } fields[] = {
            {"nr_blocks", 0, r.nrBlocks, "blocks the map covers"},
            {"nr_allocated", 8, r.nrAllocated, "blocks in use, as stored (a hint)"},
            {"bitmap_root", 16, r.bitmapRoot, "index block of the bitmaps"},
            {"ref_count_root", 24, r.refCountRoot, "refcount btree: counts of 3 and up"},
        };
        for (const auto& f : fields)
            rows.push_back(SuperblockModel::Row{
                QStringLiteral("metadata_space_map_root.") + QLatin1String(f.name), base + f.offset,
                8, QString::number(f.v), QString::fromUtf8(f.meaning),
                QVariant::fromValue<quint64>(f.v)});
    }
    std::vector<SuperblockModel::Row> rows;
};

QString flagWords(std::uint32_t flags,
                  std::initializer_list<std::pair<std::uint32_t, const char*>> names) {
    QStringList words;
    for (const auto& [bit, name] : names)
        if (flags & bit) words << QLatin1String(name);
    return words.isEmpty() ? QString::number(flags)
                           : QStringLiteral("%1 (%2)").arg(flags).arg(words.join(QLatin1Char(' ')));
}

QString rootText(std::uint64_t block) {
    return block == 0 ? QStringLiteral("0 (none)") : QString::number(block);
}

} // namespace

std::vector<SuperblockModel::Row> cacheSuperblockRows(const CacheSuperblock& sb) {
    RowList r;
    r.hex("csum", 0, sb.csum, "CRC-32C of bytes 4-4095, xor 9031977");
    r.add("flags", 4, 4,
          flagWords(sb.flags, {{CacheSuperblock::kCleanShutdown, "CLEAN_SHUTDOWN"},
                               {CacheSuperblock::kNeedsCheck, "NEEDS_CHECK"}}),
          QStringLiteral("bit 0 CLEAN_SHUTDOWN, bit 1 NEEDS_CHECK"), sb.flags);
    r.number("blocknr", 8, 8, sb.blocknr, "the block's own location: 0");
    r.uuid(16, sb.uuid);
    r.number("magic", 32, 8, sb.magic, "1623043 marks a dm-cache superblock");
    r.number("version", 40, 4, sb.version,
             "metadata format: 1 dirty flags in the mappings, 2 a dirty bitset");
    r.add("policy_name", 44, 16, QString::fromStdString(sb.policy()),
          QStringLiteral("cache policy, NUL-padded"), 0);
    r.add("policy_hint_size", 60, 4,
          QStringLiteral("%1 (hint width %2)").arg(sb.policyHintSize).arg(sb.hintWidth()),
          QStringLiteral("bytes per hint; counts only with incompat bit 0, else 4"),
          sb.policyHintSize);
    r.spaceMap(64, sb.metadataSpaceMap);
    r.add("mapping_root", 192, 8, rootText(sb.mappingRoot),
          QStringLiteral("dm-array of u64: origin block << 16 | flags"), sb.mappingRoot);
    r.add("hint_root", 200, 8, rootText(sb.hintRoot), QStringLiteral("dm-array of policy hints"),
          sb.hintRoot);
    r.add("discard_root", 208, 8, rootText(sb.discardRoot),
          QStringLiteral("dm-bitset, one bit per discard block"), sb.discardRoot);
    r.number("discard_block_size", 216, 8, sb.discardBlockSize, "in sectors");
    r.number("discard_nr_blocks", 224, 8, sb.discardNrBlocks, "bits in the discard bitset");
    r.sectors("data_block_size", 232, sb.dataBlockSize, "cache block size");
    r.sectors("metadata_block_size", 236, sb.metadataBlockSize, "in sectors: always 8");
    r.number("cache_blocks", 240, 4, sb.cacheBlocks, "mapping (and hint) array length");
    r.number("compat_flags", 244, 4, sb.compatFlags, "optional features (none defined)");
    r.number("compat_ro_flags", 248, 4, sb.compatRoFlags, "unknown bit: no read-write open");
    r.number("incompat_flags", 252, 4, sb.incompatFlags, "bit 0 VARIABLE_HINT_SIZE");
    r.number("read_hits", 256, 4, sb.readHits, "statistics");
    r.number("read_misses", 260, 4, sb.readMisses, "statistics");
    r.number("write_hits", 264, 4, sb.writeHits, "statistics");
    r.number("write_misses", 268, 4, sb.writeMisses, "statistics");
    r.add("policy_version", 272, 12,
          QStringLiteral("%1.%2.%3")
              .arg(sb.policyVersion[0])
              .arg(sb.policyVersion[1])
              .arg(sb.policyVersion[2]),
          QStringLiteral("major, minor, patch"), sb.policyVersion[0]);
    if (sb.version >= 2)
        r.add("dirty_root", 284, 8, rootText(sb.dirtyRoot),
              QStringLiteral("format 2: dm-bitset of cache_blocks bits, 1 = dirty"), sb.dirtyRoot);
    return std::move(r.rows);
}

std::vector<SuperblockModel::Row> eraSuperblockRows(const EraSuperblock& sb) {
    RowList r;
    r.hex("csum", 0, sb.csum, "CRC-32C of bytes 4-4095, xor 146538381");
    r.add("flags", 4, 4, flagWords(sb.flags, {{EraSuperblock::kCleanShutdown, "CLEAN_SHUTDOWN"}}),
          QStringLiteral("bit 0 CLEAN_SHUTDOWN (not read by the 0.9.0 tools)"), sb.flags);
    r.number("blocknr", 8, 8, sb.blocknr, "the block's own location: 0");
    r.uuid(16, sb.uuid);
    r.number("magic", 32, 8, sb.magic, "2126579579 marks a dm-era superblock");
    r.number("version", 40, 4, sb.version, "format version: 1");
    r.spaceMap(44, sb.metadataSpaceMap);
    r.sectors("data_block_size", 172, sb.dataBlockSize, "era block size");
    r.sectors("metadata_block_size", 176, sb.metadataBlockSize, "in sectors: always 8");
    r.number("nr_blocks", 180, 4, sb.nrBlocks, "tracked blocks (era array length)");
    r.number("current_era", 184, 4, sb.currentEra, "the era writes are recorded in now");
    r.rows.push_back(SuperblockModel::Row{QStringLiteral("current_writeset"), 188, 12, QString(),
                                          QStringLiteral("the live writeset"), QVariant()});
    r.number("current_writeset.nr_bits", 188, 4, sb.currentWritesetNrBits,
             "bits of the live writeset");
    r.add("current_writeset.root", 192, 8, rootText(sb.currentWritesetRoot),
          QStringLiteral("dm-bitset of the live writeset"), sb.currentWritesetRoot);
    r.add("writeset_tree_root", 200, 8, rootText(sb.writesetTreeRoot),
          QStringLiteral("btree: era -> {nr_bits, bitset root}"), sb.writesetTreeRoot);
    r.add("era_array_root", 208, 8, rootText(sb.eraArrayRoot),
          QStringLiteral("dm-array of u32: last era each block was written in"), sb.eraArrayRoot);
    r.add("metadata_snap", 216, 8, rootText(sb.metadataSnap),
          QStringLiteral("metadata snapshot superblock copy"), sb.metadataSnap);
    return std::move(r.rows);
}

} // namespace dms
