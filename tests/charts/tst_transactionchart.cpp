// The transactions chart from a history made by `dmscope-cli edit --save-history` on a copy of
// the demo pool (one commit per run, a state file kept after each): every state of the history
// is the image as it was after that run, the CSV's free counts equal `dmscope-cli stats --json`
// of each state file, each format is a real file, the threshold of an edit session's commits is
// drawn, a run with a commit inside records two transactions, and bad histories are refused with
// exit 1 and a message (no crash).

#include "models/DemoPool.h"
#include "models/charts/ChartBuilder.h"
#include "models/edit/EditSession.h"
#include "tests/support/Fixtures.h"
#include "views/charts/ChartExporter.h"

#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QXmlStreamReader>
#include <zstd.h>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");
// One edit run each: the history's transactions 1..4.
const QList<QStringList> kRuns = {{"create-snap", "10", "1"},
                                  {"create-thin", "20"},
                                  {"map", "20", "0", "600", "50"},
                                  {"delete", "2"}};

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

bool writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QList<QStringList> csvRows(const QByteArray& bytes) {
    QList<QStringList> rows;
    for (const QString& line :
         QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        rows << line.split(QLatin1Char(','));
    return rows;
}

QByteArray bytesOf(const BlockSource& s) {
    QByteArray out(qsizetype(s.blockCount() * kBlockSize), Qt::Uninitialized);
    for (std::uint64_t b = 0; b < s.blockCount(); ++b)
        if (!s.read(b, reinterpret_cast<std::uint8_t*>(out.data()) + b * kBlockSize)) return {};
    return out;
}

QByteArray zstdFrame(const QByteArray& raw) {
    QByteArray packed(qsizetype(ZSTD_compressBound(std::size_t(raw.size()))), Qt::Uninitialized);
    const std::size_t n = ZSTD_compress(packed.data(), std::size_t(packed.size()), raw.constData(),
                                        std::size_t(raw.size()), 1);
    packed.resize(qsizetype(n));
    return packed;
}

} // namespace

class TestTransactionChart : public QObject {
    Q_OBJECT

private:
    QString history_;
    QStringList states_; // state k's image file, k = 0..kRuns.size()

    QString out(const QString& name) const { return tempDir() + QLatin1Char('/') + name; }

private slots:
    void initTestCase() {
        const QString image = writeTempFile(QStringLiteral("edited.img"), fixtureBytes(kDemo));
        history_ = out(QStringLiteral("demo.dmshist"));
        states_ << writeTempFile(QStringLiteral("state-0.img"), fixtureBytes(kDemo));
        for (qsizetype i = 0; i < kRuns.size(); ++i) {
            auto r = runCli(QStringList{"edit", image, "--save-history", history_} + kRuns[i]);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            states_ << out(QStringLiteral("state-%1.img").arg(i + 1));
            QVERIFY(writeBytes(states_.last(), readAll(image)));
        }
    }

    void everyStateOfTheSavedHistoryIsTheImageAfterThatRun() {
        auto h = TransactionHistory::load(history_);
        QVERIFY2(h, h ? "" : h.error().describe().c_str());
        QCOMPARE(h->size(), int(kRuns.size()));
        QVERIFY(h->image());
        for (int k = 0; k <= h->size(); ++k) {
            auto st = h->stateAt(k, h->image());
            QVERIFY(st);
            QVERIFY2(bytesOf(**st) == readAll(states_[k]),
                     qPrintable(QStringLiteral("state %1").arg(k)));
            if (k > 0) QCOMPARE(h->at(k - 1).commands.join(' '), kRuns[k - 1].join(' '));
        }
    }

    void csvFreeCountsEqualStatsJsonOfEachState() {
        const QString csv = out(QStringLiteral("tx.csv"));
        auto r = runCli({"chart", "transactions", history_, "-o", csv});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto rows = csvRows(readAll(csv));
        QCOMPARE(rows.value(0),
                 (QStringList{"transaction", "free metadata blocks", "free data blocks"}));
        QCOMPARE(rows.size(), states_.size() + 1);
        bool changed = false;
        for (qsizetype k = 0; k < states_.size(); ++k) {
            auto s = runCli({"stats", states_[k], "--json"});
            QVERIFY2(s.exitCode == 0, s.err.constData());
            const QJsonObject stats = QJsonDocument::fromJson(s.out).object();
            const auto freeOf = [&](const char* map) {
                return QString::number(
                    stats[map].toObject()["free_runs"].toObject()["free_blocks"].toInteger());
            };
            const QStringList expected{QString::number(k), freeOf("metadata_space_map"),
                                       freeOf("data_space_map")};
            QVERIFY2(rows[k + 1] == expected,
                     qPrintable(QStringLiteral("state %1: chart %2, stats %3")
                                    .arg(k)
                                    .arg(rows[k + 1].join(','), expected.join(','))));
            if (k > 0 && rows[k + 1].mid(1) != rows[k].mid(1)) changed = true;
        }
        QVERIFY2(changed, "the edits change the free counts");
    }

