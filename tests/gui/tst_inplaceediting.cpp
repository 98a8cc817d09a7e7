// Editing in place in the window, and the dialogs around it: File > Open for Editing opens an
// image read-write (the Edit tab says "in place") and Commit writes it; a read-only file offers a
// copy instead; a busy device's dialog names the recorded pool and its commands. Commit runs on a
// worker thread under the progress dialog, whose steps follow the real commit phases. The policy
// comparison shows both outcomes on the demo. Screenshots go to $DMSCOPE_SCREENSHOT_DIR (default:
// the test's temporary directory): edit-busy-device.png, edit-commit-progress.png (rendered
// mid-commit from the real progress callback) and edit-policy-comparison.png.

#include "app/gui/EditTab.h"
#include "app/gui/GuiCommandLine.h"
#include "app/gui/MainWindow.h"
#include "models/BlockSelection.h"
#include "models/DemoPool.h"
#include "models/ThinPoolDocument.h"
#include "models/edit/EditSession.h"
#include "tests/support/Fixtures.h"
#include "tests/support/RecordedDevices.h"
#include "views/edit/AllocationStrip.h"
#include "views/edit/CommitProgressDialog.h"
#include "views/edit/EditModePanel.h"
#include "views/edit/EditOpenProblemDialog.h"
#include "views/edit/InPlaceEditOpener.h"
#include "views/edit/PendingOpsView.h"
#include "views/edit/PolicyComparisonView.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

const QString kDemo = QStringLiteral("kernel/pool-b/metadata-msnap.img.zst");

