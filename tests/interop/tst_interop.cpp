// Interoperability with thin-provisioning-tools 0.9.0: seeded random pools are restored with
// thin_restore, then dmscope-cli's dump, check, ls and rmap must print exactly what thin_dump,
// thin_check, thin_ls and thin_rmap print; on a fraction of the pools, damaged by one small
// corruption, only the check verdicts must agree. The seed is printed at the start and in every
// failure (see InteropHarness.h for the environment variables).

#include "tests/interop/InteropHarness.h"
#include "tests/interop/OutputDiff.h"
#include "tests/interop/PoolCorruptor.h"
#include "tests/interop/RestoreBtreeModel.h"

#include <QTest>
#include <map>
#include <memory>
#include <mutex>

using namespace dms::test;

namespace {

// Every field thin_ls 0.9.0 knows (thin_ls --help).
const QStringList kLsFields =
    QStringLiteral("DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS,MAPPED_SECTORS,"
                   "EXCLUSIVE_SECTORS,SHARED_SECTORS,MAPPED_BYTES,EXCLUSIVE_BYTES,SHARED_BYTES,"
                   "MAPPED,EXCLUSIVE,SHARED,TRANSACTION,CREATE_TIME,SNAP_TIME")
        .split(QLatin1Char(','));

// thin_check options that change which problems count.
const QStringList kCheckOptions = {"--skip-mappings", "--super-block-only",
                                   "--ignore-non-fatal-errors", "--quiet"};

// One pool in four also gets a corrupted copy.
bool corruptedPoolSelected(std::uint64_t index) {
    return index % 4 == 1;
}

QString region(std::uint64_t begin, std::uint64_t end) {
    return QStringLiteral("%1..%2").arg(begin).arg(end);
}

// thin_rmap region arguments: the whole data device, random ranges, ranges reaching past its
// end, and several regions in one command.
std::vector<QStringList> rmapRegions(const GeneratedPool& pool, PoolRandom& rng) {
    const std::uint64_t n = pool.nrDataBlocks;
    std::vector<QStringList> out;
    out.push_back({QStringLiteral("--region"), region(0, n)});
    for (int k = 0; k < 2; ++k) {
        const std::uint64_t a = rng.below(n);
        const std::uint64_t b =
            a + 1 + rng.below(std::min<std::uint64_t>(n - a, 1 + rng.logBetween(1, n)));
        out.push_back({QStringLiteral("--region"), region(a, b)});
    }
    const std::uint64_t a = rng.below(n);
    out.push_back({QStringLiteral("--region"), region(a, n + rng.between(1, 100000)),
                   QStringLiteral("--region"), region(a / 2, a / 2 + rng.between(1, 64))});
    return out;
}

// Three devices per group share the group's data blocks (count 3). Groups are restored in the
// given order; a group of 337 blocks splits the reference-count root, one of 168 below it fills
// the leftmost leaf exactly, and a third, lower group then hits thin_restore's split bug.
GeneratedPool sharedGroupsPool(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& groups) {
    GeneratedPool pool;
    pool.time = 1;
    pool.nrDataBlocks = 4096;
    pool.metadataBytes = 8 << 20;
    for (const auto& [begin, length] : groups)
        for (int copy = 0; copy < 3; ++copy) {
            GeneratedDevice d;
            d.id = pool.devices.size();
            for (std::uint64_t k = 0; k < length; ++k)
                d.runs.push_back({2 * k, begin + k, 1, 0});
            pool.inputOrder.push_back(pool.devices.size());
            pool.devices.push_back(std::move(d));
        }
    return pool;
}

} // namespace

class TestInterop : public QObject {
    Q_OBJECT

    std::unique_ptr<InteropHarness> h_;