    void everyFormatIsARealFile() {
        auto h = TransactionHistory::load(history_);
        QVERIFY(h);
        const ChartData data =
            buildTransactionsChart(TransactionFigures::compute(*h, h->image(), history_));
        QCOMPARE(data.series.size(), 2); // no threshold was set from the command line
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString file = out(QStringLiteral("tx.%1").arg(QLatin1String(suffix)));
            auto r = runCli({"chart", "transactions", history_, "-o", file, "--dpi", "144"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QByteArray bytes = readAll(file);
            if (QLatin1String(suffix) == QLatin1String("png")) {
                QImage img;
                QVERIFY(img.loadFromData(bytes, "PNG"));
                QCOMPARE(img.size(), QSize(900 * 144 / 96, 560 * 144 / 96));
                QSet<QRgb> colours;
                for (int y = 0; y < img.height(); y += 2)
                    for (int x = 0; x < img.width(); x += 2)
                        colours.insert(img.pixel(x, y));
                QVERIFY2(colours.size() >= 30, qPrintable(QString::number(colours.size())));
            } else if (QLatin1String(suffix) == QLatin1String("svg")) {
                QXmlStreamReader xml(bytes);
                QString text, desc, element;
                while (!xml.atEnd()) {
                    xml.readNext();
                    if (xml.isStartElement()) element = xml.name().toString();
                    if (xml.isCharacters())
                        (element == QLatin1String("desc") ? desc : text) += xml.text();
                }
                QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
                QCOMPARE(desc.trimmed(), data.toCsv().trimmed());
                for (const auto& s : data.series)
                    QVERIFY2(text.contains(s.name), qPrintable(s.name));
                // One polyline per line series, with a point per state.
                QVERIFY(bytes.count("<polyline") >= 2);
            } else {
                QVERIFY(bytes.startsWith("%PDF-"));
                QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
            }
        }
    }

    void theSessionsThresholdIsDrawnAsALine() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto made = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
        QVERIFY(made);
        EditSession& s = **made;
        QVERIFY(s.setThreshold(2000));
        QVERIFY(s.add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s.commit());
        QVERIFY(s.add(EditOperation::provision(100, 4000)));
        QVERIFY(s.commit());
        QVERIFY(s.setThreshold(2010));
        QVERIFY(s.add(EditOperation::createThin(200)));
        QVERIFY(s.add(EditOperation::map(200, 0, 700, 64)));
        QVERIFY(s.commit());
        QVERIFY(s.add(EditOperation::deleteDevice(2)));
        QVERIFY(s.commit());
        const QString file = out(QStringLiteral("threshold.dmshist"));
        QVERIFY(s.history().save(file, s.committedSource().get()));
        const QString csv = out(QStringLiteral("threshold.csv"));
        auto r = runCli({"chart", "transactions", file, "-o", csv});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto rows = csvRows(readAll(csv));
        QCOMPARE(rows.value(0).value(3), QStringLiteral("metadata threshold"));
        QCOMPARE(rows.size(), 6);
        // State 0 takes the first commit's threshold, each later state its commit's.
        for (const auto& [row, threshold] :
             {std::pair{1, "2000"}, std::pair{2, "2000"}, std::pair{3, "2000"},
              std::pair{4, "2010"}, std::pair{5, "2010"}})
            QVERIFY2(rows[row].value(3) == QLatin1String(threshold),
                     qPrintable(rows[row].join(',')));
        // The pictures in docs/screenshots/charts come from this history.
        const QString shots = qEnvironmentVariable("DMSCOPE_TXCHART_DOCS");
        if (!shots.isEmpty()) {
            QCOMPARE(
                runCli({"chart", "transactions", file, "-o", shots + "/transactions.png"}).exitCode,
                0);
            QCOMPARE(
                runCli({"frames", file, "-o", shots + "/frames", "--size", "720x400"}).exitCode, 0);
        }
    }

