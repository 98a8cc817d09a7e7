// BlockLayout: every field it names sits at FORMAT.md's offset with FORMAT.md's size, and its
// decoded value is what the bytes hold there (checked against tables written here from
// FORMAT.md §3-§5, not against the decoder's own constants).

#include "core/Endian.h"
#include "core/inspect/BlockLayout.h"
#include "tests/support/Fixtures.h"

#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace dms;

namespace {

struct Expect {
    const char* group;
    const char* name;
    std::uint32_t offset;
    std::uint32_t size;
};

// FORMAT.md §3 and §5 (space-map root blob at 64 and 192).
const Expect kSuperblock[] = {
    {"", "csum", 0, 4},
    {"", "flags", 4, 4},
    {"", "blocknr", 8, 8},
    {"", "uuid", 16, 16},
    {"", "magic", 32, 8},
    {"", "version", 40, 4},
    {"", "time", 44, 4},
    {"", "trans_id", 48, 8},
    {"", "held_root", 56, 8},
    {"data_space_map_root", "nr_blocks", 64, 8},
    {"data_space_map_root", "nr_allocated", 72, 8},
    {"data_space_map_root", "bitmap_root", 80, 8},
    {"data_space_map_root", "ref_count_root", 88, 8},
    {"metadata_space_map_root", "nr_blocks", 192, 8},
    {"metadata_space_map_root", "nr_allocated", 200, 8},
    {"metadata_space_map_root", "bitmap_root", 208, 8},
    {"metadata_space_map_root", "ref_count_root", 216, 8},
    {"", "data_mapping_root", 320, 8},
    {"", "device_details_root", 328, 8},
    {"", "data_block_size", 336, 4},
    {"", "metadata_block_size", 340, 4},
    {"", "metadata_nr_blocks", 344, 8},
    {"", "compat_flags", 352, 4},
    {"", "compat_ro_flags", 356, 4},
    {"", "incompat_flags", 360, 4},
};

// FORMAT.md §4.
const Expect kNodeHeader[] = {{"", "csum", 0, 4},         {"", "flags", 4, 4},
                              {"", "blocknr", 8, 8},      {"", "nr_entries", 16, 4},
                              {"", "max_entries", 20, 4}, {"", "value_size", 24, 4},
                              {"", "padding", 28, 4}};

// FORMAT.md §5.
const Expect kBitmapHeader[] = {{"", "csum", 0, 4}, {"", "not_used", 4, 4}, {"", "blocknr", 8, 8}};

const std::uint8_t* blockAt(const std::vector<std::uint8_t>& img, std::uint64_t b) {
    return img.data() + b * kBlockSize;
}

std::uint64_t rawAt(const std::uint8_t* block, std::uint32_t offset, std::uint32_t size) {
    return size == 4 ? loadLe32(block + offset) : loadLe64(block + offset);
}

// Checks each expected field: present, at its offset, of its size, showing the raw value.
QString mismatch(const BlockLayout& layout, const std::uint8_t* block, const Expect* begin,
                 const Expect* end, std::uint64_t location) {
    for (const Expect* e = begin; e != end; ++e) {
        const BlockField* f = layout.find(e->name, e->group);
        const QString where =
            QStringLiteral("block %1 field %2 %3").arg(location).arg(e->group, e->name);
        if (!f) return where + QStringLiteral(" missing");
        if (f->offset != e->offset || f->size != e->size)
            return where + QStringLiteral(" at %1/%2, FORMAT.md says %3/%4")
                               .arg(f->offset)
                               .arg(f->size)
                               .arg(e->offset)
                               .arg(e->size);
        if (layout.fieldAt(e->offset) < 0 ||
            &layout.fields()[std::size_t(layout.fieldAt(e->offset))] != f)
            return where + QStringLiteral(": fieldAt(offset) finds another field");
        if ((e->size == 4 || e->size == 8) && QString::fromStdString(e->name) != "csum") {
            const QString raw = QString::number(rawAt(block, e->offset, e->size));
            if (!QString::fromStdString(f->value).startsWith(raw))
                return where + QStringLiteral(" shows %1, bytes hold %2")
                                   .arg(QString::fromStdString(f->value), raw);
        }
    }
    return {};
}

// Why the layout's fields are not disjoint and inside the block, or empty.
QString overlapOrEscape(const BlockLayout& l, std::uint64_t b) {
    std::vector<int> owner(kBlockSize, -1);
    for (std::size_t i = 0; i < l.fields().size(); ++i) {
        const BlockField& f = l.fields()[i];
        if (f.size == 0 || f.offset + f.size > kBlockSize)
            return QStringLiteral("block %1: field %2 leaves the block")
                .arg(b)
                .arg(QString::fromStdString(f.name));
        for (std::uint32_t o = f.offset; o < f.offset + f.size; ++o) {
            if (owner[o] >= 0)
                return QStringLiteral("block %1: fields overlap at %2").arg(b).arg(o);
            owner[o] = int(i);
            if (l.fieldAt(o) != int(i))
                return QStringLiteral("block %1: fieldAt(%2) misses its field").arg(b).arg(o);
        }
    }
    return {};
}

} // namespace

