// The copy-on-write btree writer against models, over long seeded runs: contents (std::map),
// reference counts (distinct pointers found by walking every live root), value inc/dec balance (a
// ledger per value), and the invariants the read-side walker checks (order, key ranges, leaf depth,
// minimum fill) plus the writer's own (max_entries by value size, parent key = first key of
// child, zeroed free slots). Sharing, ranges, height: tst_btreewritersharing; the device, kernel
// images and multi-level trees: tst_btreewriterdevice.

#include "tests/support/BtreeChecks.h"

#include <limits>
#include <random>

using namespace dms;
using namespace dms::test;

namespace {
constexpr std::uint64_t kMaxKey = std::numeric_limits<std::uint64_t>::max();
} // namespace

class TestBtreeWriter : public QObject {
    Q_OBJECT
private slots:
    void randomOperationsMatchModelAndCounts_data() {
        QTest::addColumn<uint>("valueSize");
        QTest::addColumn<quint64>("seed");
        for (uint vs : {4u, 8u, 16u, 24u})
            QTest::newRow(qPrintable(QStringLiteral("value size %1").arg(vs)))
                << vs << quint64(0x5eed0000u + vs);
    }

    // 90,000 seeded operations per value size on a tree and, at times, a snapshot of it: inserts
    // (new keys, overwrites, equal overwrites), removes, range removes, commits, snapshot and
    // destroy; every 2,500 operations the trees are walked and compared with the models, the
    // counts with the pointers, the ledger with the leaves, and lookups with the model.
    void randomOperationsMatchModelAndCounts() {
        QFETCH(uint, valueSize);
        QFETCH(quint64, seed);
        if (qEnvironmentVariableIsSet("DMS_BTREE_SEED"))
            seed = qEnvironmentVariable("DMS_BTREE_SEED").toULongLong(nullptr, 0);
        qInfo("seed 0x%llx (set DMS_BTREE_SEED to replay), value size %u",
              static_cast<unsigned long long>(seed), valueSize);
        std::mt19937_64 rng(seed);
        const std::uint32_t vs = valueSize;
        BtreeRig rig(16384);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(vs));

        struct Tree {
            std::uint64_t root = 0;
            BtreeModel model;
            bool live = false;
        };
        std::array<Tree, 2> trees;
        auto e = w.empty();
        REQUIRE_OK(e);
        trees[0] = Tree{*e, {}, true};

        constexpr int kFill = 45000, kMix = 25000, kDrain = 20000;
        constexpr std::uint64_t kKeySpace = 1u << 20;
        std::uint64_t nextToken = 1;
        unsigned maxHeight = 0;
        std::size_t maxSize = 0, snapshots = 0, commits = 0, rangeRemoved = 0, checks = 0;

        auto verify = [&]() -> std::string {
            ++checks;
            std::vector<std::uint64_t> roots;
            for (const Tree& t : trees) {
                if (!t.live) continue;
                roots.push_back(t.root);
                if (auto m = checkBtree(rig.tm.reader(), t.root, t.model, vs); !m.empty()) return m;
                for (int i = 0; i < 100; ++i) {
                    const std::uint64_t k =
                        i % 2 ? existingKey(t.model, rng() % kKeySpace) : rng() % kKeySpace;
                    auto hit = w.lookup(t.root, k);
                    if (!hit) return hit.error().describe();
                    const auto it = t.model.find(k);
                    if (hit->has_value() != (it != t.model.end()))
                        return "lookup of " + std::to_string(k) + " disagrees on presence";
                    if (*hit && ValueLedger::token((*hit)->value(), vs) != it->second)
                        return "lookup of " + std::to_string(k) + " finds another value";
                }
                maxHeight = std::max(maxHeight, heightOf(rig, t.root));
                maxSize = std::max(maxSize, t.model.size());
            }
            return checkCounts(rig, roots, vs, ledger);
        };

