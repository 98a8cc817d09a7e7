// The block inspector: stored and computed checksums agree on good blocks of every type and
// differ on a corrupted one (values checked against FORMAT.md's crc32c and xor constants, not the
// core's), the self block number is checked against the location, the error line names the block,
// a clicked field highlights its bytes, a hovered byte names its field, and the selection is
// followed.

#include "core/Crc32c.h"
#include "core/Endian.h"
#include "core/thin/BlockClassifier.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"
#include "tests/support/Require.h"
#include "views/inspector/BlockInspector.h"
#include "views/inspector/HexView.h"

#include <QDir>
#include <QMouseEvent>
#include <QTest>
#include <QTreeWidget>

using namespace dms;

namespace {

const char* const kDemo = "kernel/pool-b/metadata-msnap.img.zst";

// FORMAT.md §2: crc32c of bytes 4..4095, register starting at 0xFFFFFFFF, no final inversion,
// xor the block type's constant.
std::uint32_t formatChecksum(const std::uint8_t* block, std::uint32_t typeXor) {
    return crc32cUpdate(0xFFFFFFFFu, block + 4, kBlockSize - 4) ^ typeXor;
}

std::shared_ptr<ThinPoolDocument> openBytes(const std::vector<std::uint8_t>& bytes) {
    auto doc = ThinPoolDocument::openSource(
        std::make_shared<MemoryBlockSource>(bytes, false, "image"), QStringLiteral("image"), false);
    return doc ? *doc : nullptr;
}

int fieldIndex(const BlockLayout& l, const std::string& name) {
    for (std::size_t i = 0; i < l.fields().size(); ++i)
        if (l.fields()[i].name == name) return int(i);
    return -1;
}

} // namespace

class TestBlockInspector : public QObject {
    Q_OBJECT
private slots:
    void goodBlocksOfEveryTypeHaveEqualChecksums() {
        const auto bytes = test::fixtureBytes(QString::fromLatin1(kDemo));
        auto doc = openBytes(bytes);
        QVERIFY(doc);
        const test::ImageLayout l = test::Corruptor(bytes).layout();
        struct Case {
            std::uint64_t block;
            BlockType type;
            std::uint32_t typeXor; // FORMAT.md §2
        };
        const Case cases[] = {{0, BlockType::ThinSuperblock, 160774},
                              {l.detailsRoot, BlockType::BtreeNode, 121107},
                              {l.bottomLeaf, BlockType::BtreeNode, 121107},
                              {l.metadataBitmap, BlockType::Bitmap, 240779},
                              {l.metadataIndex, BlockType::MetadataIndex, 160478},
                              {l.heldRoot, BlockType::ThinSuperblock, 160774}};
        BlockInspector w;
        w.setDocument(doc);
        for (const Case& c : cases) {
            w.showBlock(c.block);
            const std::uint8_t* b = bytes.data() + c.block * kBlockSize;
            const QString where = QStringLiteral("block %1").arg(c.block);
            QVERIFY2(w.currentBlock() == c.block, qPrintable(where));
            QVERIFY2(w.blockType() == c.type, qPrintable(where));
            QCOMPARE(w.storedChecksum(), loadLe32(b));
            QCOMPARE(w.computedChecksum(), formatChecksum(b, c.typeXor));
            QVERIFY2(w.checksumMatches(), qPrintable(where));
            QVERIFY2(w.blockNumberMatches(), qPrintable(where));
            QVERIFY2(w.errorText().isEmpty(), qPrintable(where + ": " + w.errorText()));
            QVERIFY2(!w.layout().fields().empty(), qPrintable(where));
        }
    }

    void corruptedBlockShowsDifferentChecksumsAndNamesTheBlock() {
        auto bytes = test::fixtureBytes(QString::fromLatin1(kDemo));
        test::Corruptor c(bytes);
        const std::uint64_t leaf = c.layout().bottomLeaf;
        c.flipBit(leaf, 700, 5);
        auto doc = openBytes(c.bytes());
        QVERIFY(doc);
        BlockInspector w;
        w.setDocument(doc);
        w.showBlock(leaf);
        const std::uint8_t* b = c.bytes().data() + leaf * kBlockSize;
        QCOMPARE(w.blockType(), BlockType::BtreeNode); // from the header, the checksum fails
        QCOMPARE(w.storedChecksum(), loadLe32(b));
        QCOMPARE(w.computedChecksum(), formatChecksum(b, 121107));
        QVERIFY(!w.checksumMatches());
        QVERIFY(w.blockNumberMatches());
        QVERIFY2(w.errorText().contains(QStringLiteral("block %1").arg(leaf)) &&
                     w.errorText().contains(QStringLiteral("checksum")),
                 qPrintable(w.errorText()));
    }

    void wrongSelfBlockNumberIsFlagged() {
        auto bytes = test::fixtureBytes(QString::fromLatin1(kDemo));
        test::Corruptor c(bytes);
        const std::uint64_t node = c.layout().detailsRoot;
        c.setU64(node, 8, node + 1);
        c.reseal(node, BlockType::BtreeNode);
        auto doc = openBytes(c.bytes());
        QVERIFY(doc);
        BlockInspector w;
        w.setDocument(doc);
        w.showBlock(node);
        QVERIFY(w.checksumMatches());
        QVERIFY(!w.blockNumberMatches());
        QVERIFY2(w.errorText().contains(QStringLiteral("blocknr")), qPrintable(w.errorText()));
    }