    void failOnRecordedMismatches(const char* what) {
        qInfo("time per program: %s", qPrintable(h_->takeTimings()));
        const QStringList failures = h_->takeFailures();
        if (failures.isEmpty()) return;
        QFile all(h_->workDir() + QStringLiteral("/failures.txt"));
        if (all.open(QIODevice::Append))
            all.write((failures.join(QStringLiteral("\n")) + "\n").toUtf8());
        constexpr int kShown = 25;
        for (int i = 0; i < failures.size() && i < kShown; ++i)
            qWarning().noquote() << failures[i];
        // How often each comparison failed: the label opening the second line of a failure.
        QMap<QString, int> byCheck;
        for (const QString& f : failures)
            ++byCheck[f.section(QLatin1Char('\n'), 1, 1)
                          .trimmed()
                          .section(QLatin1Char(':'), 0, 0)
                          .section(QLatin1Char(' '), 0, 0)];
        QStringList counts;
        for (auto it = byCheck.cbegin(); it != byCheck.cend(); ++it)
            counts << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
        const QString summary =
            QStringLiteral("%1 of %2: %3 failures [%4] (seed %5; all listed in %6/failures.txt); "
                           "first:\n%7")
                .arg(QString::fromLatin1(what))
                .arg(h_->poolsRun())
                .arg(failures.size())
                .arg(counts.join(QStringLiteral(", ")))
                .arg(h_->config().seed)
                .arg(h_->workDir(), failures.first());
        QFAIL(qPrintable(summary));
    }

    // The image restored by the first test, or a fresh one when tests run alone.
    QString restoredImage(std::uint64_t index, const GeneratedPool& pool) {
        const QString image = h_->poolFile(index, QStringLiteral("img"));
        if (!QFileInfo::exists(image)) {
            const QString err =
                h_->restore(pool, h_->poolFile(index, QStringLiteral("xml")), image);
            if (!err.isEmpty()) {
                h_->fail(index, pool, err);
                return {};
            }
        }
        return image;
    }

private slots:
    void initTestCase() {
        h_ = std::make_unique<InteropHarness>(InteropConfig::fromEnvironment());
        const auto& c = h_->config();
        qInfo("interop seed: %llu (repeat with DMSCOPE_INTEROP_SEED=%llu), pools: %llu, jobs: %d, "
              "work dir: %s",
              (unsigned long long)c.seed, (unsigned long long)c.seed, (unsigned long long)c.pools,
              c.jobs, qPrintable(h_->workDir()));
        const QStringList missing = h_->missingThinTools();
        if (!missing.isEmpty())
            QFAIL(qPrintable(QStringLiteral("thin-provisioning-tools not installed (missing: %1); "
                                            "./test.sh installs them")
                                 .arg(missing.join(QStringLiteral(", ")))));
        QVERIFY2(QFileInfo(cliPath()).isExecutable(), qPrintable(cliPath() + " not built"));
        QVERIFY2(c.pools > 0 || c.onlyPool, "DMSCOPE_INTEROP_POOLS must be at least 1");
    }

    void firstDifferenceNamesTheFirstDifferingLine() {
        QVERIFY(firstDifference("a\nb\n", "a\nb\n", "x", "y").isEmpty());
        const QString d = firstDifference("a\nb\nc\n", "a\nB\nc\n", "x", "y");
        QVERIFY2(d.contains("line 2") && d.contains("x: 'b'") && d.contains("y: 'B'"),
                 qPrintable(d));
        const QString shorter = firstDifference("a\nb\n", "a\n", "x", "y");
        QVERIFY2(shorter.contains("line 2") && shorter.contains("<end of output>"),
                 qPrintable(shorter));
    }