class TestBlockLayout : public QObject {
    Q_OBJECT
private slots:
    void superblockFieldsSitAtFormatOffsets() {
        for (const char* f : {"kernel/pool-b/metadata-msnap.img.zst", "tools/thin_large.bin.zst"}) {
            const auto img = test::fixtureBytes(QString::fromLatin1(f));
            const std::uint8_t* sb = blockAt(img, 0);
            QVERIFY(BlockLayout::detectType(sb) == BlockType::ThinSuperblock);
            const BlockLayout l = BlockLayout::describe(sb, BlockType::ThinSuperblock);
            const QString m = mismatch(l, sb, std::begin(kSuperblock), std::end(kSuperblock), 0);
            QVERIFY2(m.isEmpty(), qPrintable(m));
            // Nothing is left unnamed and nothing overlaps: every byte belongs to one field.
            std::uint32_t covered = 0;
            for (const BlockField& field : l.fields())
                covered += field.size;
            QCOMPARE(covered, std::uint32_t(kBlockSize));
        }
    }

    void nodeHeaderKeysAndValuesSitAtFormatOffsets() {
        const auto img = test::fixtureBytes(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst"));
        const std::uint64_t details = loadLe64(blockAt(img, 0) + 328);
        const std::uint8_t* node = blockAt(img, details);
        QVERIFY(BlockLayout::detectType(node) == BlockType::BtreeNode);
        const BlockLayout l =
            BlockLayout::describe(node, BlockType::BtreeNode, NodeValueKind::DeviceDetails);
        const QString m =
            mismatch(l, node, std::begin(kNodeHeader), std::end(kNodeHeader), details);
        QVERIFY2(m.isEmpty(), qPrintable(m));
        const std::uint32_t nr = loadLe32(node + 16);
        const std::uint32_t max = loadLe32(node + 20);
        QVERIFY2(nr > 1, "details leaf of the demo pool has devices");
        // Key i at 32 + 8i; value i (24 bytes: mapped_blocks, transaction_id, creation_time,
        // snapshotted_time) at 32 + 8*max + 24i.
        for (std::uint32_t i = 0; i < nr; ++i) {
            char slot[16];
            std::snprintf(slot, sizeof slot, "[%u]", i);
            const std::uint32_t v = 32 + 8 * max + 24 * i;
            const Expect entry[] = {{"", "key", 32 + 8 * i, 8},
                                    {"", "mapped_blocks", v, 8},
                                    {"", "transaction_id", v + 8, 8},
                                    {"", "creation_time", v + 16, 4},
                                    {"", "snapshotted_time", v + 20, 4}};
            const std::string keyGroup = std::string("key").append(slot);
            const std::string valueGroup = std::string("value").append(slot);
            Expect withGroups[5];
            for (int k = 0; k < 5; ++k) {
                withGroups[k] = entry[k];
                withGroups[k].group = k == 0 ? keyGroup.c_str() : valueGroup.c_str();
            }
            const QString em = mismatch(l, node, withGroups, withGroups + 5, details);
            QVERIFY2(em.isEmpty(), qPrintable(em));
        }
    }

    void bitmapHeaderAndIndexEntrySitAtFormatOffsets() {
        const auto img = test::fixtureBytes(QStringLiteral("tools/thin_large.bin.zst"));
        const std::uint64_t index = loadLe64(blockAt(img, 0) + 192 + 16);
        const std::uint8_t* ib = blockAt(img, index);
        QVERIFY(BlockLayout::detectType(ib) == BlockType::MetadataIndex);
        const BlockLayout il = BlockLayout::describe(ib, BlockType::MetadataIndex);
        // thin_large has 20000 metadata blocks: two index entries (FORMAT.md §5).
        for (std::uint32_t i = 0; i < 2; ++i) {
            char g[16];
            std::snprintf(g, sizeof g, "entry[%u]", i);
            const std::uint32_t at = 16 + 16 * i;
            const Expect entry[] = {{g, "blocknr", at, 8},
                                    {g, "nr_free", at + 8, 4},
                                    {g, "none_free_before", at + 12, 4}};
            const QString m = mismatch(il, ib, std::begin(entry), std::end(entry), index);
            QVERIFY2(m.isEmpty(), qPrintable(m));
        }
        QVERIFY2(il.find("blocknr", "entry[2]") == nullptr,
                 "entries beyond the used ones are zero");

        const std::uint64_t bitmap = loadLe64(ib + 16);
        const std::uint8_t* bb = blockAt(img, bitmap);
        QVERIFY(BlockLayout::detectType(bb) == BlockType::Bitmap);
        const BlockLayout bl = BlockLayout::describe(bb, BlockType::Bitmap);
        const QString m =
            mismatch(bl, bb, std::begin(kBitmapHeader), std::end(kBitmapHeader), bitmap);
        QVERIFY2(m.isEmpty(), qPrintable(m));
        // Entry e is in payload byte e/4; the first word's digits are entries 0..31.
        const BlockField* w0 = bl.find("entries 0..31");
        QVERIFY(w0 && w0->offset == 16 && w0->size == 8);
        for (std::uint32_t e = 0; e < 32; ++e) {
            const std::uint8_t byte = bb[16 + e / 4];
            const unsigned s = 2 * (e % 4);
            const unsigned count = (((byte >> s) & 1u) << 1) | ((byte >> (s + 1)) & 1u);
            QCOMPARE(w0->value[e] - '0', int(count));
        }
    }

    // Any bytes, read as any type: fields stay inside the block, never overlap, and fieldAt()
    // finds each field at each of its bytes.
    void everyBlockAsEveryTypeGivesDisjointFieldsInsideTheBlock() {
        const BlockType types[] = {BlockType::ThinSuperblock, BlockType::BtreeNode,
                                   BlockType::Bitmap,         BlockType::MetadataIndex,
                                   BlockType::ArrayBlock,     BlockType::CacheSuperblock,
                                   BlockType::EraSuperblock};
        for (const char* f : {"kernel/pool-b/metadata-msnap.img.zst", "tools/thin_small.bin.zst"}) {
            const auto img = test::fixtureBytes(QString::fromLatin1(f));
            for (std::uint64_t b = 0; b < img.size() / kBlockSize; ++b) {
                const std::uint8_t* block = blockAt(img, b);
                if (std::all_of(block, block + kBlockSize, [](std::uint8_t c) { return !c; }))
                    continue;
                for (BlockType t : types) {
                    const QString m = overlapOrEscape(BlockLayout::describe(block, t), b);
                    QVERIFY2(m.isEmpty(), qPrintable(m));
                }
            }
        }
    }

    void hostileNodeHeaderStaysInsideTheBlock() {
        std::vector<std::uint8_t> block(kBlockSize, 0xff);
        storeLe32(block.data() + 4, 2);  // LEAF
        storeLe32(block.data() + 24, 1); // value_size 1: 451 slots fit, max_entries says 2^32-1
        const BlockLayout l = BlockLayout::describe(block.data(), BlockType::BtreeNode);
        for (const BlockField& f : l.fields())
            QVERIFY2(f.offset + f.size <= kBlockSize, f.name.c_str());
        QVERIFY(l.find("key", "key[450]") != nullptr);
        QVERIFY(l.find("key", "key[451]") == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestBlockLayout)
#include "tst_blocklayout.moc"
