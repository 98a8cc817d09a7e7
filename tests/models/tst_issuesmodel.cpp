// IssuesModel: a row per finding of the check report, field for field, on healthy and corrupted
// images; passes QAbstractItemModelTester, sorted through a proxy by every column.

#include "core/check/ThinChecker.h"
#include "models/BlockRef.h"
#include "models/IssuesModel.h"
#include "models/ModelRoles.h"
#include "tests/models/ModelFixtures.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace dms;

namespace {

constexpr auto kTesterMode = QAbstractItemModelTester::FailureReportingMode::QtTest;
const char* const kDemoFixture = "kernel/pool-b/metadata-msnap.img.zst";

std::shared_ptr<const CheckReport> check(std::vector<std::uint8_t> bytes) {
    auto source = std::make_shared<MemoryBlockSource>(std::move(bytes), false);
    return std::make_shared<CheckReport>(ThinChecker(source).run());
}

// Damaged images with findings of each kind the checker reports.
std::vector<std::pair<QString, std::vector<std::uint8_t>>> damagedImages() {
    std::vector<std::pair<QString, std::vector<std::uint8_t>>> out;
    const auto clean = test::fixtureBytes(kDemoFixture);
    const test::ImageLayout l = test::Corruptor(clean).layout();
    auto add = [&](const char* name, auto edit) {
        test::Corruptor c(clean);
        edit(c);
        out.emplace_back(QString::fromLatin1(name), c.bytes());
    };
    add("metadata bitmap checksum",
        [&](test::Corruptor& c) { c.flipBit(l.metadataBitmap, 64, 0); });
    add("bottom leaf checksum", [&](test::Corruptor& c) { c.flipBit(l.bottomLeaf, 900, 2); });
    add("leaked metadata block", [&](test::Corruptor& c) {
        // A free block counted once: a non-fatal leak.
        for (std::uint64_t b = c.blockCount() - 1; b > 0; --b)
            if (c.bitmapEntry(l.metadataBitmap, b) == 0) {
                c.setBitmapEntry(l.metadataBitmap, b, 1);
                break;
            }
    });
    add("zeroed details root", [&](test::Corruptor& c) { c.zeroBlock(l.detailsRoot); });
    return out;
}

void compareRows(const IssuesModel& model, const CheckReport& report, const QString& name) {
    QCOMPARE(model.rowCount(), int(report.findings().size()));
    for (int r = 0; r < model.rowCount(); ++r) {
        const Finding& f = report.findings()[std::size_t(r)];
        auto at = [&](int c) { return model.index(r, c).data().toString(); };
        const QString what = name + QStringLiteral(" row %1").arg(r);
        QVERIFY2(at(IssuesModel::SeverityColumn) == IssuesModel::severityText(f.severity),
                 qPrintable(what));
        QVERIFY2(at(IssuesModel::CategoryColumn) == QLatin1String(categoryName(f.category)),
                 qPrintable(what));
        QVERIFY2(at(IssuesModel::BlockColumn) == (f.block ? QString::number(*f.block) : QString()),
                 qPrintable(what));
        QVERIFY2(at(IssuesModel::FieldColumn) == QString::fromStdString(f.field), qPrintable(what));
        QVERIFY2(at(IssuesModel::PathColumn) == QString::fromStdString(f.path), qPrintable(what));
        QVERIFY2(at(IssuesModel::MessageColumn) == QString::fromStdString(f.message),
                 qPrintable(what));
        const QVariant ref = model.index(r, IssuesModel::MessageColumn).data(BlockRefRole);
        QCOMPARE(ref.isValid(), f.block.has_value());
        if (f.block) QCOMPARE(ref.value<BlockRef>(), BlockRef::metadata(*f.block));
        QCOMPARE(model.index(r, 0).data(SeverityRole).toInt(), int(f.severity));
    }
}

} // namespace

class TestIssuesModel : public QObject {
    Q_OBJECT
private slots:
    void rowsAreTheFindingsOfEveryDamagedImage() {
        IssuesModel model;
        QSortFilterProxyModel proxy;
        proxy.setSortRole(RawValueRole);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, kTesterMode);
        QAbstractItemModelTester proxyTester(&proxy, kTesterMode);
        for (auto& [name, bytes] : damagedImages()) {
            auto report = check(bytes);
            QVERIFY2(!report->findings().empty(),
                     qPrintable(name + QStringLiteral(": the checker found nothing")));
            model.setCheckReport(report);
            compareRows(model, *report, name);
            for (int c = 0; c < IssuesModel::ColumnCount; ++c) {
                proxy.sort(c, Qt::AscendingOrder);
                for (int r = 1; r < proxy.rowCount(); ++r) {
                    const QVariant a = proxy.index(r - 1, c).data(RawValueRole);
                    const QVariant b = proxy.index(r, c).data(RawValueRole);
                    QVERIFY2(QVariant::compare(a, b) != QPartialOrdering::Greater,
                             qPrintable(name + QStringLiteral(": column %1 out of order").arg(c)));
                }
            }
        }
    }

    void rowsAreTheFindingsOfEveryFixture() {
        IssuesModel model;
        QAbstractItemModelTester tester(&model, kTesterMode);
        for (const QString& f : test::thinFixtureNames()) {
            auto report = check(test::fixtureBytes(f));
            model.setCheckReport(report);
            compareRows(model, *report, f);
        }
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestIssuesModel)
#include "tst_issuesmodel.moc"
