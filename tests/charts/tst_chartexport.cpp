// `dmscope-cli chart` and ChartExporter on the demo pool: every chart's CSV equals the figures of
// `dmscope-cli stats --json` (bitmap-free: the space maps' index entries), and every chart in
// every format is a real file: the PNG decodes at the size asked for and is not blank, the SVG
// parses and names its series (and carries the CSV), the PDF has one page.

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "models/charts/ChartBuilder.h"
#include "tests/support/Fixtures.h"
#include "views/charts/ChartExporter.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

struct Csv {
    QStringList header;
    QList<QStringList> rows;
    // The value in column `series` of the row whose first field is `category`.
    std::optional<double> value(const QString& category, const QString& series) const {
        const qsizetype col = header.indexOf(series);
        if (col < 0) return std::nullopt;
        for (const auto& r : rows)
            if (r.value(0) == category && col < r.size() && !r[col].isEmpty())
                return r[col].toDouble();
        return std::nullopt;
    }
};

Csv parseCsv(const QByteArray& bytes) {
    Csv csv;
    const QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty()) return csv;
    csv.header = lines[0].split(QLatin1Char(','));
    for (qsizetype i = 1; i < lines.size(); ++i)
        csv.rows << lines[i].split(QLatin1Char(','));
    return csv;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

int distinctColours(const QImage& img) {
    QSet<QRgb> seen;
    for (int y = 0; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2)
            seen.insert(img.pixel(x, y));
    return int(seen.size());
}

} // namespace

class TestChartExport : public QObject {
    Q_OBJECT

private:
    QString image_;
    QJsonObject stats_;
    std::shared_ptr<ThinMetadata> md_;