    // The generator avoids inputs on which thin_restore 0.9.0 builds a broken reference-count
    // tree; its model of that bug must agree with the real thin_restore and thin_check.
    void restoreModelPredictsWhereThinRestoreBreaksItsRefCountTree() {
        const auto breaking = sharedGroupsPool({{2000, 337}, {1000, 168}, {100, 2}});
        const auto safe = sharedGroupsPool({{100, 2}, {1000, 168}, {2000, 337}});
        for (const auto* pool : {&breaking, &safe}) {
            const bool predicted = restoreBreaksRefCountTree(*pool);
            QCOMPARE(predicted, pool == &breaking);
            const QString name = pool == &breaking ? "model-breaking" : "model-safe";
            const QString image = h_->workDir() + "/" + name + ".img";
            const QString err = h_->restore(*pool, h_->workDir() + "/" + name + ".xml", image);
            const RunResult check = h_->runThin(QStringLiteral("thin_check"), {image});
            const bool thinFails = !err.isEmpty() || check.exitCode != 0;
            QVERIFY2(
                thinFails == predicted,
                qPrintable(QStringLiteral("%1: model predicts %2, thin_restore+thin_check %3 %4")
                               .arg(name, predicted ? "a broken tree" : "success",
                                    thinFails ? "fail" : "pass", err)));
            // A tree thin_restore broke is damaged metadata that our check must reject too.
            if (!err.isEmpty()) continue;
            const RunResult ours = h_->runOurs({QStringLiteral("check"), image});
            QVERIFY2(
                ours.exitCode == check.exitCode && !ours.crashed,
                qPrintable(QStringLiteral("%1: thin_check exit %2, dmscope-cli check exit %3: %4")
                               .arg(name)
                               .arg(check.exitCode)
                               .arg(ours.exitCode)
                               .arg(QString::fromUtf8(ours.err.trimmed()))));
        }
    }

    // The generator against the real tools alone: thin_restore accepts every pool, thin_dump
    // prints the generator's own normalised XML, thin_check passes.
    void thinDumpOfRestoredPoolEqualsGeneratedXml() {
        // What the run covered, for the log.
        std::atomic<int> sharedBy20{0}, dataBitmaps{0}, metadataBitmaps{0}, regenerated{0};
        std::atomic<std::uint64_t> mostDevices{0}, mostMapped{0};
        h_->forEachPool(
            [](std::uint64_t) { return true; },
            [&](std::uint64_t i) {
                const GeneratedPool pool = generatePool(h_->config().seed, i);
                sharedBy20 += pool.maxDataRefCount >= kMaxSharing;
                dataBitmaps += pool.nrDataBlocks > 16320;
                metadataBitmaps += pool.metadataBytes / 4096 > 16320;
                regenerated += pool.attempts > 1;
                for (std::uint64_t v = mostDevices; v < pool.devices.size();)
                    mostDevices.compare_exchange_weak(v, pool.devices.size());
                for (std::uint64_t v = mostMapped; v < pool.totalMappedBlocks();)
                    mostMapped.compare_exchange_weak(v, pool.totalMappedBlocks());
                const QString xml = h_->poolFile(i, QStringLiteral("xml"));
                const QString image = h_->poolFile(i, QStringLiteral("img"));
                QString err = h_->restore(pool, xml, image);
                if (!err.isEmpty()) return h_->fail(i, pool, err);
                const RunResult dump = h_->runThin(QStringLiteral("thin_dump"), {image});
                const QByteArray expected = QByteArray::fromStdString(poolToExpectedDump(pool));
                err = firstDifference(expected, dump.out, QStringLiteral("generator"),
                                      QStringLiteral("thin_dump"));
                if (dump.exitCode != 0 || !err.isEmpty()) {
                    QFile f(h_->poolFile(i, QStringLiteral("expected.xml")));
                    if (f.open(QIODevice::WriteOnly)) f.write(expected);
                    h_->fail(i, pool,
                             QStringLiteral("generator bug? thin_dump (exit %1) of the restored "
                                            "image differs from the normalised input: %2")
                                 .arg(dump.exitCode)
                                 .arg(err));
                }
                const RunResult check = h_->runThin(QStringLiteral("thin_check"), {image});
                if (check.exitCode != 0)
                    h_->fail(i, pool,
                             QStringLiteral("generator bug? thin_check rejects the restored "
                                            "image: %1")
                                 .arg(QString::fromUtf8(check.err)));
            });
        qInfo("pools: %d with data blocks shared by %u devices, %d with several data bitmaps, %d "
              "with several metadata bitmaps, %d regenerated to avoid thin_restore's split bug; "
              "up to %llu devices and %llu mapped blocks in one pool",
              sharedBy20.load(), kMaxSharing, dataBitmaps.load(), metadataBitmaps.load(),
              regenerated.load(), (unsigned long long)mostDevices.load(),
              (unsigned long long)mostMapped.load());
        failOnRecordedMismatches("restored pools");
    }

