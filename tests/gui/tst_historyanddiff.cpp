// The transaction history and diffs beside the walkthrough: a saved history reopens in front of a
// new session over the metadata it led to (and is refused elsewhere); File > Compare with… diffs
// another capture of the pool, and Compare Held Snapshot with Live the held metadata snapshot.

#include "app/gui/EditTab.h"
#include "app/gui/MainWindow.h"
#include "models/DemoPool.h"
#include "models/DeviceListModel.h"
#include "models/edit/EditSession.h"
#include "models/edit/MetadataDiffModel.h"
#include "models/edit/TransactionHistoryModel.h"
#include "tests/gui/EditDriving.h"
#include "tests/support/Fixtures.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/MetadataDiffView.h"
#include "views/edit/PendingOpsView.h"
#include "views/edit/TransactionBanner.h"
#include "views/edit/TransactionHistoryView.h"

#include <QAction>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace dms;
using namespace dms::test;

class TestHistoryAndDiff : public QObject {
    Q_OBJECT
private slots:
    void aSavedHistoryReopensInFrontOfANewSession() {
        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        const int devices0 = w.deviceModel()->rowCount();
        QVERIFY(w.editCopy());
        EditTab* tab = w.editTab();
        tab->panel()->pendingOpsView()->setConfirm([](const QString&) { return true; });
        typeOperation(tab, QStringLiteral("create-snap 100 1"));
        button(tab->panel()->pendingOpsView(), QStringLiteral("Commit"))->click();
        typeOperation(tab, QStringLiteral("delete 2"));
        button(tab->panel()->pendingOpsView(), QStringLiteral("Commit"))->click();
        QCOMPARE(tab->session()->history().size(), 2);
        const QString file = test::tempDir() + QStringLiteral("/walk.dmshist");
        TransactionHistoryView* history = tab->historyView();
        history->setFileChooser([&](bool save) { return save ? file : QString(); });
        button(history, QStringLiteral("Save history"))->click();
        QVERIFY2(history->messageText().startsWith(QStringLiteral("Saved 2 transactions")),
                 qPrintable(history->messageText()));
        const QString edited = test::writeTempFile(QStringLiteral("edited.img"),
                                                   bytesOf(*tab->session()->committedSource()));

        // A new window over the edited image: its history starts empty; the saved one is opened
        // in front of it, and its states are those of the first session.
        MainWindow w2;
        w2.show();
        QVERIFY(w2.openPath(edited));
        QVERIFY(w2.editCopy());
        TransactionHistoryView* h2 = w2.editTab()->historyView();
        QCOMPARE(h2->stateCount(), 0);
        h2->setFileChooser([&](bool save) { return save ? QString() : file; });
        button(h2, QStringLiteral("Open history"))->click();
        QVERIFY2(h2->messageText().contains(QStringLiteral("2 transactions in all")),
                 qPrintable(h2->messageText()));
        QCOMPARE(h2->model()->rowCount(), 2);
        h2->showState(0);
        QCOMPARE(w2.shownTransactionState(), 0);
        QCOMPARE(w2.deviceModel()->rowCount(), devices0);
        h2->showState(1);
        QCOMPARE(w2.deviceModel()->rowCount(), devices0 + 1);
        // An earlier transaction can itself be edited (a copy of its blocks).
        QVERIFY2(w2.editCopy(), qPrintable(w2.bannerText()));
        QCOMPARE(w2.editTab()->historyView()->stateCount(), 0);
        QVERIFY(w2.transactionBanner()->text().isEmpty());
        typeOperation(w2.editTab(), QStringLiteral("delete 100"));

        // The same history does not lead to the demo pool as opened: refused, with the reason.
        MainWindow w3;
        QVERIFY(w3.openDemo());
        QVERIFY(w3.editCopy());
        TransactionHistoryView* h3 = w3.editTab()->historyView();
        h3->setFileChooser([&](bool save) { return save ? QString() : file; });
        button(h3, QStringLiteral("Open history"))->click();
        QVERIFY2(h3->messageText().contains(QStringLiteral("does not end at this metadata")),
                 qPrintable(h3->messageText()));
        QCOMPARE(h3->stateCount(), 0);
    }

    void compareWithAnotherCaptureAndTheHeldSnapshot() {
        auto demo = DemoPool::load();
        QVERIFY(demo);
        auto session = EditSession::editCopyOf(**demo, QStringLiteral("demo"));
        QVERIFY(session);
        QVERIFY((*session)->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY((*session)->commit());
        const QString later = test::writeTempFile(QStringLiteral("later.img"),
                                                  bytesOf(*(*session)->committedSource()));
        MainWindow w;
        w.show();
        QVERIFY(w.openDemo());
        QVERIFY(w.compareWith(later));
        QVERIFY(w.compareView());
        QSignalSpy ready(w.compareView(), &MetadataDiffView::diffReady);
        QVERIFY(ready.wait(10000));
        const MetadataDiffModel& m = *w.compareView()->model();
        const int snap = rowOfDevice(m, 100);
        QVERIFY(snap >= 0);
        QCOMPARE(m.index(snap, MetadataDiffModel::PresenceColumn).data().toString(),
                 QStringLiteral("right_only"));
        QCOMPARE(int(w.compareView()->diff().changedBlocks.size()),
                 int((*session)->history().at(0).blocks.size()));

        // The demo pool holds a metadata snapshot: File > Compare Held Snapshot with Live.
        QAction* held = menuAction(w, QStringLiteral("Compare Held Snapshot with Live"));
        QVERIFY(held && held->isEnabled());
        held->trigger();
        QVERIFY(ready.wait(10000));
        const MetadataDiff& d = w.compareView()->diff();
        QVERIFY(!d.countsCompared);
        QCOMPARE(int(d.devices.size()), w.deviceModel()->rowCount());
        for (const DeviceDelta& dev : d.devices)
            QVERIFY2(dev.presence == DeviceDelta::Presence::Both,
                     qPrintable(QStringLiteral("device %1").arg(dev.id)));
        QVERIFY(w.compareView()->summaryText().contains(QStringLiteral("held metadata snapshot")));
    }
};

QTEST_MAIN(TestHistoryAndDiff)
#include "tst_historyanddiff.moc"
