// The window's transaction-history entry points: editing a copy gives the Charts tab the edit
// session's history (the transactions chart grows with each commit), and the Edit tab's Save
// History writes a history that reopens with every transaction and the committed copy embedded.

#include "app/gui/EditTab.h"
#include "app/gui/MainWindow.h"
#include "models/edit/EditSession.h"
#include "tests/support/Fixtures.h"
#include "views/charts/ChartsView.h"

#include <QSignalSpy>
#include <QTest>

using namespace dms;

class TestTransactionHistoryGui : public QObject {
    Q_OBJECT

private slots:
    void editTabHistoryReachesTheChartsAndSaves() {
        MainWindow w;
        QVERIFY(w.openDemo());
        ChartsView* charts = w.chartsView();
        QVERIFY(!charts->hasHistory());
        QVERIFY(w.editCopy());
        QVERIFY(charts->hasHistory());
        EditTab* tab = w.editTab();
        QVERIFY(tab->addOperation(QStringLiteral("create-snap 10 1")));
        QVERIFY(tab->session()->commit());
        QVERIFY(tab->addOperation(QStringLiteral("delete 2")));
        QVERIFY(tab->session()->commit());
        charts->setKind(ChartKind::Transactions);
        QSignalSpy updated(charts, &ChartsView::chartUpdated);
        for (int i = 0; i < 200 && charts->chartData().categories.size() != 3; ++i)
            updated.wait(50);
        QCOMPARE(charts->chartData().categories, (QStringList{"0", "1", "2"}));

        const QString path = test::tempDir() + QStringLiteral("/gui.dmshist");
        QVERIFY2(tab->saveHistory(path), qPrintable(tab->messageText()));
        auto h = TransactionHistory::load(path);
        QVERIFY(h);
        QCOMPARE(h->size(), 2);
        QCOMPARE(h->at(1).commands, QStringList{QStringLiteral("delete 2")});
        QVERIFY(h->image());
        QCOMPARE(h->image()->blockCount(), tab->session()->committedSource()->blockCount());
        QVERIFY(!tab->saveHistory(test::tempDir() + QStringLiteral("/no/such/dir/h.dmshist")));
        QVERIFY(tab->messageText().startsWith(QStringLiteral("Not saved")));
        const QString shot = qEnvironmentVariable("DMSCOPE_HISTORYGUI_SHOT");
        if (!shot.isEmpty()) {
            w.resize(1200, 800);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.grab().save(shot);
        }
    }
};

QTEST_MAIN(TestTransactionHistoryGui)
#include "tst_transactionhistorygui.moc"