    void cliPrintsWhatThinToolsPrintForRestoredPools() {
        h_->forEachPool(
            [](std::uint64_t) { return true; },
            [&](std::uint64_t i) {
                const GeneratedPool pool = generatePool(h_->config().seed, i);
                const QString img = restoredImage(i, pool);
                if (img.isEmpty()) return;
                PoolRandom rng(mixSeed(pool.seed, 0x636c69)); // which variants to run
                const QString dumpTool = QStringLiteral("thin_dump");
                const auto dump = h_->compare(i, pool, QStringLiteral("dump"), dumpTool, {img},
                                              {QStringLiteral("dump"), img}, true);
                // Round trip: our dump is the generator's XML, normalised as thin_dump prints it
                // (when our dump differs from thin_dump's, that was reported just above).
                const QByteArray expected = QByteArray::fromStdString(poolToExpectedDump(pool));
                if (dump.ours.out == dump.theirs.out && dump.ours.out != expected)
                    h_->fail(i, pool,
                             QStringLiteral("round trip: ") +
                                 firstDifference(expected, dump.ours.out,
                                                 QStringLiteral("generator"),
                                                 QStringLiteral("dmscope-cli dump")));
                const QStringList human = {QStringLiteral("--format"),
                                           QStringLiteral("human_readable")};
                h_->compare(i, pool, QStringLiteral("dump-human"), dumpTool,
                            human + QStringList{img},
                            QStringList{QStringLiteral("dump")} + human + QStringList{img}, true);
                if (!pool.devices.empty() && rng.chance(50)) {
                    const QString dev =
                        QString::number(pool.devices[rng.below(pool.devices.size())].id);
                    const QStringList a = {QStringLiteral("--dev-id"), dev, img};
                    h_->compare(i, pool, QStringLiteral("dump-dev-id"), dumpTool, a,
                                QStringList{QStringLiteral("dump")} + a, true);
                }
                if (rng.chance(25)) {
                    const QStringList a = {QStringLiteral("--skip-mappings"), img};
                    h_->compare(i, pool, QStringLiteral("dump-skip-mappings"), dumpTool, a,
                                QStringList{QStringLiteral("dump")} + a, true);
                }
                h_->compare(i, pool, QStringLiteral("check"), QStringLiteral("thin_check"), {img},
                            {QStringLiteral("check"), img}, false);
                if (rng.chance(30)) {
                    const QStringList a = {kCheckOptions[int(rng.below(kCheckOptions.size()))],
                                           img};
                    h_->compare(i, pool, QStringLiteral("check-option"),
                                QStringLiteral("thin_check"), a,
                                QStringList{QStringLiteral("check")} + a, false);
                }
                h_->compare(i, pool, QStringLiteral("ls"), QStringLiteral("thin_ls"), {img},
                            {QStringLiteral("ls"), img}, true);
                const QStringList all = {QStringLiteral("-o"), kLsFields.join(QLatin1Char(','))};
                h_->compare(i, pool, QStringLiteral("ls-all-fields"), QStringLiteral("thin_ls"),
                            all + QStringList{img},
                            QStringList{QStringLiteral("ls")} + all + QStringList{img}, true);
                // A random selection of fields in random order, sometimes without headers.
                QStringList fields;
                for (const QString& f : kLsFields)
                    if (rng.chance(40)) fields.insert(int(rng.below(fields.size() + 1)), f);
                if (fields.isEmpty()) fields << kLsFields[int(rng.below(kLsFields.size()))];
                QStringList some = {QStringLiteral("-o"), fields.join(QLatin1Char(','))};
                if (rng.chance(40)) some << QStringLiteral("--no-headers");
                h_->compare(i, pool, QStringLiteral("ls-some-fields"), QStringLiteral("thin_ls"),
                            some + QStringList{img},
                            QStringList{QStringLiteral("ls")} + some + QStringList{img}, true);
                if (pool.nrDataBlocks == 0) return;
                int k = 0;
                for (const QStringList& regions : rmapRegions(pool, rng))
                    h_->compare(i, pool, QStringLiteral("rmap-%1").arg(k++),
                                QStringLiteral("thin_rmap"), regions + QStringList{img},
                                QStringList{QStringLiteral("rmap")} + regions + QStringList{img},
                                true);
            });
        failOnRecordedMismatches("restored pools");
    }

