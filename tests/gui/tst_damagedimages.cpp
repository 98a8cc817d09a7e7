// Every case of the corruption matrix opened in one main window, one after the other, as a user
// recovering a pool would: the window stays up, a damaged superblock is shown as stored with the
// damage named, the background scan finishes, and its issues name the damaged block.

#include "app/gui/MainWindow.h"
#include "core/check/CheckReport.h"
#include "models/PoolScan.h"
#include "models/ThinPoolDocument.h"
#include "tests/support/CorruptionCases.h"
#include "tests/support/Fixtures.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

bool namesDamage(const CheckReport& r, const DamageExpectation& e) {
    for (const Finding& f : r.findings()) {
        const bool blockOk =
            e.blocks.empty() ||
            (f.block && std::find(e.blocks.begin(), e.blocks.end(), *f.block) != e.blocks.end());
        if (blockOk && f.severity != Severity::Warning) return true;
    }
    return false;
}

} // namespace

class TestDamagedImages : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           tempDir() + QStringLiteral("/settings"));
        QVERIFY2(haveThinTools(), "thin_restore builds the 300-device pool of the matrix");
    }

    void everyCorruptionCaseOpensAndListsItsDamage() {
        const std::vector<CorruptionCase> cases = allCorruptionCases();
        QVERIFY(cases.size() >= 80);
        MainWindow w;
        w.show();
        int opened = 0;
        QStringList refused;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            const CorruptionCase& c = cases[i];
            const QString path = writeTempFile(QStringLiteral("damaged-%1.img").arg(i), c.bytes);
            QSignalSpy scanned(&w, &MainWindow::scanFinished);
            if (!w.openPath(path)) {
                // Only a block 0 that is no thin metadata at all may be refused, with a reason.
                QVERIFY2(w.showsError() && w.bannerText().contains(QStringLiteral("field magic")),
                         qPrintable(c.name + QStringLiteral(": ") + w.bannerText()));
                QVERIFY2(w.isVisible(), qPrintable(c.name));
                refused << c.name + QStringLiteral(": ") + w.bannerText();
                continue;
            }
            ++opened;
            QVERIFY2(w.isVisible(), qPrintable(c.name));
            QVERIFY2(scanned.wait(20000),
                     qPrintable(c.name + QStringLiteral(": scan never ended")));
            const PoolScanResult* r = w.scanResult();
            QVERIFY(r && r->blockMap && r->checkReport);
            QCOMPARE(r->blockMap->size(), w.document()->deviceBlocks());
            QVERIFY2(r->checkReport->verdict() != CheckVerdict::Pass, qPrintable(c.name));
            QVERIFY2(namesDamage(*r->checkReport, c.expect),
                     qPrintable(c.name + QStringLiteral(": no issue names the damaged block")));
            if (w.document()->superblockDamage())
                QVERIFY2(w.showsError() && w.bannerText().contains(QStringLiteral("block 0")),
                         qPrintable(c.name + QStringLiteral(": ") + w.bannerText()));
        }
        // Everything but a superblock zeroed or swapped away (no thin magic left) opens.
        QVERIFY2(refused.size() <= 2, qPrintable(refused.join(QLatin1Char('\n'))));
        QCOMPARE(opened + int(refused.size()), int(cases.size()));
    }
};

QTEST_MAIN(TestDamagedImages)
#include "tst_damagedimages.moc"
