// The btree writer's copy-on-write sharing, range removal and tree shape: a snapshot is unshared
// only along written paths, destroy() frees exactly the unshared nodes, removeRange() cuts across
// leaves and internal nodes, and the height grows by root splits and shrinks by root collapse.
// Checked against models, walked pointer counts and a value ledger (tests/support/BtreeChecks.h).

#include "tests/support/BtreeChecks.h"

#include <algorithm>
#include <limits>
#include <random>

using namespace dms;
using namespace dms::test;

namespace {
constexpr std::uint64_t kMaxKey = std::numeric_limits<std::uint64_t>::max();
} // namespace

class TestBtreeWriterSharing : public QObject {
    Q_OBJECT
private slots:
    void snapshotSharingBreaksOnlyAlongWrittenPaths() {
        BtreeRig rig(4096);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(8));
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t a = *e;
        BtreeModel modelA;
        REQUIRE_EMPTY(fillSequential(w, a, modelA, ledger, 0, 40000));
        QCOMPARE(heightOf(rig, a), 3u);
        REQUIRE_OK(rig.commit());

        REQUIRE_OK(rig.tm.inc(a));
        std::uint64_t b = a;
        BtreeModel modelB = modelA;
        auto res = w.insert(b, 20000, ledger.issue(900000, 8));
        REQUIRE_OK(res);
        b = res->root;
        modelB[20000] = 900000;