    // Damaged metadata: thin_check and dmscope-cli check must reach the same verdict, and the
    // other commands must fail cleanly (no crash, no hang) if they fail.
    void checkVerdictsAgreeOnCorruptedPools() {
        // Per corruption kind: applied, rejected by thin_check, dumped identically by both
        // (the last is for information: only the check verdicts must agree).
        struct Tally {
            int applied = 0, thinRejected = 0, sameDump = 0;
        };
        std::map<std::string, Tally> tallies;
        std::mutex tallyMutex;
        h_->forEachPool(corruptedPoolSelected, [&](std::uint64_t i) {
            const GeneratedPool pool = generatePool(h_->config().seed, i);
            const QString img = h_->poolFile(i, QStringLiteral("corrupt.img"));
            const QString err = h_->restore(pool, h_->poolFile(i, QStringLiteral("xml")), img);
            if (!err.isEmpty()) return h_->fail(i, pool, err);
            PoolRandom rng(mixSeed(pool.seed, 0x636f72));
            const CorruptionResult c = corruptImage(img.toStdString(), rng);
            if (!c.applied)
                return h_->fail(i, pool,
                                QStringLiteral("could not corrupt the image: ") +
                                    QString::fromStdString(c.description));
            const QString what = QString::fromStdString(c.description);
            const auto check =
                h_->compare(i, pool, QStringLiteral("check-corrupt"), QStringLiteral("thin_check"),
                            {img}, {QStringLiteral("check"), img}, false, what);
            // The same verdict with one of the options that narrow what thin_check examines.
            const QStringList option = {kCheckOptions[int(rng.below(kCheckOptions.size()))], img};
            h_->compare(i, pool, QStringLiteral("check-corrupt-option"),
                        QStringLiteral("thin_check"), option,
                        QStringList{QStringLiteral("check")} + option, false, what);
            // Damaged metadata must never crash or hang the other commands.
            RunResult ourDump;
            for (const char* cmd : {"dump", "ls"}) {
                const RunResult r = h_->runOurs({QString::fromLatin1(cmd), img});
                const QString report = InteropHarness::sanitizerFinding(r);
                if (r.crashed || r.timedOut || !report.isEmpty())
                    h_->fail(i, pool,
                             QStringLiteral("dmscope-cli %1 %2 on corrupted image (%3): %4")
                                 .arg(QString::fromLatin1(cmd),
                                      r.crashed    ? "crashed"
                                      : r.timedOut ? "hung"
                                                   : "sanitizer report",
                                      what, QString::fromUtf8(r.err.left(300))));
                if (cmd == std::string("dump")) ourDump = r;
            }
            const RunResult thinDump = h_->runThin(QStringLiteral("thin_dump"), {img});
            std::lock_guard lock(tallyMutex);
            Tally& t = tallies[c.kind];
            ++t.applied;
            t.thinRejected += check.theirs.exitCode != 0;
            t.sameDump += thinDump.exitCode == ourDump.exitCode && thinDump.out == ourDump.out;
        });
        QStringList summary;
        for (const auto& [kind, t] : tallies)
            summary << QStringLiteral("%1 %2 (thin_check rejected %3, same dump %4)")
                           .arg(QString::fromStdString(kind))
                           .arg(t.applied)
                           .arg(t.thinRejected)
                           .arg(t.sameDump);
        qInfo("corruptions: %s", qPrintable(summary.join(QStringLiteral("; "))));
        failOnRecordedMismatches("corrupted pools");
    }

    void cleanupTestCase() { h_.reset(); }
};

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
