// The dump viewer (views/dump/DumpView, models/dump/DumpStream): the text it holds once loaded is
// `dmscope-cli dump`'s output byte for byte in both formats and is highlighted; it loads lazily
// (a chunk ahead of what is shown), a search forward past the loaded text loads on until found,
// and a jump from a line selects the mapping's data block or the device's mapping-tree root.

#include "core/thin/MetadataStats.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "models/dump/DumpLineTarget.h"
#include "models/dump/DumpStream.h"
#include "tests/support/Fixtures.h"
#include "views/dump/DumpView.h"

#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <map>

using namespace dms;
using namespace dms::test;

namespace {

std::shared_ptr<ThinPoolDocument> openFixture(const QString& rel) {
    auto doc = ThinPoolDocument::openSource(fixtureSource(rel), rel, false);
    if (!doc) qFatal("%s: %s", qPrintable(rel), doc.error().describe().c_str());
    return *doc;
}

bool waitUntil(const std::function<bool()>& done, int ms = 20000) {
    for (int waited = 0; !done() && waited < ms; waited += 20)
        QTest::qWait(20);
    return done();
}

const char* const kFixtures[] = {"kernel/pool-b/metadata-msnap.img.zst",
                                 "tools/thin_large.bin.zst"};

} // namespace

class TestDumpView : public QObject {
    Q_OBJECT

private slots:
    void loadedTextEqualsCliDumpAndIsHighlighted_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("human");
        for (const char* f : kFixtures) {
            QTest::addRow("%s xml", f) << QString::fromLatin1(f) << false;
            QTest::addRow("%s human", f) << QString::fromLatin1(f) << true;
        }
    }

    void loadedTextEqualsCliDumpAndIsHighlighted() {
        QFETCH(QString, fixture);
        QFETCH(bool, human);
        const QString img = writeTempFile(QStringLiteral("dump.img"), fixtureBytes(fixture));
        QStringList args{QStringLiteral("dump"), img};
        if (human) args << QStringLiteral("--format") << QStringLiteral("human_readable");
        const auto cli = runCli(args);
        QCOMPARE(cli.exitCode, 0);

        DumpView view;
        view.setChunkLines(300);
        view.setFormat(human ? ThinDumpFormat::HumanReadable : ThinDumpFormat::Xml);
        view.setDocument(openFixture(fixture));
        view.loadAll();
        QVERIFY(waitUntil([&] { return view.isComplete(); }));
        QCOMPARE(view.loadError(), QString());
        QCOMPARE(view.textEdit()->toPlainText(), QString::fromUtf8(cli.out));
        QCOMPARE(view.loadedLines(), qint64(cli.out.count('\n')));

        // Highlighted: the second line (a device) carries formats, one of them bold.
        const QTextBlock device = view.textEdit()->document()->findBlockByNumber(1);
        const auto formats = device.layout()->formats();
        QVERIFY2(formats.size() >= (human ? 2 : 3), qPrintable(device.text()));
        bool bold = false;
        for (const auto& f : formats)
            bold = bold || f.format.fontWeight() == QFont::Bold;
        QVERIFY2(bold, qPrintable(device.text()));
    }

    void streamRunsOnlyAsFarAsAsked() {
        auto doc = openFixture(QStringLiteral("tools/thin_large.bin.zst"));
        DumpStream stream;
        QSignalSpy chunks(&stream, &DumpStream::chunkReady);
        stream.start(doc, ThinDumpFormat::Xml, 2, 100);
        QVERIFY(waitUntil([&] { return chunks.size() >= 2; }));
        QTest::qWait(200); // it would have run on by now
        QCOMPARE(chunks.size(), 2);
        QCOMPARE(stream.linesDelivered(), 200);
        QVERIFY(!stream.isFinished());
        stream.requestMore(3);
        QVERIFY(waitUntil([&] { return chunks.size() >= 5; }));
        QTest::qWait(200);
        QCOMPARE(chunks.size(), 5);
        QCOMPARE(stream.linesDelivered(), 500);
        stream.cancel();
        QVERIFY(!stream.isFinished());
    }

    void searchPastTheLoadedTextLoadsOnUntilFound() {
        auto doc = openFixture(QStringLiteral("tools/thin_large.bin.zst"));
        DumpView view;
        view.setChunkLines(200);
        view.resize(800, 400);
        view.setDocument(doc);
        QVERIFY(waitUntil([&] { return view.loadedLines() >= 400; }));
        QTest::qWait(100);
        QVERIFY2(view.loadedLines() < 2209, "loads lazily");
        QVERIFY(!view.isComplete());
        // The superblock's closing line is the dump's last.
        QSignalSpy done(&view, &DumpView::searchFinished);
        QVERIFY(!view.find(QStringLiteral("</superblock>")));
        QVERIFY(waitUntil([&] { return !done.isEmpty(); }));
        QCOMPARE(done.first().first().toBool(), true);
        QCOMPARE(view.textEdit()->textCursor().selectedText(), QStringLiteral("</superblock>"));
        QCOMPARE(view.textEdit()->textCursor().blockNumber(), 2208);
        // Backward finds the earlier occurrence; an absent text is reported as not found.
        QVERIFY(view.find(QStringLiteral("<device dev_id"), true));
        done.clear();
        QVERIFY(!view.find(QStringLiteral("no such text")));
        QVERIFY(waitUntil([&] { return !done.isEmpty(); }));
        QCOMPARE(done.first().first().toBool(), false);
    }

    void jumpsSelectTheMappingsDataBlockAndTheDevicesTree_data() {
        QTest::addColumn<bool>("human");
        QTest::addRow("xml") << false;
        QTest::addRow("human") << true;
    }

    void jumpsSelectTheMappingsDataBlockAndTheDevicesTree() {
        QFETCH(bool, human);
        auto doc = openFixture(QStringLiteral("kernel/pool-b/metadata-msnap.img.zst"));
        const MetadataStats stats = MetadataStats::compute(doc->metadata(), doc->superblock());
        std::map<std::uint64_t, std::uint64_t> roots;
        for (const auto& d : stats.devices)
            roots[d.id] = d.tree.root;
        BlockSelection selection;
        DumpView view;
        view.setSelection(&selection);
        view.setFormat(human ? ThinDumpFormat::HumanReadable : ThinDumpFormat::Xml);
        view.setDocument(doc);
        view.loadAll();
        QVERIFY(waitUntil([&] { return view.isComplete(); }));
        std::uint64_t device = 0;
        std::map<std::uint64_t, std::uint64_t> mappings; // of the current device: vblock -> data
        int devices = 0, jumps = 0;
        const QTextDocument* text = view.textEdit()->document();
        for (int line = 0; line < text->blockCount(); ++line) {
            const QString s = text->findBlockByNumber(line).text();
            const auto target = DumpLineTarget::parse(s);
            const auto ref = view.jumpFromLine(line);
            QCOMPARE(ref.has_value(), target.has_value());
            if (!ref) continue;
            QCOMPARE(selection.current(), ref);
            ++jumps;
            if (target->kind == DumpLineTarget::Kind::Device) {
                device = target->value;
                QVERIFY2(ref->isMetadata() && ref->block == roots.at(device),
                         qPrintable(s + " -> " + ref->describe()));
                mappings.clear();
                Status st = doc->metadata().forEachMapping(
                    roots.at(device),
                    [&](std::uint64_t v, BlockTime bt) { mappings[v] = bt.dataBlock; });
                QVERIFY(st.ok());
                ++devices;
                continue;
            }
            // The mapping's first virtual block maps to the selected data block.
            static const QRegularExpression origin(
                QStringLiteral(R"re(origin_b\w+="(\d+)"|^\s+\(?(\d+))re"));
            const auto m = origin.match(s);
            QVERIFY2(m.hasMatch(), qPrintable(s));
            const std::uint64_t vblock =
                (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)).toULongLong();
            QVERIFY2(
                !ref->isMetadata() && mappings.at(vblock) == ref->block,
                qPrintable(QStringLiteral("dev %1: %2 -> %3").arg(device).arg(s, ref->describe())));
        }
        QCOMPARE(devices, int(stats.devices.size()));
        QVERIFY(jumps > devices * 2);
    }
};

QTEST_MAIN(TestDumpView)
#include "tst_dumpview.moc"