    void aRunWithACommitInsideRecordsTwoTransactions() {
        const QString image = writeTempFile(QStringLiteral("two.img"), fixtureBytes(kDemo));
        const QString file = out(QStringLiteral("two.dmshist"));
        auto r = runCli({"edit", image, "--save-history", file, "create-thin", "30", "commit",
                         "create-thin", "31"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto h = TransactionHistory::load(file);
        QVERIFY(h);
        QCOMPARE(h->size(), 2);
        QCOMPARE(h->at(0).commands, (QStringList{"create-thin 30", "commit"}));
        QCOMPARE(h->at(1).commands, (QStringList{"create-thin 31"}));
        auto st0 = h->stateAt(0, h->image());
        QVERIFY(st0);
        QVERIFY(bytesOf(**st0) ==
                QByteArray(reinterpret_cast<const char*>(fixtureBytes(kDemo).data()),
                           qsizetype(fixtureBytes(kDemo).size())));
        QVERIFY(bytesOf(*h->image()) == readAll(image));
        // Appending to a history that ends elsewhere is refused, the file left as it was.
        const QByteArray before = readAll(file);
        const QString other = writeTempFile(QStringLiteral("other.img"), fixtureBytes(kDemo));
        auto refused = runCli({"edit", other, "--save-history", file, "create-thin", "40"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("does not end at the image's current state"),
                 refused.err.constData());
        QVERIFY(readAll(file) == before);
        QVERIFY(readAll(other) ==
                readAll(writeTempFile(QStringLiteral("demo-again.img"), fixtureBytes(kDemo))));
    }

    void badHistoriesAreRefusedWithExitOne_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const QByteArray good = readAll(history_);
        QTest::newRow("truncated") << good.left(good.size() / 2) << QStringLiteral("decompress");
        QTest::newRow("not zstd") << QByteArray(5000, 'x') << QStringLiteral("zstd");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("zstd");
        const QByteArray metadata = readAll(states_[0]);
        QTest::newRow("an image") << metadata << QStringLiteral("zstd");
        // magic, index length (little endian), index, then `tail` zero bytes.
        auto raw = [](const char* magic, const QByteArray& index, qsizetype tail,
                      quint64 claimed = ~0ull) {
            const quint64 length = claimed == ~0ull ? quint64(index.size()) : claimed;
            QByteArray len(8, '\0');
            for (int i = 0; i < 8; ++i)
                len[i] = char((length >> (8 * i)) & 0xff);
            return QByteArray(magic, 8) + len + index + QByteArray(tail, '\0');
        };
        QTest::newRow("bad magic")
            << zstdFrame(raw("DMSHISTX", R"({"format":2,"image_blocks":0,"transactions":[]})", 0))
            << QStringLiteral("bad magic");
        QTest::newRow("index beyond the end")
            << zstdFrame(raw("DMSHIST2", "{}", 0, 1000)) << QStringLiteral("index length");
        QTest::newRow("image ends early")
            << zstdFrame(
                   raw("DMSHIST2", R"({"format":2,"image_blocks":2,"transactions":[]})", 4096))
            << QStringLiteral("ends early");
        QTest::newRow("bad block number")
            << zstdFrame(raw("DMSHIST2",
                             R"({"format":2,"image_blocks":0,"transactions":[{"blocks":[-3]}]})",
                             8192))
            << QStringLiteral("bad block number");
        QTest::newRow("format 1 has no image")
            << zstdFrame(raw("DMSHIST1", R"({"format":1,"transactions":[]})", 0))
            << QStringLiteral("no metadata image");
    }

    void badHistoriesAreRefusedWithExitOne() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString file = out(QStringLiteral("bad.dmshist"));
        QVERIFY(writeBytes(file, bytes));
        for (const QStringList& args :
             {QStringList{"chart", "transactions", file, "-o", out(QStringLiteral("bad.png"))},
              QStringList{"frames", file, "-o", out(QStringLiteral("bad-frames"))}}) {
            auto r = runCli(args);
            QVERIFY2(!r.crashed && !r.timedOut, qPrintable(args.join(' ')));
            QCOMPARE(r.exitCode, 1);
            const QString err = QString::fromUtf8(r.err).trimmed();
            QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
            QVERIFY2(err.contains(message) && err.contains(file), qPrintable(err));
        }
    }
};

QTEST_MAIN(TestTransactionChart)
#include "tst_transactionchart.moc"