    Csv chartCsv(const QString& kind, const QStringList& extra = {}) {
        const QString out = tempDir() + QStringLiteral("/%1.csv").arg(kind);
        auto r = runCli(
            QStringList{QStringLiteral("chart"), kind, image_, QStringLiteral("-o"), out} + extra);
        if (r.exitCode != 0) qWarning("chart %s: %s", qPrintable(kind), r.err.constData());
        return parseCsv(readAll(out));
    }

private slots:
    void initTestCase() {
        image_ = writeTempFile(QStringLiteral("demo.img"), fixtureBytes(kDemo));
        auto r = runCli({QStringLiteral("stats"), image_, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        stats_ = QJsonDocument::fromJson(r.out).object();
        QVERIFY(!stats_.isEmpty());
        auto md = ThinMetadata::open(fixtureSource(kDemo));
        QVERIFY(md.ok());
        md_ = *md;
    }

    void refcountsCsvEqualsStatsJson() {
        const Csv csv = chartCsv(QStringLiteral("refcounts"));
        QCOMPARE(csv.header, (QStringList{"count", "metadata blocks", "data blocks"}));
        int compared = 0;
        for (const auto& [key, column] : {std::pair{"metadata_space_map", "metadata blocks"},
                                          std::pair{"data_space_map", "data blocks"}}) {
            double total = 0;
            for (const auto& e : stats_[key].toObject()["refcounts"].toArray()) {
                const auto o = e.toObject();
                const QString count = QString::number(o["count"].toInteger());
                QCOMPARE(csv.value(count, column), std::optional<double>(o["blocks"].toDouble()));
                total += o["blocks"].toDouble();
                ++compared;
            }
            // Counts only the other space map has are 0 here: the column still sums to nr_blocks.
            double sum = 0;
            for (const auto& row : csv.rows)
                sum += csv.value(row[0], column).value_or(-1e18);
            QCOMPARE(sum, stats_[key].toObject()["nr_blocks"].toDouble());
            QCOMPARE(total, sum);
        }
        QVERIFY2(compared >= 4, "the demo pool has several reference counts in each map");
    }

    void bitmapFreeCsvEqualsIndexEntries() {
        const Csv csv = chartCsv(QStringLiteral("bitmap-free"));
        QCOMPARE(csv.header, (QStringList{"bitmap", "metadata", "data"}));
        const auto& sb = md_->superblock();
        for (const auto& [root, kind, column] :
             {std::tuple{sb.metadataSpaceMap, SpaceMapKind::Metadata, "metadata"},
              std::tuple{sb.dataSpaceMap, SpaceMapKind::Data, "data"}}) {
            auto sm = SpaceMapReader::open(md_->reader(), root, kind);
            QVERIFY(sm.ok());
            const auto& entries = sm->indexEntries();
            QVERIFY(!entries.empty());
            for (std::size_t i = 0; i < entries.size(); ++i)
                QVERIFY2(csv.value(QString::number(i), column) == double(entries[i].nrFree),
                         qPrintable(QStringLiteral("%1 bitmap %2 (block %3)")
                                        .arg(column)
                                        .arg(i)
                                        .arg(entries[i].blocknr)));
            // No bitmap beyond the index: the column is blank there.
            QVERIFY(!csv.value(QString::number(entries.size()), column));
        }
    }

    void devicesCsvEqualsStatsJson() {
        const Csv csv = chartCsv(QStringLiteral("devices"));
        QCOMPARE(csv.header, (QStringList{"device", "exclusive", "shared", "mapped_blocks"}));
        const QJsonArray devices = stats_["devices"].toArray();
        QVERIFY(devices.size() >= 2);
        QCOMPARE(csv.rows.size(), devices.size());
        for (const auto& d : devices) {
            const auto o = d.toObject();
            const QString id = QString::number(o["id"].toInteger());
            for (const char* field : {"exclusive", "shared", "mapped_blocks"})
                QVERIFY2(csv.value(id, field) == o[field].toDouble(),
                         qPrintable(QStringLiteral("dev %1 %2").arg(id, field)));
        }
    }

    void freeRunsCsvEqualsStatsJson() {
        const Csv csv = chartCsv(QStringLiteral("free-runs"));
        QCOMPARE(csv.header, (QStringList{"length", "metadata runs", "data runs"}));
        for (const auto& [key, column] : {std::pair{"metadata_space_map", "metadata runs"},
                                          std::pair{"data_space_map", "data runs"}}) {
            const auto buckets =
                stats_[key].toObject()["free_runs"].toObject()["buckets"].toArray();
            QVERIFY(!buckets.isEmpty());
            for (const auto& b : buckets) {
                const auto o = b.toObject();
                const qint64 lo = o["min"].toInteger(), hi = o["max"].toInteger();
                const QString label =
                    lo == hi ? QString::number(lo) : QStringLiteral("%1-%2").arg(lo).arg(hi);
                QVERIFY2(csv.value(label, column) == o["runs"].toDouble(),
                         qPrintable(QStringLiteral("%1 bucket %2").arg(column, label)));
            }
            for (qsizetype r = buckets.size(); r < csv.rows.size(); ++r)
                QCOMPARE(csv.value(csv.rows[r][0], column), std::optional<double>(0));
        }
    }

    void btreeFillCsvEqualsStatsJson() {
        const Csv csv = chartCsv(QStringLiteral("btree-fill"));
        QCOMPARE(csv.header, (QStringList{"tree", "leaf fill %", "internal fill %", "levels"}));
        auto check = [&](const QString& row, const QJsonObject& t) {
            QVERIFY2(csv.value(row, "leaf fill %") == t["leaf_fill"].toObject()["avg"].toDouble(),
                     qPrintable(row));
            QVERIFY2(csv.value(row, "internal fill %") ==
                         t["internal_fill"].toObject()["avg"].toDouble(),
                     qPrintable(row));
            QVERIFY2(csv.value(row, "levels") == t["levels"].toDouble(), qPrintable(row));
        };
        const QJsonArray trees = stats_["trees"].toArray();
        const QJsonArray devices = stats_["devices"].toArray();
        QCOMPARE(csv.rows.size(), trees.size() + devices.size());
        for (const auto& t : trees)
            check(t.toObject()["name"].toString(), t.toObject());
        for (const auto& d : devices)
            check(QStringLiteral("dev %1").arg(d.toObject()["id"].toInteger()), d.toObject());
    }

    void mappingTimeCsvEqualsStatsJson() {
        const Csv csv = chartCsv(QStringLiteral("mapping-time"));
        QCOMPARE(csv.header, (QStringList{"time", "mappings (all devices)"}));
        const QJsonArray times = stats_["mapping_times"].toArray();
        QVERIFY(times.size() >= 2);
        QCOMPARE(csv.rows.size(), times.size());
        for (const auto& t : times) {
            const auto o = t.toObject();
            QCOMPARE(csv.value(QString::number(o["time"].toInteger()), "mappings (all devices)"),
                     std::optional<double>(o["mappings"].toDouble()));
        }
    }

    void mappingTimeOfOneDeviceSumsToItsMappings() {
        for (const auto& d : stats_["devices"].toArray()) {
            const auto o = d.toObject();
            const QString id = QString::number(o["id"].toInteger());
            const Csv csv = chartCsv(QStringLiteral("mapping-time"), {"--device", id});
            const QString column = QStringLiteral("mappings of dev %1").arg(id);
            QCOMPARE(csv.header.value(1), column);
            double sum = 0;
            for (const auto& row : csv.rows) {
                sum += csv.value(row[0], column).value_or(0);
                QVERIFY2(row[0].toLongLong() <= stats_["time"].toInteger(), qPrintable(row[0]));
            }
            QVERIFY2(sum == o["mappings"].toDouble(), qPrintable("dev " + id));
        }
    }

    void everyChartInEveryFormat_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("suffix");
        for (ChartKind k : allChartKinds())
            for (const char* suffix : {"png", "svg", "pdf", "csv"})
                QTest::addRow("%s.%s", qPrintable(chartKindName(k)), suffix)
                    << chartKindName(k) << QString::fromLatin1(suffix);
    }

    void everyChartInEveryFormat() {
        QFETCH(QString, kind);
        QFETCH(QString, suffix);
        const QString out = tempDir() + QStringLiteral("/every-%1.%2").arg(kind, suffix);
        const int dpi = 144;
        auto r = runCli({QStringLiteral("chart"), kind, image_, QStringLiteral("-o"), out,
                         QStringLiteral("--dpi"), QString::number(dpi)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray bytes = readAll(out);
        QVERIFY2(!bytes.isEmpty(), qPrintable(out));
        // The same chart in-process: its series names must show in the SVG.
        auto md = md_;
        const ChartInputs in = ChartInputs::compute(*md, md->superblock(), image_);
        const ChartData data = buildChart(*chartKindFromName(kind), in);
        if (suffix == QLatin1String("png")) {
            QImage img;
            QVERIFY(img.loadFromData(bytes, "PNG"));
            QCOMPARE(img.size(), QSize(900 * dpi / 96, 560 * dpi / 96));
            const int colours = distinctColours(img);
            QVERIFY2(colours >= 30, qPrintable(QStringLiteral("%1 colours").arg(colours)));
        } else if (suffix == QLatin1String("svg")) {
            QXmlStreamReader xml(bytes);
            QString text, desc;
            QString element;
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
            QVERIFY2(text.contains(data.categories.value(0)), "the first category's label");
        } else if (suffix == QLatin1String("pdf")) {
            QVERIFY(bytes.startsWith("%PDF-"));
            QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page "), 1);
            const QString pdfinfo = QStandardPaths::findExecutable(QStringLiteral("pdfinfo"));
            if (!pdfinfo.isEmpty()) {
                auto info = runProgram(pdfinfo, {out});
                QCOMPARE(info.exitCode, 0);
                QVERIFY2(QString::fromUtf8(info.out).contains(QRegularExpression(
                             QStringLiteral("^Pages: +1$"), QRegularExpression::MultilineOption)),
                         info.out.constData());
            }
        } else {
            QCOMPARE(QString::fromUtf8(bytes), data.toCsv());
        }
    }

    void pngSizeFollowsDpi() {
        auto md = md_;
        const ChartInputs in = ChartInputs::compute(*md, md->superblock(), QStringLiteral("demo"));
        const ChartData data = buildChart(ChartKind::Devices, in);
        ChartExporter::Options o;
        o.logicalSize = QSize(600, 400);
        for (int dpi : {96, 300}) {
            o.dpi = dpi;
            const QImage img = ChartExporter::renderImage(data, o);
            QCOMPARE(img.size(), QSize(600 * dpi / 96, 400 * dpi / 96));
            QCOMPARE(img.dotsPerMeterX(), int(dpi / 0.0254 + 0.5));
            QVERIFY(distinctColours(img) >= 30);
        }
    }

    void unknownKindAndFormatAreUsageErrors() {
        const QString out = tempDir() + QStringLiteral("/x.png");
        QCOMPARE(runCli({"chart", "nonsense", image_, "-o", out}).exitCode, 2);
        // transactions reads a saved transaction history: a metadata image is refused as one.
        auto t = runCli({"chart", "transactions", image_, "-o", out});
        QCOMPARE(t.exitCode, 1);
        QVERIFY2(t.err.contains("transaction history"), t.err.constData());
        QCOMPARE(runCli({"chart", "refcounts", image_, "-o", tempDir() + "/x.gif"}).exitCode, 2);
        QCOMPARE(runCli({"chart", "refcounts", image_}).exitCode, 2);
    }
};

QTEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
