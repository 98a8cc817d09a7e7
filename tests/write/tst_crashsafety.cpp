// Crash safety of the commit: for a transaction of each operation type (and formatting a pool),
// the device fails after every possible number of writes, or tears the k-th write (only a
// prefix, or only some 512-byte sectors, reach it). Reopened, the image must pass thin_check and
// the pool audit and hold exactly the state of the last superblock that reached the device: the
// old transaction, or the new one (or, for operations that commit inside, the state of that
// commit). A transaction that failed before its superblock is then run again on the crashed image
// and must succeed. Also: the commit writes every other block, flushes, writes the superblock,
// flushes.

#include "core/FaultInjectingBlockSource.h"
#include "core/thin/ThinMetadata.h"
#include "tests/support/Cat.h"
#include "tests/support/Fixtures.h"
#include "tests/support/PoolRig.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

Q_DECLARE_METATYPE(dms::AllocationPolicyKind)

namespace {

constexpr std::uint64_t kMetadataBlocks = 512;
constexpr std::uint64_t kDataBlocks = 4096;

EditOp op(EditKind k, std::uint64_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0,
          std::uint64_t len = 1) {
    return EditOp{k, a, b, c, len};
}

struct Scenario {
    const char* name;
    std::vector<EditOp> ops; // one transaction, committed at the end
    bool held = false;       // the base holds a metadata snapshot
    std::uint64_t grow = 0;  // blocks added to the device before the transaction
    bool format = false;     // the transaction formats a new pool on a zeroed device
};

std::vector<Scenario> scenarios() {
    using K = EditKind;
    return {
        {"format", {}, false, 0, true},
        {"create-thin", {op(K::CreateThin, 4)}},
        {"create-snap", {op(K::CreateSnapshot, 4, 1)}},
        {"delete", {op(K::Delete, 1)}},
        {"map", {op(K::Map, 2, 100, 2000, 300)}},
        {"provision", {op(K::Provision, 1, 700), op(K::Provision, 3, 5)}},
        {"unmap", {op(K::Unmap, 1, 100, 0, 400)}},
        {"set-transaction-id", {op(K::SetTransactionId, 9)}},
        {"set-needs-check", {op(K::SetNeedsCheck, 1)}},
        {"reserve-metadata-snap", {op(K::Map, 1, 0, 3000, 5), op(K::ReserveMetadataSnapshot)}},
        {"release-metadata-snap", {op(K::ReleaseMetadataSnapshot)}, true},
        {"extend-data", {op(K::ExtendData, 20000), op(K::Map, 2, 0, 23000, 2)}},
        {"extend-metadata", {op(K::ExtendMetadata, 300), op(K::CreateThin, 5)}, false, 300},
        {"mixed",
         {op(K::CreateSnapshot, 5, 3), op(K::Unmap, 3, 0, 0, 50), op(K::Map, 5, 1000, 100, 20),
          op(K::Delete, 2), op(K::SetTransactionId, 3)}},
    };
}

// The base pool every scenario starts from (two thins, a snapshot sharing device 1's tree).
std::string makeBase(const Scenario& sc, AllocationPolicyKind policy,
                     std::vector<std::uint8_t>& bytes, ThinModel& model) {
    using K = EditKind;
    if (sc.format) {
        bytes.assign(kMetadataBlocks * kBlockSize, 0);
        model = ThinModel(kDataBlocks, kMetadataBlocks);
        return {};
    }
    PoolRig rig(kMetadataBlocks, kDataBlocks, policy);
    if (!rig.error().empty()) return rig.error();
    std::vector<EditOp> setup = {op(K::CreateThin, 1), op(K::Map, 1, 0, 0, 600),
                                 op(K::CreateThin, 2), op(K::Map, 2, 0, 900, 10),
                                 op(K::CreateSnapshot, 3, 1)};
    if (sc.held) { // a metadata snapshot, and live trees that have moved on from it
        setup.push_back(op(K::ReserveMetadataSnapshot));
        setup.push_back(op(K::Map, 2, 50, 950, 5));
    }
    if (std::string m = rig.apply(setup); !m.empty()) return m;
    if (std::string m = rig.commit(); !m.empty()) return m;
    if (sc.grow)
        if (std::string m = rig.grow(sc.grow); !m.empty()) return m;
    bytes = rig.device()->bytes();
    model = rig.model();
    return {};
}

// Runs the scenario's transaction on `device`; `model` follows it. The states after each commit
// (the superblock writes) are appended to `states`.
Status runTransaction(const Scenario& sc, AllocationPolicyKind policy,
                      std::shared_ptr<BlockSource> device, ThinModel model,
                      std::vector<ThinState>* states) {
    if (sc.format) {
        auto ed = ThinPoolEditor::create(device, kDataBlocks, 128, {policy, nullptr});
        if (states) states->push_back(model.committed());
        return ed ? Status::success() : Status(ed.error());
    }
    auto ed = ThinPoolEditor::open(device, {policy, nullptr});
    if (!ed) return ed.error();
    for (const EditOp& o : sc.ops) {
        EditOutcome r = applyEdit(**ed, model, o);
        if (!r.applied) return makeError(ErrorKind::Io, o.describe() + ": " + r.editorError);
        if (!r.mismatch.empty()) return makeError(ErrorKind::Corrupt, r.mismatch);
        if (states &&
            (o.kind == EditKind::ReserveMetadataSnapshot || o.kind == EditKind::ExtendMetadata))
            states->push_back(model.committed());
    }
    if (Status s = (*ed)->commit(); !s) return s;
    model.commit();
    if (states) states->push_back(model.committed());
    return Status::success();
}

struct Fault {
    enum Kind { FailAfter, TearPrefix, TearSectors } kind;
    std::uint64_t k;     // FailAfter: writes that succeed; tears: the torn write (1-based)
    std::uint32_t param; // prefix bytes or sector mask
    std::string describe() const {
        if (kind == FailAfter) return cat("fail after ", k, " writes");
        if (kind == TearPrefix) return cat("tear write ", k, " after ", param, " bytes");
        return cat("tear write ", k, " to sectors 0x", std::hex, param);
    }
};

// Faults for a transaction of `writes` (the block of each given): every prefix, and for every
// write sector-prefix tears, sector mixes and (except for the superblock, which a device writes
// sector-atomically) byte-prefix tears.
std::vector<Fault> faults(const std::vector<std::uint64_t>& writes) {
    std::vector<Fault> out;
    for (std::uint64_t k = 0; k < writes.size(); ++k)
        out.push_back({Fault::FailAfter, k, 0});
    for (std::uint64_t k = 1; k <= writes.size(); ++k) {
        for (std::uint32_t bytes : {512u, 2048u, 3584u})
            out.push_back({Fault::TearPrefix, k, bytes});
        for (std::uint32_t mask : {0x01u, 0xFEu, 0x55u, 0xAAu})
            out.push_back({Fault::TearSectors, k, mask});
        if (writes[k - 1] != 0)
            for (std::uint32_t bytes : {100u, 3000u})
                out.push_back({Fault::TearPrefix, k, bytes});
    }
    return out;
}

// How many superblock writes reached the device under `f`.
std::size_t superblocksWritten(const std::vector<std::uint64_t>& writes, const Fault& f) {
    const std::uint64_t whole = f.kind == Fault::FailAfter ? f.k : f.k - 1;
    std::size_t n = 0;
    for (std::uint64_t i = 0; i < whole; ++i)
        n += writes[i] == 0;
    if (f.kind != Fault::FailAfter && writes[f.k - 1] == 0) {
        const bool firstSectorNew =
            f.kind == Fault::TearPrefix ? f.param >= 512 : (f.param & 1) != 0;
        n += firstSectorNew; // the rest of a superblock block is zero in old and new
    }
    return n;
}

bool blockIsZero(const std::vector<std::uint8_t>& bytes, std::uint64_t b) {
    for (std::size_t i = 0; i < kBlockSize; ++i)
        if (bytes[b * kBlockSize + i]) return false;
    return true;
}

void addPolicies() {
    QTest::addColumn<AllocationPolicyKind>("policy");
    QTest::newRow("reference") << AllocationPolicyKind::Reference;
    QTest::newRow("mainline") << AllocationPolicyKind::Mainline;
}

} // namespace