        for (int op = 0; op < kFill + kMix + kDrain; ++op) {
            const bool filling = op < kFill;
            Tree& t = (trees[1].live && (rng() & 1)) ? trees[1] : trees[0];
            const unsigned r = rng() % 1000;
            const unsigned insertBelow = filling ? 1000 : op < kFill + kMix ? 560 : 300;
            if (filling ? op % 5000 == 4999 : r < 4) {
                REQUIRE_OK(rig.commit());
                ++commits;
            } else if (!filling && r < 6) {
                if (trees[1].live) {
                    REQUIRE_OK(w.destroy(trees[1].root));
                    trees[1] = Tree{};
                } else {
                    REQUIRE_OK(rig.tm.inc(trees[0].root));
                    trees[1] = trees[0];
                    ++snapshots;
                }
            } else if (!filling && r < 11) {
                const std::uint64_t a = rng() % kKeySpace, b = a + rng() % 3000;
                auto res = w.removeRange(t.root, a, b);
                REQUIRE_OK(res);
                const auto lo = t.model.lower_bound(a), hi = t.model.lower_bound(b);
                const auto n = static_cast<std::uint64_t>(std::distance(lo, hi));
                QCOMPARE(res->removed, n);
                t.model.erase(lo, hi);
                t.root = res->root;
                rangeRemoved += n;
            } else if (r < insertBelow) {
                const std::uint64_t k =
                    (rng() % 4 == 0) ? existingKey(t.model, rng() % kKeySpace) : rng() % kKeySpace;
                const auto it = t.model.find(k);
                // An equal overwrite hands over no new reference.
                const bool same = it != t.model.end() && rng() % 8 == 0;
                const std::uint64_t tok = same ? it->second : nextToken++;
                auto res = w.insert(t.root, k,
                                    same ? ValueLedger::encode(tok, vs) : ledger.issue(tok, vs));
                REQUIRE_OK(res);
                QCOMPARE(res->inserted, it == t.model.end());
                t.model[k] = tok;
                t.root = res->root;
            } else {
                const std::uint64_t k =
                    (rng() % 5) ? existingKey(t.model, rng() % kKeySpace) : rng() % kKeySpace;
                auto res = w.remove(t.root, k);
                REQUIRE_OK(res);
                QCOMPARE(res->found, t.model.erase(k) == 1);
                t.root = res->root;
            }
            if (op % 2500 == 2499) REQUIRE_EMPTY(verify());
        }
        REQUIRE_EMPTY(verify());

        // Empty both trees with one range, then drop them: nothing may remain but block 0.
        for (Tree& t : trees) {
            if (!t.live) continue;
            auto res = w.removeRange(t.root, 0, kMaxKey);
            REQUIRE_OK(res);
            QCOMPARE(res->removed, std::uint64_t(t.model.size()));
            t.model.clear();
            t.root = res->root;
            QCOMPARE(heightOf(rig, t.root), 1u);
        }
        REQUIRE_EMPTY(verify());
        for (Tree& t : trees)
            if (t.live) REQUIRE_OK(w.destroy(t.root));
        QCOMPARE(rig.sm.allocated(), std::uint64_t(1));
        for (const auto& [tok, n] : ledger.refs)
            QVERIFY2(n == 0, qPrintable(QStringLiteral("value %1 still has %2").arg(tok).arg(n)));

        qInfo("%zu checks; largest tree %zu keys, height %u; %zu snapshots, %zu commits, %zu keys "
              "range-removed; %llu value incs, %llu decs",
              checks, maxSize, maxHeight, snapshots, commits, rangeRemoved,
              static_cast<unsigned long long>(ledger.incs),
              static_cast<unsigned long long>(ledger.decs));
        QVERIFY(maxHeight >= 2);
        QVERIFY(snapshots > 0 && ledger.incs > 0);
    }

    void overwriteDecsOnlyADifferentValue() {
        BtreeRig rig(64);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(8));
        auto e = w.empty();
        REQUIRE_OK(e);
        auto r1 = w.insert(*e, 5, ledger.issue(1, 8));
        REQUIRE_OK(r1);
        QVERIFY(r1->inserted);
        auto r2 = w.insert(r1->root, 5, ValueLedger::encode(1, 8));
        REQUIRE_OK(r2);
        QVERIFY(!r2->inserted);
        QCOMPARE(ledger.decs, std::uint64_t(0));
        auto r3 = w.insert(r2->root, 5, ledger.issue(2, 8));
        REQUIRE_OK(r3);
        QCOMPARE(ledger.refs[1], std::int64_t(0));
        QCOMPARE(ledger.refs[2], std::int64_t(1));
        auto r4 = w.remove(r3->root, 5);
        REQUIRE_OK(r4);
        QCOMPARE(ledger.refs[2], std::int64_t(0));
        QCOMPARE(ledger.decs, std::uint64_t(2));
        auto bad = w.insert(r4->root, 6, ValueLedger::encode(3, 16));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, ErrorKind::Usage);
    }

    void missingKeysWriteNothing() {
        BtreeRig rig(256);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(8));
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t root = *e;
        BtreeModel model;
        REQUIRE_EMPTY(fillSequential(w, root, model, ledger, 100, 1000));
        REQUIRE_OK(rig.commit());
        const std::uint64_t allocations = rig.sm.newBlockCalls();
        auto rm = w.remove(root, 5);
        REQUIRE_OK(rm);
        QVERIFY(!rm->found);
        QCOMPARE(rm->root, root);
        bool called = false;
        auto up = w.update(root, 5000, [&](std::uint8_t*) {
            called = true;
            return Status::success();
        });
        REQUIRE_OK(up);
        QVERIFY(!up->found && !called);
        auto rr = w.removeRange(root, 1100, 5000);
        REQUIRE_OK(rr);
        QCOMPARE(rr->removed, std::uint64_t(0));
        QCOMPARE(rig.tm.dirtyCount(), std::size_t(0));
        QCOMPARE(rig.sm.newBlockCalls(), allocations);
        QCOMPARE(ledger.decs, std::uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestBtreeWriter)
#include "tst_btreewriter.moc"