QString shotPath(const QString& name) {
    QString dir = qEnvironmentVariable("DMSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty()) dir = tempDir();
    return dir + QLatin1Char('/') + name;
}

std::unique_ptr<EditSession> demoSession() {
    auto demo = DemoPool::load();
    if (!demo) return nullptr;
    auto s = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
    return s ? std::move(*s) : nullptr;
}

QByteArray contents(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestInPlaceEditing : public QObject {
    Q_OBJECT
private slots:
    void openForEditingEditsTheImageItselfAndCommitWritesIt() {
        const QString path = writeTempFile(QStringLiteral("window.img"), fixtureBytes(kDemo));
        const QByteArray original = contents(path);
        MainWindow w;
        int asked = 0;
        QVERIFY(w.openForEditing(path, [&](const EditOpenProblem&) {
            ++asked;
            return int(EditOpenProblemDialog::Choice::Cancel);
        }));
        QCOMPARE(asked, 0);
        QVERIFY(w.document());
        QCOMPARE(w.document()->displayName(), path);
        QVERIFY2(w.statusText().contains(QStringLiteral("editing in place")),
                 qPrintable(w.statusText()));
        QVERIFY(!w.statusText().contains(QStringLiteral("read-only")));
        EditTab* tab = w.editTab();
        QVERIFY(tab && tab->session() && tab->session()->isInPlace());
        QVERIFY(tab->titleText().contains(QStringLiteral("in place")));
        QVERIFY(tab->addOperation(QStringLiteral("create-snap 100 1")));
        QCOMPARE(contents(path), original);
        PendingOpsView* pending = tab->panel()->pendingOpsView();
        QString question;
        pending->setConfirm([&](const QString& q) {
            question = q;
            return true;
        });
        std::vector<CommitPhase> phases;
        pending->setProgressHook([&](CommitProgressDialog& d) {
            connect(&d, &CommitProgressDialog::progressed, this,
                    [&](const CommitProgressReport& r) {
                        if (phases.empty() || phases.back() != r.phase) phases.push_back(r.phase);
                    });
        });
        pending->commit();
        QVERIFY2(question.startsWith(QStringLiteral("This permanently modifies ") + path),
                 qPrintable(question));
        QVERIFY(question.contains(QStringLiteral("Create snapshot 100 of device 1")));
        const std::vector<CommitPhase> order = {
            CommitPhase::WritingBlocks, CommitPhase::FlushingBlocks, CommitPhase::WritingSuperblock,
            CommitPhase::FlushingSuperblock, CommitPhase::Done};
        QVERIFY2(phases == order, "the dialog did not see the phases in order");
        QCOMPARE(tab->session()->history().size(), 1);
        QVERIFY(contents(path) != original);
        const RunResult check = runProgram(QStringLiteral("thin_check"), {path});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
        // The window now shows the committed file, still as edited in place.
        QCOMPARE(w.document()->source(), tab->session()->committedSource());
        QVERIFY(w.statusText().contains(QStringLiteral("editing in place")));
    }

    void theCommandLineEditsACopyOrThePathInPlaceNeverBoth() {
        const QString prog = QStringLiteral("dmscope");
        auto o =
            parseGuiCommandLine({prog, QStringLiteral("--edit-in-place"), QStringLiteral("/x")});
        QVERIFY(o.ok());
        QVERIFY(o->editInPlace && !o->edit);
        QCOMPARE(o->path, QStringLiteral("/x"));
        auto copy = parseGuiCommandLine({prog, QStringLiteral("--edit"), QStringLiteral("/x")});
        QVERIFY(copy.ok() && copy->edit && !copy->editInPlace);
        QVERIFY(o->helpText.contains(QStringLiteral("--edit-in-place")));
        const QList<QStringList> bad = {
            {prog, QStringLiteral("--edit"), QStringLiteral("--edit-in-place"),
             QStringLiteral("/x")},
            {prog, QStringLiteral("--edit-in-place"), QStringLiteral("--demo")},
            {prog, QStringLiteral("--edit-in-place")},
        };
        for (const QStringList& args : bad) {
            auto e = parseGuiCommandLine(args);
            QVERIFY2(!e.ok(), qPrintable(args.join(QLatin1Char(' '))));
            QCOMPARE(e.error().kind, ErrorKind::Usage);
        }
    }

    void aReadOnlyFileIsExplainedAndACopyCanBeEditedInstead() {
        const QString path = writeTempFile(QStringLiteral("ro.img"), fixtureBytes(kDemo));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner));
        MainWindow w;
        EditOpenProblem seen;
        QVERIFY(!w.openForEditing(path, [&](const EditOpenProblem& p) {
            seen = p;
            return int(EditOpenProblemDialog::Choice::Cancel);
        }));
        QCOMPARE(seen.kind, EditOpenProblem::Kind::ReadOnlyFile);
        QVERIFY(!w.showsError()); // cancelled: nothing to report
        QVERIFY(w.openForEditing(path, [](const EditOpenProblem&) {
            return int(EditOpenProblemDialog::Choice::EditCopy);
        }));
        QVERIFY(w.editTab()->session() && !w.editTab()->session()->isInPlace());
        QVERIFY(w.editTab()->titleText().contains(QStringLiteral("copy")));
    }

    void theBusyDeviceDialogNamesThePoolAndOffersACopy() {
        auto kernel = std::make_shared<FakePoolKernel>();
        EditOpenContext c;
        c.device = DevNo{253, 0};
        c.dm = kernel.get();
        const QString path = QStringLiteral("/dev/mapper/vg-pool_tmeta");
        const EditOpenProblem p = explainEditOpenFailure(
            path, makeError(ErrorKind::Busy, "cannot open: Device or resource busy"), c);
        EditOpenProblemDialog dialog(p);
        QVERIFY(dialog.button(EditOpenProblemDialog::Choice::EditCopy));
        QVERIFY(dialog.button(EditOpenProblemDialog::Choice::TryAgain));
        QVERIFY(!dialog.button(EditOpenProblemDialog::Choice::UseHelper));
        QVERIFY(dialog.text().contains(QStringLiteral("vg-pool-tpool")));
        QVERIFY(dialog.text().contains(QStringLiteral("lvchange -an vg/pool")));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().toImage().save(shotPath(QStringLiteral("edit-busy-device.png"))));
        dialog.button(EditOpenProblemDialog::Choice::EditCopy)->click();
        QCOMPARE(dialog.choice(), EditOpenProblemDialog::Choice::EditCopy);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        // The opener explains each failure and does what it is told: try again, then give up.
        std::shared_ptr<DeviceMapper> dm = kernel;
        InPlaceEditOpener opener(nullptr, dm);
        std::vector<EditOpenProblem> asked;
        opener.setAsk([&](const EditOpenProblem& q) {
            asked.push_back(q);
            return asked.size() == 1 ? EditOpenProblemDialog::Choice::TryAgain
                                     : EditOpenProblemDialog::Choice::Cancel;
        });
        const QString missing = tempDir() + QStringLiteral("/missing.img");
        auto s = opener.open(missing);
        QVERIFY(!s);
        QCOMPARE(s.error().message, std::string("cancelled"));
        QCOMPARE(asked.size(), 2u);
        QCOMPARE(asked.front().title, QStringLiteral("Cannot open %1 for editing").arg(missing));
        QVERIFY(asked.front().explanation.contains(QStringLiteral("No such file")));
        QCOMPARE(opener.problems().size(), 2u);
    }

    void theProgressDialogFollowsTheRealCommitAndIsCapturedMidWay() {
        auto s = demoSession();
        QVERIFY(s);
        QVERIFY(s->add(EditOperation::createSnapshot(100, 1)));
        QVERIFY(s->add(EditOperation::map(100, 0, 3000, 64)));
        CommitProgressDialog dialog(QStringLiteral("/srv/images/pool-b.img"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QImage midway;
        QString midStep0, midStep1;
        connect(&dialog, &CommitProgressDialog::progressed, this,
                [&](const CommitProgressReport& r) {
                    if (r.phase != CommitPhase::FlushingBlocks || !midway.isNull()) return;
                    midStep0 = dialog.stepText(0);
                    midStep1 = dialog.stepText(1);
                    midway = dialog.grab().toImage();
                });
        // Driven synchronously on this thread by the session's real commit.
        QVERIFY(s->commit(dialog.observer()));
        QVERIFY(!midway.isNull());
        QVERIFY2(midStep0.startsWith(QStringLiteral("✓ Wrote")), qPrintable(midStep0));
        QVERIFY2(midStep1.startsWith(QStringLiteral("▶ Flush")), qPrintable(midStep1));
        QCOMPARE(dialog.phase(), CommitPhase::Done);
        QCOMPARE(dialog.commitCount(), 1);
        QVERIFY(dialog.stepText(3).startsWith(QStringLiteral("✓")));
        QVERIFY(midway.save(shotPath(QStringLiteral("edit-commit-progress.png"))));
    }

    void thePolicyComparisonShowsBothOutcomesFromTheEditTab() {
        EditTab tab;
        BlockSelection selection;
        tab.setSelection(&selection);
        tab.setSession(demoSession());
        QVERIFY(tab.session());
        for (const char* op :
             {"create-snap 100 1", "release-metadata-snap", "reserve-metadata-snap", "delete 100"})
            QVERIFY2(tab.addOperation(QString::fromLatin1(op)), qPrintable(tab.messageText()));
        PolicyComparisonView* view = tab.showPolicyComparison();
        QVERIFY(view);
        QSignalSpy ready(view, &PolicyComparisonView::comparisonReady);
        QVERIFY(ready.wait(10000) || view->comparison());
        QVERIFY(view->comparison());
        const PolicyComparison& c = *view->comparison();
        QVERIFY(c.reference.allocated != c.mainline.allocated);
        QCOMPARE(view->cellText(QStringLiteral("cursor"), 0), QStringLiteral("0"));
        QCOMPARE(view->cellText(QStringLiteral("cursor"), 1),
                 QString::number(c.mainline.cursorAfter));
        QCOMPARE(view->cellText(QStringLiteral("check"), 0), QStringLiteral("✓ passes"));
        QCOMPARE(view->cellText(QStringLiteral("check"), 1), QStringLiteral("✓ passes"));
        QVERIFY2(view->summaryText().contains(QStringLiteral("part at allocation")),
                 qPrintable(view->summaryText()));
        QWidget* window = view->window();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(
            window->grab().toImage().save(shotPath(QStringLiteral("edit-policy-comparison.png"))));

        // A click on the block only the reference policy chose selects it.
        const std::uint64_t k = c.reference.commits.front();
        AllocationStrip* strip = view->strip(0);
        QTest::mouseClick(strip, Qt::LeftButton, {},
                          QPoint(strip->xOfBlock(c.reference.allocated[k]), 6));
        QVERIFY(selection.current() == BlockRef::metadata(c.reference.allocated[k]));

        // Undoing the operations recomputes: with none left, nothing is compared.
        while (tab.session()->hasPendingOperations())
            QVERIFY(tab.session()->undoLast());
        QVERIFY(!view->comparison());
    }
};

QTEST_MAIN(TestInPlaceEditing)
#include "tst_inplaceediting.moc"