    void fieldsAndBytesPointAtEachOther() {
        auto doc = ThinPoolDocument::openDemo();
        REQUIRE_OK(doc);
        BlockInspector w;
        w.resize(1100, 700);
        w.setDocument(*doc);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showBlock((*doc)->superblock().deviceDetailsRoot);
        const int nr = fieldIndex(w.layout(), "nr_entries");
        QVERIFY(nr >= 0);
        QCOMPARE(w.layout().fields()[std::size_t(nr)].offset, 16u);

        // A field picked in the list highlights its bytes.
        w.selectField(nr);
        QCOMPARE(w.hexView()->highlightedField(), nr);
        QCOMPARE(w.fieldList()->currentItem()->text(0), QStringLiteral("nr_entries"));

        // Hovering byte 18 names nr_entries (offset 16, 4 bytes).
        HexView* hex = w.hexView();
        const QPoint at = hex->byteRect(18).center();
        QCOMPARE(hex->offsetAt(at), 18);
        QMouseEvent move(QEvent::MouseMove, at, hex->viewport()->mapToGlobal(at), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(hex->viewport(), &move);
        QCOMPARE(hex->hoveredField(), nr);

        // A clicked byte selects its field in the list: the blocknr field at offset 8.
        const int blocknr = fieldIndex(w.layout(), "blocknr");
        QTest::mouseClick(hex->viewport(), Qt::LeftButton, {}, hex->byteRect(9).center());
        QCOMPARE(hex->highlightedField(), blocknr);
        QCOMPARE(w.fieldList()->currentItem()->text(0), QStringLiteral("blocknr"));
    }

    void withABlockMapMappingValuesAreBlockTimes() {
        const auto bytes = test::fixtureBytes(QString::fromLatin1(kDemo));
        auto doc = openBytes(bytes);
        QVERIFY(doc);
        auto map = BlockClassifier(doc->metadata()).classify();
        REQUIRE_OK(map);
        BlockInspector w;
        w.setDocument(doc);
        w.setBlockMap(std::make_shared<const BlockMap>(std::move(*map)));
        const std::uint64_t leaf = test::Corruptor(bytes).layout().bottomLeaf;
        w.showBlock(leaf);
        const std::uint8_t* b = bytes.data() + leaf * kBlockSize;
        const std::uint32_t max = loadLe32(b + 20);
        const std::uint32_t nr = loadLe32(b + 16);
        QVERIFY(nr > 0);
        for (std::uint32_t i = 0; i < nr; ++i) {
            // FORMAT.md §7: value = data_block << 24 | time, little-endian: time in the low 3
            // bytes.
            const std::uint32_t at = 32 + 8 * max + 8 * i;
            const std::uint64_t v = loadLe64(b + at);
            const std::string g = "value[" + std::to_string(i) + "]";
            const BlockField* time = w.layout().find("time", g);
            const BlockField* data = w.layout().find("data_block", g);
            QVERIFY2(time && data, g.c_str());
            QCOMPARE(time->offset, at);
            QCOMPARE(data->offset, at + 3);
            QCOMPARE(time->value, std::to_string(v & 0xFFFFFF));
            QCOMPARE(data->value, std::to_string(v >> 24));
        }
    }

    void followsTheSelection() {
        auto doc = ThinPoolDocument::openDemo();
        REQUIRE_OK(doc);
        BlockSelection sel;
        BlockInspector w;
        w.setDocument(*doc);
        w.setSelection(&sel);
        QCOMPARE(w.currentBlock(), std::optional<std::uint64_t>(0));
        const std::uint64_t root = (*doc)->superblock().dataMappingRoot;
        sel.select(BlockRef::metadata(root));
        QCOMPARE(w.currentBlock(), std::optional<std::uint64_t>(root));
        sel.select(BlockRef::data(3)); // not a metadata block: stays
        QCOMPARE(w.currentBlock(), std::optional<std::uint64_t>(root));
        w.setDocument(nullptr);
        QVERIFY(!w.currentBlock());
    }

    void rendersOnTheDemoPool() {
        auto doc = ThinPoolDocument::openDemo();
        REQUIRE_OK(doc);
        BlockInspector w;
        w.resize(1200, 720);
        w.setDocument(*doc);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showBlock((*doc)->superblock().deviceDetailsRoot);
        w.selectField(fieldIndex(w.layout(), "max_entries"));
        const QImage img = w.grab().toImage();
        QVERIFY(!img.isNull());
        if (const QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QVERIFY(img.save(QDir(dir).filePath(QStringLiteral("block-inspector.png"))));
            w.showBlock(0);
            QVERIFY(w.grab().toImage().save(
                QDir(dir).filePath(QStringLiteral("block-inspector-sb.png"))));
            QPalette dark;
            dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
            dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::PlaceholderText, QColor(0x80, 0x80, 0x80));
            dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
            dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            w.setPalette(dark);
            auto map = BlockClassifier((*doc)->metadata()).classify();
            REQUIRE_OK(map);
            w.setBlockMap(std::make_shared<const BlockMap>(std::move(*map)));
            w.showBlock(test::Corruptor(test::fixtureBytes(QString::fromLatin1(kDemo)))
                            .layout()
                            .bottomLeaf);
            w.selectField(fieldIndex(w.layout(), "nr_entries"));
            QVERIFY(w.grab().toImage().save(
                QDir(dir).filePath(QStringLiteral("block-inspector-dark.png"))));
        }
    }
};

QTEST_MAIN(TestBlockInspector)
#include "tst_blockinspector.moc"