#define REQUIRE_EMPTY(expr)                                                                        \
    do {                                                                                           \
        const std::string m_ = (expr);                                                             \
        QVERIFY2(m_.empty(), m_.c_str());                                                          \
    } while (0)

class TestCrashSafety : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin_check and thin_dump are needed"); }

    void commitWritesTheSuperblockLastBetweenFlushes_data() { addPolicies(); }
    void commitWritesTheSuperblockLastBetweenFlushes() {
        QFETCH(AllocationPolicyKind, policy);
        for (const Scenario& sc : scenarios()) {
            std::vector<std::uint8_t> base;
            ThinModel model(0, 0);
            REQUIRE_EMPTY(makeBase(sc, policy, base, model));
            auto dev = std::make_shared<FaultInjectingBlockSource>(
                std::make_shared<MemoryBlockSource>(base));
            std::vector<ThinState> states;
            Status s = runTransaction(sc, policy, dev, model, &states);
            QVERIFY2(s.ok(), s.ok() ? "" : s.error().describe().c_str());
            using EK = FaultInjectingBlockSource::EventKind;
            const auto& ev = dev->events();
            std::size_t commits = 0;
            bool sinceFlush = false; // blocks written since the last flush
            for (std::size_t i = 0; i < ev.size(); ++i) {
                QVERIFY(ev[i].kind == EK::Write || ev[i].kind == EK::Flush);
                if (ev[i].kind == EK::Flush) {
                    sinceFlush = false;
                } else if (ev[i].block == 0) {
                    ++commits;
                    QVERIFY2(i > 0 && ev[i - 1].kind == EK::Flush && !sinceFlush, sc.name);
                    QVERIFY2(i + 1 < ev.size() && ev[i + 1].kind == EK::Flush, sc.name);
                } else {
                    sinceFlush = true;
                }
            }
            QVERIFY2(!sinceFlush, sc.name); // nothing written after the last commit
            QCOMPARE(commits, states.size());
            QCOMPARE(dev->flushCalls(), 2 * commits);
        }
    }

    void everyCrashPointLeavesTheOldOrTheNewState_data() { addPolicies(); }
    void everyCrashPointLeavesTheOldOrTheNewState() {
        QFETCH(AllocationPolicyKind, policy);
        const char* pname = policy == AllocationPolicyKind::Reference ? "ref" : "main";
        std::vector<ImageExpectation> images;
        std::size_t runs = 0, toOld = 0, toNew = 0;
        std::string failures;
        for (const Scenario& sc : scenarios()) {
            std::vector<std::uint8_t> base;
            ThinModel model(0, 0);
            REQUIRE_EMPTY(makeBase(sc, policy, base, model));
            // A clean run: the writes, and the state after each superblock write.
            std::vector<ThinState> states{model.committed()};
            auto clean = std::make_shared<FaultInjectingBlockSource>(
                std::make_shared<MemoryBlockSource>(base));
            Status ok = runTransaction(sc, policy, clean, model, &states);
            QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().describe().c_str());
            std::vector<std::uint64_t> writes;
            for (const auto& e : clean->events())
                if (e.kind == FaultInjectingBlockSource::EventKind::Write)
                    writes.push_back(e.block);

            for (const Fault& f : faults(writes)) {
                ++runs;
                const std::string label = cat(pname, " ", sc.name, ": ", f.describe());
                auto mem = std::make_shared<MemoryBlockSource>(base);
                auto dev = std::make_shared<FaultInjectingBlockSource>(mem);
                if (f.kind == Fault::FailAfter)
                    dev->failAfterWrites(f.k);
                else if (f.kind == Fault::TearPrefix)
                    dev->tearWritePrefix(f.k, f.param);
                else
                    dev->tearWriteSectors(f.k, std::uint8_t(f.param));
                Status s = runTransaction(sc, policy, dev, model, nullptr);
                if (s.ok() || !dev->failed()) {
                    failures += label + ": the transaction did not fail\n";
                    continue;
                }
                const std::size_t n = superblocksWritten(writes, f);
                if (n >= states.size()) {
                    failures += label + ": more superblock writes than commits\n";
                    continue;
                }
                (n == 0 ? toOld : toNew) += 1;
                if (sc.format && n == 0) {
                    if (!blockIsZero(mem->bytes(), 0))
                        failures += label + ": block 0 is no longer zero\n";
                    continue;
                }
                auto md = ThinMetadata::open(mem);
                if (!md) {
                    failures += label + ": " + md.error().describe() + "\n";
                    continue;
                }
                if ((*md)->superblock().metadataSpaceMap.nrBlocks != states[n].metadataBlocks)
                    failures += label + ": metadata space map size differs\n";
                images.push_back(
                    {writeScratchImage(QString("crash-%1.img").arg(images.size()), mem->bytes()),
                     QString::fromStdString(label), states[n].render(), states[n].renderHeld()});
                // Recovery: a transaction lost before its superblock can simply be run again.
                if (f.kind == Fault::FailAfter && n == 0 && !sc.format) {
                    auto again = std::make_shared<MemoryBlockSource>(mem->bytes());
                    Status r = runTransaction(sc, policy, again, model, nullptr);
                    if (!r)
                        failures += label + ": rerun failed: " + r.error().describe() + "\n";
                    else
                        images.push_back(
                            {writeScratchImage(QString("crash-%1.img").arg(images.size()),
                                               again->bytes()),
                             QString::fromStdString(label + ", rerun"), states.back().render(),
                             states.back().renderHeld()});
                }
                if (images.size() >= 48) {
                    failures += verifyImages(images);
                    images.clear();
                }
            }
        }
        failures += verifyImages(images);
        qInfo("%zu crash points: %zu left the old state, %zu a committed new one", runs, toOld,
              toNew);
        QVERIFY(toOld > 0 && toNew > 0);
        QVERIFY2(failures.empty(), failures.substr(0, 6000).c_str());
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
