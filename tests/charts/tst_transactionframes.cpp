// One PNG frame per transaction (`dmscope-cli frames`, TransactionFrames) from a history made by
// an edit session over the demo pool: N + 1 frames for N transactions, all of the size asked for,
// consecutive frames differ at the blocks the transaction wrote; and the Charts tab following an
// edit session: the transactions chart appears, grows with each commit, exports its frames, and
// a saved history opens in it.

#include "models/DemoPool.h"
#include "models/charts/TransactionFrames.h"
#include "models/edit/EditSession.h"
#include "tests/support/Fixtures.h"
#include "views/charts/ChartsView.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

using namespace dms;
using namespace dms::test;

namespace {

std::unique_ptr<EditSession> demoSession() {
    auto demo = DemoPool::load();
    if (!demo) qFatal("demo: %s", demo.error().describe().c_str());
    auto s = EditSession::editCopyOf(**demo, QStringLiteral("demo pool"));
    if (!s) qFatal("session: %s", s.error().describe().c_str());
    return std::move(*s);
}

bool commit(EditSession& s, const EditOperation& op) {
    return s.add(op) && s.commit();
}

QStringList framesIn(const QString& dir) {
    return QDir(dir).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
}

bool waitFor(QSignalSpy& spy, const std::function<bool()>& done) {
    for (int i = 0; i < 200 && !done(); ++i)
        spy.wait(50);
    return done();
}

} // namespace

class TestTransactionFrames : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<EditSession> session_;
    QString history_;

private slots:
    void initTestCase() {
        session_ = demoSession();
        QVERIFY(commit(*session_, EditOperation::createSnapshot(10, 1)));
        QVERIFY(commit(*session_, EditOperation::provision(10, 4000)));
        QVERIFY(commit(*session_, EditOperation::deleteDevice(2)));
        history_ = tempDir() + QStringLiteral("/session.dmshist");
        QVERIFY(session_->history().save(history_, session_->committedSource().get()));
    }

    void oneFramePerStateAllOfOneSize() {
        const QString dir = tempDir() + QStringLiteral("/frames");
        QElapsedTimer t;
        t.start();
        auto r = runCli({"frames", history_, "-o", dir, "--size", "800x500"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        qInfo("frames of %d transactions written in %lld ms (with process start)",
              session_->history().size(), t.elapsed());
        const QStringList files = framesIn(dir);
        QCOMPARE(files.size(), session_->history().size() + 1);
        for (int k = 0; k < files.size(); ++k) {
            QCOMPARE(files[k], TransactionFrames::frameFileName(k));
            const QImage img(QDir(dir).filePath(files[k]));
            QVERIFY2(!img.isNull(), qPrintable(files[k]));
            QCOMPARE(img.size(), QSize(800, 500));
        }
        QVERIFY(QImage(QDir(dir).filePath(files[0])) != QImage(QDir(dir).filePath(files[1])));
    }

    void consecutiveFramesDifferWhereTheTransactionWrote() {
        const TransactionHistory& h = session_->history();
        TransactionFrames::Options plain;
        plain.emphasiseChanges = false;
        const TransactionFrames frames(h, session_->committedSource(), plain);
        TransactionFrames::Options marked;
        const TransactionFrames emphasised(h, session_->committedSource(), marked);
        auto previous = frames.render(0);
        QVERIFY(previous);
        auto first = emphasised.render(0);
        QVERIFY(first && *first == *previous); // nothing written before state 0
        for (int k = 1; k < frames.count(); ++k) {
            auto frame = frames.render(k);
            QVERIFY(frame);
            QCOMPARE(frame->size(), previous->size());
            // A transaction shadows blocks into free ones: some written block changes colour.
            int recoloured = 0;
            QStringList same;
            for (const BlockChange& c : h.at(k - 1).blocks) {
                const QPoint centre = frames.cellRect(c.block).center();
                if (frame->pixel(centre) != previous->pixel(centre))
                    ++recoloured;
                else
                    same << QString::number(c.block);
            }
            QVERIFY2(recoloured > 0,
                     qPrintable(QStringLiteral("transaction %1: blocks %2 unchanged")
                                    .arg(k)
                                    .arg(same.join(' '))));
            // And the emphasised frame outlines each: its cell's corner is the outline's colour.
            auto withOutline = emphasised.render(k);
            QVERIFY(withOutline);
            for (const BlockChange& c : h.at(k - 1).blocks) {
                const QRect r = emphasised.cellRect(c.block);
                QVERIFY2(withOutline->pixel(r.topLeft() + QPoint(1, 1)) == qRgb(0, 0, 0),
                         qPrintable(QStringLiteral("transaction %1 block %2").arg(k).arg(c.block)));
            }
            previous = frame;
        }
    }

    void chartsViewFollowsTheSessionAndExportsFrames() {
        auto s = demoSession();
        ChartsView view;
        view.resize(900, 600);
        QSignalSpy updated(&view, &ChartsView::chartUpdated);
        QVERIFY(!view.hasHistory());
        view.setEditSession(s.get());
        QVERIFY(view.hasHistory());
        view.setKind(ChartKind::Transactions);
        QCOMPARE(view.kind(), ChartKind::Transactions);
        QVERIFY(waitFor(updated, [&] { return !view.chartData().isEmpty(); }));
        QCOMPARE(view.chartData().categories, QStringList{"0"});
        QVERIFY(commit(*s, EditOperation::createSnapshot(10, 1)));
        QVERIFY(waitFor(updated, [&] { return view.chartData().categories.size() == 2; }));
        QVERIFY(commit(*s, EditOperation::deleteDevice(2)));
        QVERIFY(waitFor(updated, [&] { return view.chartData().categories.size() == 3; }));
        const ChartData expected = buildTransactionsChart(
            TransactionFigures::compute(s->history(), s->committedSource(), s->displayName()));
        QCOMPARE(view.chartData().toCsv(), expected.toCsv());

        QSignalSpy exported(&view, &ChartsView::framesExported);
        const QString dir = tempDir() + QStringLiteral("/view-frames");
        view.exportFrames(dir);
        QVERIFY(waitFor(exported, [&] { return !exported.isEmpty(); }));
        QCOMPARE(exported.first().value(1).toString(), QString());
        QCOMPARE(exported.first().value(0).toInt(), 3);
        QCOMPARE(framesIn(dir).size(), 3);

        // A saved history replaces the session's; a bad file is refused with the reason.
        QVERIFY(view.openHistory(tempDir() + QStringLiteral("/missing.dmshist"))
                    .contains(QStringLiteral("cannot open")));
        QCOMPARE(view.openHistory(history_), QString());
        QCOMPARE(view.kind(), ChartKind::Transactions);
        QVERIFY(waitFor(updated, [&] { return view.chartData().categories.size() == 4; }));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString shot = qEnvironmentVariable("DMSCOPE_TXCHART_SHOT");
        if (!shot.isEmpty()) view.grab().save(shot);
        view.setEditSession(nullptr);
        QVERIFY(!view.hasHistory());
        QVERIFY(view.kind() != ChartKind::Transactions);
    }
};

QTEST_MAIN(TestTransactionFrames)
#include "tst_transactionframes.moc"
