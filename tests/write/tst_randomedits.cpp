// Random edit sequences against the model, under both allocation policies: each sequence formats
// a small pool and runs a few transactions of random operations (thins, snapshots of existing
// devices, deletes, map/unmap ranges, provisioning, transaction ids, the needs-check flag,
// metadata snapshots, data and metadata extension, refused operations, aborts, reopens). The
// committed images must pass thin_check and the pool audit, and thin_dump (and thin_dump -m) must
// print exactly the model's state: after every transaction for every tenth sequence, after the
// last one for all.
//
// DMSCOPE_WRITE_SEED sets the first sequence's seed (default: from the clock; always printed),
// DMSCOPE_WRITE_SEQUENCES the number of sequences (default 500). Sequence i uses seed + i, so
// DMSCOPE_WRITE_SEED=<its seed> DMSCOPE_WRITE_SEQUENCES=1 replays a failing one.

#include "tests/support/Cat.h"
#include "tests/support/Fixtures.h"
#include "tests/support/PoolRig.h"

#include <QElapsedTimer>
#include <QTest>

#include <chrono>
#include <optional>
#include <random>

using namespace dms;
using namespace dms::test;

namespace {

constexpr std::uint64_t kMaxDeviceId = 12;
constexpr std::uint64_t kMetadataBlocks = 512;

std::uint64_t envNumber(const char* name, std::uint64_t fallback) {
    const QByteArray v = qgetenv(name);
    bool ok = false;
    const std::uint64_t n = v.toULongLong(&ok);
    return ok ? n : fallback;
}

class OpGenerator {
    enum class Choice { Thin, Snapshot, Delete, Map, Unmap, Provision, Pool, Refused };
    struct Weighted {
        Choice choice;
        unsigned weight;
    };
    static constexpr Weighted kChoices[] = {
        {Choice::Thin, 4},  {Choice::Snapshot, 3},  {Choice::Delete, 2}, {Choice::Map, 6},
        {Choice::Unmap, 4}, {Choice::Provision, 6}, {Choice::Pool, 5},   {Choice::Refused, 1},
    };

    Choice pick() {
        unsigned total = 0;
        for (const Weighted& w : kChoices)
            total += w.weight;
        std::uint64_t r = below(total);
        for (const Weighted& w : kChoices) {
            if (r < w.weight) return w.choice;
            r -= w.weight;
        }
        return Choice::Thin;
    }

public:
    explicit OpGenerator(std::uint64_t seed) : rng_(seed) {}

    std::uint64_t below(std::uint64_t n) { return n ? rng_() % n : 0; }
    bool chance(unsigned percent) { return below(100) < percent; }

    // A random operation for the model's pending state; sometimes one it must refuse.
    EditOp next(const ThinModel& m) {
        const ThinState& s = m.pending();
        const bool haveDevices = !s.devices.empty();
        for (;;) {
            const Choice c = pick();
            if (!haveDevices && c != Choice::Thin && c != Choice::Pool && c != Choice::Refused)
                continue;
            switch (c) {
            case Choice::Thin:
                return {EditKind::CreateThin, freshId(s)};
            case Choice::Snapshot:
                return {EditKind::CreateSnapshot, freshId(s), existingId(s)};
            case Choice::Delete:
                return {EditKind::Delete, existingId(s)};
            case Choice::Map: {
                const std::uint64_t len = chance(15) ? 100 + below(600) : 1 + below(20);
                const std::uint64_t room = s.nrDataBlocks > len ? s.nrDataBlocks - len : 0;
                return {EditKind::Map, existingId(s), vblock(), below(room + 1), len};
            }
            case Choice::Unmap:
                return {EditKind::Unmap, existingId(s), vblock(), 0,
                        chance(20) ? 1 + below(1500) : 1 + below(30)};
            case Choice::Provision:
                return {EditKind::Provision, existingId(s), vblock()};
            case Choice::Pool:
                switch (below(4)) {
                case 0:
                    return {EditKind::SetTransactionId, below(1000)};
                case 1:
                    return {EditKind::SetNeedsCheck, below(2)};
                case 2:
                    return {EditKind::ExtendData, 1 + below(5000)};
                default:
                    return {s.held ? EditKind::ReleaseMetadataSnapshot
                                   : EditKind::ReserveMetadataSnapshot};
                }
            case Choice::Refused:
                return refused(s);
            }
        }
    }

private:
    std::uint64_t vblock() { return chance(10) ? below(1u << 20) : below(2000); }
    std::uint64_t existingId(const ThinState& s) {
        auto it = s.devices.begin();
        std::advance(it, below(s.devices.size()));
        return it->first;
    }
    std::uint64_t freshId(const ThinState& s) {
        for (int i = 0; i < 50; ++i)
            if (std::uint64_t id = below(kMaxDeviceId); !s.devices.count(id)) return id;
        return kMaxDeviceId + below(1u << 24);
    }
    std::uint64_t missingId(const ThinState& s) {
        std::uint64_t id = kMaxDeviceId + below(100);
        while (s.devices.count(id))
            ++id;
        return id;
    }
    // An operation the editor must refuse.
    EditOp refused(const ThinState& s) {
        switch (below(6)) {
        case 0:
            if (s.devices.empty()) return {EditKind::Delete, missingId(s)};
            return {EditKind::CreateThin, existingId(s)};
        case 1:
            return {EditKind::CreateSnapshot, freshId(s), missingId(s)};
        case 2:
            return {EditKind::Unmap, missingId(s), 0, 0, 5};
        case 3:
            if (s.devices.empty()) return {EditKind::Provision, missingId(s), 0};
            return {EditKind::Map, existingId(s), vblock(), s.nrDataBlocks - 1, 2};
        case 4:
            return {s.held ? EditKind::ReserveMetadataSnapshot : EditKind::ReleaseMetadataSnapshot};
        default:
            return {EditKind::ExtendMetadata, 1u << 20}; // beyond the device
        }
    }

