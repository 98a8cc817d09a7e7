// The copy-on-write btree writer against models: contents (std::map), reference counts (distinct
// pointers found by walking every live root), value inc/dec balance (a ledger per value), and the
// invariants the read-side walker checks (order, key ranges, leaf depth, minimum fill) plus the
// writer's own (max_entries by value size, parent key = first key of child, zeroed free slots).

#include "core/btree/BtreeWriter.h"
#include "tests/support/BtreeChecks.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <limits>
#include <random>

using namespace dms;
using namespace dms::test;

namespace {

constexpr std::uint64_t kMaxKey = std::numeric_limits<std::uint64_t>::max();

std::vector<std::uint8_t> le64(std::uint64_t v) {
    std::vector<std::uint8_t> b(8);
    storeLe64(b.data(), v);
    return b;
}

unsigned heightOf(BtreeRig& rig, std::uint64_t root) {
    auto h = btreeHeight(rig.tm.reader(), root);
    return h ? *h : 0;
}

std::size_t countOutside(const std::set<std::uint64_t>& a, const std::set<std::uint64_t>& b) {
    std::size_t n = 0;
    for (std::uint64_t x : a)
        n += !b.count(x);
    return n;
}

// An existing key of the model near a random point (any key when the model is empty).
std::uint64_t existingKey(const BtreeModel& m, std::uint64_t point) {
    if (m.empty()) return point;
    auto it = m.lower_bound(point);
    return it == m.end() ? m.begin()->first : it->first;
}

// Inserts keys first..first+n-1 in order (token key + 1). Empty on success.
std::string fillSequential(BtreeWriter& w, std::uint64_t& root, BtreeModel& model,
                           ValueLedger& ledger, std::uint64_t first, std::uint64_t n) {
    const std::uint32_t vs = w.valueType().size;
    for (std::uint64_t k = first; k < first + n; ++k) {
        auto r = w.insert(root, k, ledger.issue(k + 1, vs));
        if (!r) return r.error().describe();
        root = r->root;
        model[k] = k + 1;
    }
    return {};
}

} // namespace

#define REQUIRE_OK(expr)                                                                           \
    do {                                                                                           \
        const auto& r_ = (expr);                                                                   \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().describe().c_str());                           \
    } while (0)

