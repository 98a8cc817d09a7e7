// The btree writer on devices: two-level trees composed top-down (a thin-style mapping tree with
// a device snapshot and a held copy), trees committed and read back from the device, corrupt
// nodes named while writing, and writes to the kernel-written pool-a image.

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"
#include "tests/support/BtreeChecks.h"
#include "tests/support/Fixtures.h"

#include <array>
#include <random>

using namespace dms;
using namespace dms::test;

class TestBtreeWriterDevice : public QObject {
    Q_OBJECT
private slots:
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
                counter.addTree(r, 8,
                                [&](const std::uint8_t* v) { counter.addTree(loadLe64(v), 8); });
            return compareCounts(counter, rig.sm, &ledger);
        };

        for (std::uint64_t dev : {1, 2, 3}) {
            auto sub = bottom.empty();
            REQUIRE_OK(sub);
            auto r = top.insert(topRoot, dev, le64Bytes(*sub));
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
        auto r7 = top.insert(topRoot, 7, le64Bytes(sub1));
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

    // The kernel-written pool-a image (stale bytes beyond nr_entries, a held metadata snapshot,
    // leaves shared between devices): mappings written through the two-level composition must
    // leave every other holder's view intact, and each block's count must move exactly as its
    // pointers from the live and held mapping trees do. After commit the pool reads back.
    void kernelWrittenMappingTreeStaysConsistent() {
        auto device = std::make_shared<MemoryBlockSource>(
            fixtureBytes("kernel/pool-a/metadata-msnap.img.zst"), true, "pool-a");
        auto md = ThinMetadata::open(device);
        REQUIRE_OK(md);
        const ThinSuperblock sb = (*md)->superblock();
        auto heldSb = (*md)->metadataSnapshot();
        REQUIRE_OK(heldSb);
        CountingSpaceMap sm(device->blockCount());
        auto counts =
            SpaceMapReader::open((*md)->reader(), sb.metadataSpaceMap, SpaceMapKind::Metadata);
        REQUIRE_OK(counts);
        REQUIRE_OK(counts->forEachCount(
            [&](std::uint64_t b, std::uint32_t c) { (void)sm.setCount(b, c); }));
        REQUIRE_OK(sm.commit());
        TransactionManager tm(device);
        tm.setSpaceMap(&sm);
        BtreeWriter bottom(tm, BtreeValueType::plain(8)); // data-block counts are not modelled
        BtreeWriter top(tm, bottom.subtreeValueType());

        using Devices = std::map<std::uint64_t, BtreeModel>;
        auto load = [&](const BlockReader& reader, std::uint64_t topRoot, Devices& out) {
            return BtreeWalker::forEachEntry(
                reader, topRoot, 8, [&](std::uint64_t dev, const std::uint8_t* v) {
                    (void)BtreeWalker::forEachEntry(reader, loadLe64(v), 8,
                                                    [&](std::uint64_t vb, const std::uint8_t* m) {
                                                        out[dev][vb] = loadLe64(m);
                                                    });
                });
        };
        Devices live, held;
        REQUIRE_OK(load(tm.reader(), sb.dataMappingRoot, live));
        REQUIRE_OK(load(tm.reader(), heldSb->dataMappingRoot, held));
        QVERIFY(live.size() >= 3 && held.size() >= 3);

        std::uint64_t liveTop = sb.dataMappingRoot;
        const std::uint64_t heldTop = heldSb->dataMappingRoot;
        // Count minus mapping-tree pointers: what the rest of the pool (superblocks, space maps,
        // details trees) holds, which mapping writes must not change.
        auto others = [&](std::vector<std::int64_t>& out) -> std::string {
            PointerCounter pc(tm.reader(), sm.nrBlocks());
            for (std::uint64_t r : {liveTop, heldTop})
                pc.addTree(r, 8, [&](const std::uint8_t* v) { pc.addTree(loadLe64(v), 8); });
            if (!pc.error().empty()) return pc.error();
            out.assign(sm.nrBlocks(), 0);
            for (std::uint64_t b = 0; b < out.size(); ++b)
                out[b] = std::int64_t(sm.counts()[b]) - pc.expected()[b];
            return {};
        };
        std::vector<std::int64_t> baseline, now;
        REQUIRE_EMPTY(others(baseline));
        auto subRoot = [&](std::uint64_t root, std::uint64_t dev) -> std::uint64_t {
            auto hit = top.lookup(root, dev);
            return hit && *hit ? loadLe64((*hit)->value()) : 0;
        };
        auto verify = [&]() -> std::string {
            for (const auto& [dev, model] : live)
                if (auto m = checkBtree(tm.reader(), subRoot(liveTop, dev), model, 8, false);
                    !m.empty())
                    return "live dev " + std::to_string(dev) + ": " + m;
            for (const auto& [dev, model] : held)
                if (auto m = checkBtree(tm.reader(), subRoot(heldTop, dev), model, 8, false);
                    !m.empty())
                    return "held dev " + std::to_string(dev) + ": " + m;
            if (auto m = others(now); !m.empty()) return m;
            for (std::uint64_t b = 0; b < now.size(); ++b)
                if (now[b] != baseline[b])
                    return "block " + std::to_string(b) + ": count off by " +
                           std::to_string(now[b] - baseline[b]);
            return {};
        };

        std::mt19937_64 rng(17);
        std::vector<std::uint64_t> devs;
        for (const auto& kv : live)
            devs.push_back(kv.first);
        for (int i = 0; i < 3000; ++i) {
            const std::uint64_t dev = devs[rng() % devs.size()];
            BtreeModel& model = live[dev];
            const unsigned kind = rng() % 10;
            const std::uint64_t vb = rng() % 20000;
            auto r = top.update(liveTop, dev, [&](std::uint8_t* v) -> Status {
                std::uint64_t sub = loadLe64(v);
                if (kind < 7) {
                    const std::uint64_t mapping = ((rng() % 4096) << 24) | 6;
                    auto ir = bottom.insert(sub, vb, le64Bytes(mapping));
                    if (!ir) return ir.error();
                    sub = ir->root;
                    model[vb] = mapping;
                } else if (kind < 9) {
                    const std::uint64_t k = existingKey(model, vb);
                    auto rr = bottom.remove(sub, k);
                    if (!rr) return rr.error();
                    sub = rr->root;
                    model.erase(k);
                } else {
                    auto rr = bottom.removeRange(sub, vb, vb + 500);
                    if (!rr) return rr.error();
                    sub = rr->root;
                    model.erase(model.lower_bound(vb), model.lower_bound(vb + 500));
                }
                storeLe64(v, sub);
                return Status::success();
            });
            REQUIRE_OK(r);
            QVERIFY(r->found);
            liveTop = r->root;
            if (i % 500 == 499) REQUIRE_EMPTY(verify());
        }
        // Delete one device sharing leaves with others (5 shares with 7 and the held copy).
        const std::uint64_t gone = live.count(7) ? 7 : devs.back();
        auto del = top.remove(liveTop, gone);
        REQUIRE_OK(del);
        QVERIFY(del->found);
        liveTop = del->root;
        live.erase(gone);
        REQUIRE_EMPTY(verify());

        std::vector<std::uint8_t> image(device->bytes().begin(),
                                        device->bytes().begin() + kBlockSize);
        storeLe64(image.data() + 320, liveTop);
        REQUIRE_OK(sm.commit());
        REQUIRE_OK(tm.commit(image.data(), BlockType::ThinSuperblock, 0));
        auto reopened = ThinMetadata::open(device);
        REQUIRE_OK(reopened);
        QCOMPARE((*reopened)->superblock().dataMappingRoot, liveTop);
        Devices liveBack, heldBack;
        BlockReader disk(device);
        REQUIRE_OK(load(disk, liveTop, liveBack));
        REQUIRE_OK(load(disk, heldTop, heldBack));
        QVERIFY(liveBack == live);
        QVERIFY(heldBack == held);
    }
};

QTEST_GUILESS_MAIN(TestBtreeWriterDevice)
#include "tst_btreewriterdevice.moc"