    std::mt19937_64 rng_;
};

struct Totals {
    std::uint64_t ops = 0;
    std::uint64_t refused = 0;
    std::uint64_t commits = 0;
    std::uint64_t aborts = 0;
    std::uint64_t images = 0;
};

// Runs one sequence; appends the images to check. Empty on success, else what went wrong.
std::string runSequence(std::uint64_t seed, AllocationPolicyKind policy, bool checkEachTx,
                        std::vector<ImageExpectation>& images, Totals& totals) {
    OpGenerator gen(seed);
    const char* policyName = policy == AllocationPolicyKind::Reference ? "reference" : "mainline";
    const std::uint64_t dataBlocks = gen.chance(15) ? 32 + gen.below(64) : 4096;
    PoolRig rig(kMetadataBlocks, dataBlocks, policy);
    if (!rig.error().empty()) return rig.error();
    const std::uint64_t transactions = 2 + gen.below(4);
    std::string log;
    for (std::uint64_t tx = 1; tx <= transactions; ++tx) {
        std::optional<EditOp> extend;
        if (gen.chance(8)) {
            const std::uint64_t extra = 1 + gen.below(1500);
            if (std::string m = rig.grow(extra); !m.empty()) return m;
            extend = EditOp{EditKind::ExtendMetadata, extra - gen.below(extra)};
        }
        const std::uint64_t n = 1 + gen.below(8);
        std::vector<EditOp> ops;
        bool aborted = false;
        for (std::uint64_t i = 0; i < n && !aborted; ++i) {
            ops.push_back(i == 0 && extend ? *extend : gen.next(rig.model()));
            bool applied = false;
            ++totals.ops;
            if (std::string m = rig.apply(ops.back(), &applied); !m.empty())
                return cat("transaction ", tx, " (", describe(ops), "): ", m, "\nearlier: ", log);
            if (!applied) {
                ++totals.refused;
                aborted = true; // the rig aborted the transaction
            }
        }
        log += cat("[", describe(ops), aborted ? " -> refused/aborted" : "");
        if (!aborted && gen.chance(10)) {
            if (std::string m = rig.abort(); !m.empty()) return m;
            aborted = true;
            log += " -> abort";
        }
        if (aborted) {
            ++totals.aborts;
        } else {
            if (std::string m = rig.commit(); !m.empty()) return cat(m, "\nearlier: ", log);
            ++totals.commits;
        }
        log += "] ";
        if (gen.chance(15))
            if (std::string m = rig.reopen(); !m.empty()) return m;
        if (checkEachTx || tx == transactions) {
            const QString name = QStringLiteral("rnd-%1-%2-%3.img")
                                     .arg(images.size())
                                     .arg(QString::fromLatin1(policyName))
                                     .arg(tx);
            images.push_back(rig.snapshot(name, QStringLiteral("seed %1 (%2), transaction %3: %4")
                                                    .arg(seed)
                                                    .arg(QString::fromLatin1(policyName))
                                                    .arg(tx)
                                                    .arg(QString::fromStdString(log))));
            ++totals.images;
        }
    }
    return {};
}

} // namespace

class TestRandomEdits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin_check and thin_dump are needed"); }

    void randomSequencesMatchTheModel() {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        const std::uint64_t seed = envNumber(
            "DMSCOPE_WRITE_SEED",
            std::uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(now).count()) %
                1000000007ull);
        const std::uint64_t sequences = envNumber("DMSCOPE_WRITE_SEQUENCES", 500);
        qInfo("DMSCOPE_WRITE_SEED=%llu DMSCOPE_WRITE_SEQUENCES=%llu", (unsigned long long)seed,
              (unsigned long long)sequences);
        QElapsedTimer timer;
        timer.start();
        Totals totals;
        std::vector<ImageExpectation> images;
        std::string failures;
        for (std::uint64_t i = 0; i < sequences && failures.empty(); ++i) {
            for (AllocationPolicyKind policy :
                 {AllocationPolicyKind::Reference, AllocationPolicyKind::Mainline}) {
                const std::string m = runSequence(seed + i, policy, i % 10 == 0, images, totals);
                if (!m.empty()) {
                    failures +=
                        cat("sequence seed ", seed + i, " (",
                            policy == AllocationPolicyKind::Reference ? "reference" : "mainline",
                            "): ", m, "\n");
                    break;
                }
            }
            if (images.size() >= 48 || i + 1 == sequences || !failures.empty()) {
                failures += verifyImages(images);
                images.clear();
            }
        }
        qInfo("%llu sequences x 2 policies: %llu ops (%llu refused), %llu commits, %llu aborts, "
              "%llu images checked in %.1f s",
              (unsigned long long)sequences, (unsigned long long)totals.ops,
              (unsigned long long)totals.refused, (unsigned long long)totals.commits,
              (unsigned long long)totals.aborts, (unsigned long long)totals.images,
              timer.elapsed() / 1000.0);
        QVERIFY2(failures.empty(),
                 qPrintable(QStringLiteral("first seed %1: %2")
                                .arg(seed)
                                .arg(QString::fromStdString(failures.substr(0, 6000)))));
    }
};

QTEST_GUILESS_MAIN(TestRandomEdits)
#include "tst_randomedits.moc"