#define REQUIRE_EMPTY(expr)                                                                        \
    do {                                                                                           \
        const std::string m_ = (expr);                                                             \
        QVERIFY2(m_.empty(), m_.c_str());                                                          \
    } while (0)

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
                if (auto m = checkBtree(rig.tm.reader(), t.root, t.model, vs); !m.empty())
                    return m;
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
                const std::uint64_t k = (rng() % 4 == 0) ? existingKey(t.model, rng() % kKeySpace)
                                                         : rng() % kKeySpace;
                const auto it = t.model.find(k);
                // An equal overwrite hands over no new reference.
                const bool same = it != t.model.end() && rng() % 8 == 0;
                const std::uint64_t tok = same ? it->second : nextToken++;
                auto res = w.insert(t.root, k, same ? ValueLedger::encode(tok, vs)
                                                    : ledger.issue(tok, vs));
                REQUIRE_OK(res);
                QCOMPARE(res->inserted, it == t.model.end());
                t.model[k] = tok;
                t.root = res->root;
            } else {
                const std::uint64_t k = (rng() % 5) ? existingKey(t.model, rng() % kKeySpace)
                                                    : rng() % kKeySpace;
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

    // A thin-style mapping tree: top level dev -> bottom root. Writes go top-down through
    // update(), so a shared top leaf is unshared (its bottom roots inc'd) before the bottom tree is
    // shadowed; a device snapshot (inc of a bottom root) and a held copy of the whole top tree
    // (inc of the top root) must both survive every write, delete and destroy with exact counts.
    void twoLevelTreeComposesTopDown() {
        BtreeRig rig(4096);
        ValueLedger ledger;
        BtreeWriter bottom(rig.tm, ledger.type(8));
        BtreeWriter top(rig.tm, bottom.subtreeValueType());
        auto e = top.empty();
        REQUIRE_OK(e);
        std::uint64_t topRoot = *e;
        std::map<std::uint64_t, BtreeModel> devices;
        std::uint64_t nextToken = 1;
        std::mt19937_64 rng(5);

        auto subRoot = [&](std::uint64_t root, std::uint64_t dev) -> std::uint64_t {
            auto hit = top.lookup(root, dev);
            return hit && *hit ? loadLe64((*hit)->value()) : 0;
        };
        auto map = [&](std::uint64_t dev, std::uint64_t key, bool remove) -> Status {
            auto r = top.update(topRoot, dev, [&](std::uint8_t* v) -> Status {
                if (remove) {
                    auto rr = bottom.remove(loadLe64(v), key);
                    if (!rr) return rr.error();
                    storeLe64(v, rr->root);
                    devices[dev].erase(key);
                    return Status::success();
                }
                const std::uint64_t tok = nextToken++;
                auto ir = bottom.insert(loadLe64(v), key, ledger.issue(tok, 8));
                if (!ir) return ir.error();
                storeLe64(v, ir->root);
                devices[dev][key] = tok;
                return Status::success();
            });
            if (!r) return r.error();
            if (!r->found) return makeError(ErrorKind::Usage, "no device " + std::to_string(dev));
            topRoot = r->root;
            return Status::success();
        };
        auto countAll = [&](const std::vector<std::uint64_t>& roots) {
            PointerCounter counter(rig.tm.reader(), rig.sm.nrBlocks());
            for (std::uint64_t r : roots)
                counter.addTree(r, 8, [&](const std::uint8_t* v) {
                    counter.addTree(loadLe64(v), 8);
                });
            return compareCounts(counter, rig.sm, &ledger);
        };

        for (std::uint64_t dev : {1, 2, 3}) {
            auto sub = bottom.empty();
            REQUIRE_OK(sub);
            auto r = top.insert(topRoot, dev, le64(*sub));
            REQUIRE_OK(r);
            topRoot = r->root;
            devices[dev];
            for (int i = 0; i < 2000; ++i)
                REQUIRE_OK(map(dev, rng() % 100000, false));
        }
        REQUIRE_OK(rig.commit());

        // Snapshot of device 1 as device 7, then a held copy of the whole top tree.
        const std::uint64_t sub1 = subRoot(topRoot, 1);
        REQUIRE_OK(rig.tm.inc(sub1));
        auto r7 = top.insert(topRoot, 7, le64(sub1));
        REQUIRE_OK(r7);
        topRoot = r7->root;
        devices[7] = devices[1];
        REQUIRE_OK(rig.tm.inc(topRoot));
        const std::uint64_t held = topRoot;
        const auto heldDevices = devices;
        REQUIRE_EMPTY(countAll({topRoot, held}));

        for (int i = 0; i < 400; ++i) {
            const std::uint64_t dev = std::array<std::uint64_t, 3>{1, 2, 7}[i % 3];
            REQUIRE_OK(map(dev, i % 4 ? rng() % 100000 : existingKey(devices[dev], rng() % 100000),
                           i % 5 == 0));
        }
        for (const auto& [dev, model] : devices)
            REQUIRE_EMPTY(checkBtree(rig.tm.reader(), subRoot(topRoot, dev), model, 8));
        for (const auto& [dev, model] : heldDevices)
            REQUIRE_EMPTY(checkBtree(rig.tm.reader(), subRoot(held, dev), model, 8));
        REQUIRE_EMPTY(countAll({topRoot, held}));

        // Delete device 7 (its bottom tree is destroyed by the top tree's value dec).
        auto del = top.remove(topRoot, 7);
        REQUIRE_OK(del);
        QVERIFY(del->found);
        topRoot = del->root;
        devices.erase(7);
        REQUIRE_EMPTY(countAll({topRoot, held}));

        // Drop the held copy, then everything.
        REQUIRE_OK(top.destroy(held));
        REQUIRE_EMPTY(countAll({topRoot}));
        for (const auto& [dev, model] : devices)
            REQUIRE_EMPTY(checkBtree(rig.tm.reader(), subRoot(topRoot, dev), model, 8));
        REQUIRE_OK(top.destroy(topRoot));
        QCOMPARE(rig.sm.allocated(), std::uint64_t(1));
        REQUIRE_EMPTY(countAll({}));
    }

    void committedTreeReadsBackFromTheDevice() {
        BtreeRig rig(2048);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(16));
        BlockReader disk(rig.device); // the device itself, not the transaction's view
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t root = *e;
        BtreeModel model;
        std::mt19937_64 rng(13);
        for (std::uint64_t i = 0; i < 5000; ++i) {
            const std::uint64_t k = rng() % 50000;
            auto r = w.insert(root, k, ledger.issue(i + 1, 16));
            REQUIRE_OK(r);
            root = r->root;
            model[k] = i + 1;
        }
        QVERIFY(!BtreeNode::read(disk, root, 16).ok()); // nothing reached the device yet
        REQUIRE_OK(rig.commit());
        REQUIRE_EMPTY(checkBtree(disk, root, model, 16));
        std::size_t n = 0;
        REQUIRE_OK(BtreeWalker::forEachEntry(disk, root, 16,
                                             [&](std::uint64_t, const std::uint8_t*) { ++n; }));
        QCOMPARE(n, model.size());

        // A second transaction leaves the committed tree untouched on the device until its commit.
        const std::uint64_t oldRoot = root;
        const BtreeModel oldModel = model;
        auto rr = w.removeRange(root, 10000, 30000);
        REQUIRE_OK(rr);
        root = rr->root;
        model.erase(model.lower_bound(10000), model.lower_bound(30000));
        for (std::uint64_t i = 0; i < 500; ++i) {
            const std::uint64_t k = 60000 + i;
            auto r = w.insert(root, k, ledger.issue(10000 + i, 16));
            REQUIRE_OK(r);
            root = r->root;
            model[k] = 10000 + i;
        }
        QVERIFY(root != oldRoot);
        REQUIRE_EMPTY(checkBtree(disk, oldRoot, oldModel, 16));
        REQUIRE_OK(rig.commit());
        REQUIRE_EMPTY(checkBtree(disk, root, model, 16));
        REQUIRE_EMPTY(checkCounts(rig, {root}, 16, ledger));
    }

    void corruptNodeIsNamedWhileWriting() {
        BtreeRig rig(512);
        ValueLedger ledger;
        BtreeWriter w(rig.tm, ledger.type(8));
        auto e = w.empty();
        REQUIRE_OK(e);
        std::uint64_t root = *e;
        BtreeModel model;
        REQUIRE_EMPTY(fillSequential(w, root, model, ledger, 0, 2000));
        REQUIRE_OK(rig.commit());
        BlockReader disk(rig.device);
        auto hit = btreeLookup(disk, root, 1000, 8);
        REQUIRE_OK(hit);
        const std::uint64_t leaf = (*hit)->leaf.number();
        QVERIFY(leaf != root);
        std::uint8_t* bytes = rig.device->bytes().data() + leaf * kBlockSize;
        const std::vector<std::uint8_t> saved(bytes, bytes + kBlockSize);

        bytes[200] ^= 0x40; // checksum no longer matches
        auto ins = w.insert(root, 1000, ledger.issue(77, 8));
        QVERIFY(!ins.ok());
        QCOMPARE(ins.error().block, std::optional<std::uint64_t>(leaf));
        QCOMPARE(ins.error().kind, ErrorKind::Checksum);
        rig.abort();

        std::copy(saved.begin(), saved.end(), bytes);
        storeLe32(bytes + 4, 3); // both INTERNAL and LEAF, checksum resealed
        sealBlock(bytes, leaf, BlockType::BtreeNode);
        auto bad = w.insert(root, 1000, ledger.issue(79, 8));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().block, std::optional<std::uint64_t>(leaf));
        QCOMPARE(bad.error().field, std::string("flags"));
        QVERIFY(bad.error().message.find("while writing") != std::string::npos);
        rig.abort();
        auto rm = w.remove(root, 1000);
        QVERIFY(!rm.ok());
        QCOMPARE(rm.error().block, std::optional<std::uint64_t>(leaf));
        QVERIFY(!w.destroy(root).ok());
        rig.abort();

        std::copy(saved.begin(), saved.end(), bytes);
        BtreeWriter wrongSize(rig.tm, BtreeValueType::plain(16));
        auto ws = wrongSize.insert(root, 1000, ValueLedger::encode(1, 16));
        QVERIFY(!ws.ok());
        QCOMPARE(ws.error().block, std::optional<std::uint64_t>(leaf));
        QCOMPARE(ws.error().field, std::string("value_size"));
        rig.abort();

        // A child pointer back to the root (a cycle) ends in an error, not a hang.
        std::uint8_t* rootBytes = rig.device->bytes().data() + root * kBlockSize;
        const std::uint32_t maxEntries = loadLe32(rootBytes + 20);
        storeLe64(rootBytes + kNodeHeaderSize + 8ull * maxEntries, root);
        sealBlock(rootBytes, root, BlockType::BtreeNode);
        auto cyc = w.insert(root, 0, ledger.issue(78, 8));
        QVERIFY(!cyc.ok());
        QVERIFY(!w.destroy(root).ok());
        rig.abort();
    }
};

QTEST_GUILESS_MAIN(TestBtreeWriter)
#include "tst_btreewriter.moc"