        // Exactly the three nodes of the written path were copied; all else is still shared.
        const auto blocksA = btreeBlocks(rig.tm.reader(), a, 8);
        const auto blocksB = btreeBlocks(rig.tm.reader(), b, 8);
        QCOMPARE(countOutside(blocksB, blocksA), std::size_t(3));
        QCOMPARE(countOutside(blocksA, blocksB), std::size_t(3));
        // The copied leaf's values gained a holder each; the overwritten one lost B's.
        auto hit = w.lookup(b, 20000);
        REQUIRE_OK(hit);
        QCOMPARE(ledger.incs, std::uint64_t((*hit)->leaf.nrEntries()));
        QCOMPARE(ledger.decs, std::uint64_t(1));
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), a, modelA, 8));
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), b, modelB, 8));
        REQUIRE_EMPTY(checkCounts(rig, {a, b}, 8, ledger));

        // Writes to both sides, a commit between them, splits and merges included.
        std::mt19937_64 rng(7);
        for (int round = 0; round < 2; ++round) {
            for (int i = 0; i < 3000; ++i) {
                const bool toA = rng() & 1;
                std::uint64_t& root = toA ? a : b;
                BtreeModel& model = toA ? modelA : modelB;
                const std::uint64_t k = rng() % 60000;
                if (rng() % 3) {
                    auto r = w.insert(root, k, ledger.issue(1000000 + i + 10000 * round, 8));
                    REQUIRE_OK(r);
                    root = r->root;
                    model[k] = 1000000 + i + 10000 * round;
                } else {
                    auto r = w.remove(root, k);
                    REQUIRE_OK(r);
                    QCOMPARE(r->found, model.erase(k) == 1);
                    root = r->root;
                }
            }
            REQUIRE_EMPTY(checkBtree(rig.tm.reader(), a, modelA, 8));
            REQUIRE_EMPTY(checkBtree(rig.tm.reader(), b, modelB, 8));
            REQUIRE_EMPTY(checkCounts(rig, {a, b}, 8, ledger));
            REQUIRE_OK(rig.commit());
        }
    }

    void removeRangeAcrossLeavesAndEdges() {
        BtreeRig rig(4096);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(8));
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t root = *e;
        BtreeModel model;
        REQUIRE_EMPTY(fillSequential(w, root, model, ledger, 0, 10000));
        REQUIRE_OK(rig.commit());

        auto removeAndCheck = [&](std::uint64_t& r, BtreeModel& m, std::uint64_t begin,
                                  std::uint64_t end) -> std::string {
            auto res = w.removeRange(r, begin, end);
            if (!res) return res.error().describe();
            const auto lo = m.lower_bound(begin);
            const auto hi = m.lower_bound(end);
            const auto n = static_cast<std::uint64_t>(std::distance(lo, hi));
            m.erase(lo, hi);
            if (res->removed != n)
                return "removed " + std::to_string(res->removed) + ", expected " +
                       std::to_string(n);
            r = res->root;
            return checkBtree(rig.tm.reader(), r, m, 8);
        };

        // Across ~60 leaves, from the middle of one to the middle of another.
        REQUIRE_EMPTY(removeAndCheck(root, model, 1234, 8765));
        QCOMPARE(model.size(), std::size_t(10000 - 7531));
        REQUIRE_EMPTY(checkCounts(rig, {root}, 8, ledger));

        // Ranges holding nothing write nothing.
        REQUIRE_OK(rig.commit());
        const std::uint64_t before = root;
        REQUIRE_EMPTY(removeAndCheck(root, model, 2000, 8000));
        REQUIRE_EMPTY(removeAndCheck(root, model, 20000, 30000));
        REQUIRE_EMPTY(removeAndCheck(root, model, 5, 5));
        QCOMPARE(root, before);
        QCOMPARE(rig.tm.dirtyCount(), std::size_t(0));

        // The first keys (parents' keys move up), and a snapshot's range leaving its origin intact.
        REQUIRE_EMPTY(removeAndCheck(root, model, 0, 10));
        REQUIRE_OK(rig.tm.inc(root));
        std::uint64_t snap = root;
        BtreeModel snapModel = model;
        REQUIRE_EMPTY(removeAndCheck(snap, snapModel, 100, 9000));
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), root, model, 8));
        REQUIRE_EMPTY(checkCounts(rig, {root, snap}, 8, ledger));

        // The largest keys; end is exclusive, so the maximum key itself needs remove().
        for (std::uint64_t k : {kMaxKey - 1, kMaxKey}) {
            auto r = w.insert(root, k, ledger.issue(k, 8));
            REQUIRE_OK(r);
            root = r->root;
            model[k] = k;
        }
        REQUIRE_EMPTY(removeAndCheck(root, model, kMaxKey - 1, kMaxKey));
        QCOMPARE(model.count(kMaxKey), std::size_t(1));
        auto rm = w.remove(root, kMaxKey);
        REQUIRE_OK(rm);
        QVERIFY(rm->found);
        root = rm->root;
        model.erase(kMaxKey);

        // Everything: back to a single empty leaf.
        REQUIRE_EMPTY(removeAndCheck(root, model, 0, kMaxKey));
        QCOMPARE(heightOf(rig, root), 1u);
        REQUIRE_EMPTY(checkCounts(rig, {root, snap}, 8, ledger));

        // A three-level tree of 24-byte values, cut across internal-node boundaries.
        ValueLedger ledger24;
        BtreeWriter w24(rig.tm, ledger24.type(24));
        auto e24 = w24.empty();
        REQUIRE_OK(e24);
        std::uint64_t big = *e24;
        BtreeModel bigModel;
        REQUIRE_EMPTY(fillSequential(w24, big, bigModel, ledger24, 0, 20000));
        QCOMPARE(heightOf(rig, big), 3u);
        auto res = w24.removeRange(big, 3000, 17000);
        REQUIRE_OK(res);
        QCOMPARE(res->removed, std::uint64_t(14000));
        bigModel.erase(bigModel.lower_bound(3000), bigModel.lower_bound(17000));
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), res->root, bigModel, 24));
    }

    void destroyFreesExactlyTheUnsharedNodes() {
        BtreeRig rig(8192);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(16));
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t a = *e;
        BtreeModel modelA;
        std::mt19937_64 rng(11);
        for (std::uint64_t i = 0; i < 20000; ++i) {
            const std::uint64_t k = rng() % 1000000;
            auto r = w.insert(a, k, ledger.issue(i + 1, 16));
            REQUIRE_OK(r);
            a = r->root;
            modelA[k] = i + 1;
        }
        REQUIRE_OK(rig.commit());
        REQUIRE_OK(rig.tm.inc(a));
        std::uint64_t b = a;
        for (std::uint64_t i = 0; i < 300; ++i) {
            if (i % 3) {
                auto r = w.insert(b, rng() % 1000000, ledger.issue(100000 + i, 16));
                REQUIRE_OK(r);
                b = r->root;
            } else {
                auto r = w.remove(b, existingKey(modelA, rng() % 1000000));
                REQUIRE_OK(r);
                b = r->root;
            }
        }
        const auto blocksA = btreeBlocks(rig.tm.reader(), a, 16);
        const auto blocksB = btreeBlocks(rig.tm.reader(), b, 16);
        const std::size_t onlyB = countOutside(blocksB, blocksA);
        QVERIFY(onlyB > 0 && onlyB < blocksB.size());
        const std::uint64_t allocatedBefore = rig.sm.allocated();

        REQUIRE_OK(w.destroy(b));
        for (std::uint64_t blk : blocksB)
            QCOMPARE(rig.sm.counts()[blk], blocksA.count(blk) ? 1u : 0u);
        QCOMPARE(rig.sm.allocated(), allocatedBefore - onlyB);
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), a, modelA, 16));
        REQUIRE_EMPTY(checkCounts(rig, {a}, 16, ledger));

        REQUIRE_OK(w.destroy(a));
        QCOMPARE(rig.sm.allocated(), std::uint64_t(1));
        REQUIRE_EMPTY(checkCounts(rig, {}, 16, ledger));
    }

    void heightGrowsAndShrinks() {
        BtreeRig rig(4096);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(24)); // 126 entries a node
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t root = *e;
        BtreeModel model;
        std::vector<std::pair<std::size_t, unsigned>> changes; // (keys, new height)
        unsigned height = 1;
        for (std::uint64_t k = 0; height < 3 || model.size() < 20000; ++k) {
            auto r = w.insert(root, k * 10, ledger.issue(k + 1, 24));
            REQUIRE_OK(r);
            root = r->root;
            model[k * 10] = k + 1;
            const unsigned h = heightOf(rig, root);
            if (h != height) {
                QCOMPARE(h, height + 1);
                changes.emplace_back(model.size(), h);
                height = h;
                REQUIRE_EMPTY(checkBtree(rig.tm.reader(), root, model, 24));
            }
        }
        // A full root leaf (126 entries) splits beneath itself on the 127th key.
        QCOMPARE(changes.size(), std::size_t(2));
        QCOMPARE(changes[0].first, std::size_t(127));
        REQUIRE_EMPTY(checkCounts(rig, {root}, 24, ledger));

        std::vector<std::uint64_t> keys;
        for (const auto& kv : model)
            keys.push_back(kv.first);
        std::shuffle(keys.begin(), keys.end(), std::mt19937_64(3));
        for (std::uint64_t k : keys) {
            auto r = w.remove(root, k);
            REQUIRE_OK(r);
            QVERIFY(r->found);
            root = r->root;
            model.erase(k);
            const unsigned h = heightOf(rig, root);
            if (h != height) {
                QCOMPARE(h, height - 1);
                changes.emplace_back(model.size(), h);
                height = h;
                REQUIRE_EMPTY(checkBtree(rig.tm.reader(), root, model, 24));
                REQUIRE_EMPTY(checkCounts(rig, {root}, 24, ledger));
            }
        }
        QCOMPARE(height, 1u);
        QCOMPARE(changes.size(), std::size_t(4));
        REQUIRE_EMPTY(checkBtree(rig.tm.reader(), root, model, 24));
        REQUIRE_EMPTY(checkCounts(rig, {root}, 24, ledger));
        QCOMPARE(rig.sm.allocated(), std::uint64_t(2)); // superblock + the empty root leaf
    }
};

QTEST_GUILESS_MAIN(TestBtreeWriterSharing)
#include "tst_btreewritersharing.moc"
