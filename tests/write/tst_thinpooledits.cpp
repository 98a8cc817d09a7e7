// Every edit operation of the thin pool editor, committed one at a time and all in one
// transaction, under both allocation policies: after each commit thin_check and the pool audit
// pass and thin_dump (and thin_dump -m while a metadata snapshot is held) print exactly the
// model's state. Refused operations and aborts leave the device's bytes as they were.

#include "tests/support/Fixtures.h"
#include "tests/support/PoolRig.h"

#include <QTest>

using namespace dms;
using namespace dms::test;

Q_DECLARE_METATYPE(dms::AllocationPolicyKind)

namespace {

EditOp op(EditKind k, std::uint64_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0,
          std::uint64_t len = 1) {
    return EditOp{k, a, b, c, len};
}

// Each step: grow the device by `grow` blocks first (0: no), then the op.
struct Step {
    EditOp op;
    std::uint64_t grow = 0;
};

std::vector<Step> script() {
    using K = EditKind;
    return {
        {op(K::CreateThin, 1)},
        {op(K::Map, 1, 0, 100, 600)}, // three leaves: a two-level tree
        {op(K::Provision, 1, 1000)},
        {op(K::CreateThin, 2)},
        {op(K::Map, 2, 10, 3000, 5)},
        {op(K::CreateSnapshot, 3, 1)}, // shares device 1's tree; time 1
        {op(K::Map, 1, 5, 2000)},      // breaks sharing along one path of the origin
        {op(K::Provision, 3, 50)},     // and of the snapshot
        {op(K::Map, 3, 51, 101)},      // a remap to the same data block keeps time 0
        {op(K::Unmap, 1, 100, 300)},   // across leaves: rebalancing
        {op(K::Unmap, 3, 0, 0, 10)},
        {op(K::CreateSnapshot, 4, 3)}, // a snapshot of a snapshot; time 2
        {op(K::Delete, 1)},            // the origin goes; shared nodes live on in 3 and 4
        {op(K::SetTransactionId, 42)},
        {op(K::CreateThin, 6)}, // created with transaction 42
        {op(K::SetNeedsCheck, 1)},
        {op(K::SetNeedsCheck, 0)},
        {op(K::ReserveMetadataSnapshot)},
        {op(K::Map, 3, 700, 2500, 20)}, // the live trees move away from the held ones
        {op(K::Delete, 4)},
        {op(K::Unmap, 3, 0, 0, 1000)},
        {op(K::ReleaseMetadataSnapshot)},
        {op(K::ExtendData, 20000)},
        {op(K::Map, 2, 0, 23000, 3)},
        {op(K::ExtendMetadata, 3000), 3000},
        {op(K::Map, 2, 100000, 500, 300)},
        {op(K::CreateThin, 5)},
        {op(K::Provision, 5, 7)},
        {op(K::Delete, 2)},
        {op(K::Delete, 3)},
        {op(K::Delete, 5)},
        {op(K::Delete, 6)},
    };
}

void addPolicies() {
    QTest::addColumn<AllocationPolicyKind>("policy");
    QTest::newRow("reference") << AllocationPolicyKind::Reference;
    QTest::newRow("mainline") << AllocationPolicyKind::Mainline;
}

QString policyName(AllocationPolicyKind p) {
    return p == AllocationPolicyKind::Reference ? "reference" : "mainline";
}

} // namespace

#define REQUIRE_EMPTY(expr)                                                                        \
    do {                                                                                           \
        const std::string m_ = (expr);                                                             \
        QVERIFY2(m_.empty(), m_.c_str());                                                          \
    } while (0)

class TestThinPoolEdits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(haveThinTools(), "thin_check and thin_dump are needed"); }

    // The harness itself: a wrong expected dump, a data count that thin_check 0.9.0 does not look
    // at and a stray metadata reference are each reported.
    void verificationCatchesWrongDumpsAndBadCounts() {
        using K = EditKind;
        PoolRig rig(1024, 4096, AllocationPolicyKind::Reference);
        REQUIRE_EMPTY(rig.error());
        REQUIRE_EMPTY(rig.apply({op(K::CreateThin, 1), op(K::Map, 1, 0, 0, 300)}));
        REQUIRE_EMPTY(rig.commit());
        ImageExpectation good = rig.snapshot("harness-good.img", "harness: good");
        REQUIRE_EMPTY(verifyImages({good}));

        ImageExpectation wrongDump = good;
        wrongDump.dump.replace(wrongDump.dump.find("length=\"300\""), 12, "length=\"299\"");
        const std::string r1 = verifyImages({wrongDump});
        QVERIFY2(r1.find("thin_dump differs from the model: line 3") != std::string::npos,
                 r1.c_str());

        // Data block 5 counted twice, mapped once: thin_check passes, the audit does not.
        QVERIFY(rig.editor().dataSpaceMap().inc(5).ok());
        REQUIRE_EMPTY(rig.commit());
        const std::string r2 = verifyImages({rig.snapshot("harness-count.img", "harness: count")});
        QVERIFY2(r2.find("data block 5: space map count 2, mapped from 1") != std::string::npos,
                 r2.c_str());
        QVERIFY2(r2.find("thin_check failed") == std::string::npos, r2.c_str());

        // A stray metadata reference: thin_check reports it.
        QVERIFY(rig.editor().dataSpaceMap().dec(5).ok());
        QVERIFY(rig.editor().metadataSpaceMap().inc(1000).ok());
        REQUIRE_EMPTY(rig.commit());
        const std::string r3 = verifyImages({rig.snapshot("harness-meta.img", "harness: meta")});
        QVERIFY2(r3.find("thin_check failed") != std::string::npos, r3.c_str());
    }

    void eachOperationCommitsACheckedImage_data() { addPolicies(); }
    void eachOperationCommitsACheckedImage() {
        QFETCH(AllocationPolicyKind, policy);
        for (bool reopen : {false, true}) {
            PoolRig rig(1024, 4096, policy);
            REQUIRE_EMPTY(rig.error());
            std::vector<ImageExpectation> images;
            const QString tag = policyName(policy) + (reopen ? "-reopen" : "-same");
            images.push_back(rig.snapshot(tag + "-0.img", tag + ": fresh pool"));
            int n = 0;
            for (const Step& s : script()) {
                ++n;
                if (s.grow) REQUIRE_EMPTY(rig.grow(s.grow));
                bool applied = false;
                REQUIRE_EMPTY(rig.apply(s.op, &applied));
                QVERIFY2(applied, qPrintable(QString::fromStdString(s.op.describe())));
                REQUIRE_EMPTY(rig.commit());
                if (reopen) REQUIRE_EMPTY(rig.reopen());
                images.push_back(
                    rig.snapshot(tag + "-" + QString::number(n) + ".img",
                                 tag + ": after " + QString::fromStdString(s.op.describe())));
            }
            QVERIFY(rig.model().committed().devices.empty());
            REQUIRE_EMPTY(verifyImages(images));
        }
    }

    void allOperationsInOneTransaction_data() { addPolicies(); }
    void allOperationsInOneTransaction() {
        QFETCH(AllocationPolicyKind, policy);
        PoolRig rig(1024, 4096, policy);
        REQUIRE_EMPTY(rig.error());
        REQUIRE_EMPTY(rig.grow(3000)); // extend-metadata needs the room up front
        std::vector<ImageExpectation> images;
        auto steps = script();
        steps.resize(steps.size() - 4); // keep the devices, so the dump shows something
        for (const Step& s : steps)
            REQUIRE_EMPTY(rig.apply(s.op));
        REQUIRE_EMPTY(rig.commit());
        QVERIFY(!rig.model().committed().devices.empty());
        images.push_back(rig.snapshot(policyName(policy) + "-one.img",
                                      policyName(policy) + ": one transaction"));
        REQUIRE_EMPTY(verifyImages(images));
    }

    void refusedOperationLeavesTheImageUnchanged_data() { addPolicies(); }
    void refusedOperationLeavesTheImageUnchanged() {
        QFETCH(AllocationPolicyKind, policy);
        using K = EditKind;
        PoolRig rig(1024, 4096, policy);
        REQUIRE_EMPTY(rig.error());
        REQUIRE_EMPTY(rig.apply({op(K::CreateThin, 1), op(K::Map, 1, 0, 0, 300)}));
        REQUIRE_EMPTY(rig.commit());
        const std::vector<std::uint8_t> before = rig.device()->bytes();
        const std::vector<EditOp> refused = {
            op(K::CreateThin, 1),     op(K::CreateSnapshot, 1, 2), op(K::CreateSnapshot, 2, 9),
            op(K::Delete, 9),         op(K::Map, 9, 0, 0),         op(K::Map, 1, 0, 4095, 2),
            op(K::Unmap, 9, 0, 1),    op(K::Provision, 9, 0),      op(K::ReleaseMetadataSnapshot),
            op(K::ExtendMetadata, 1),
        };
        for (const EditOp& o : refused) {
            // Some changes first, so that the refusal has something to throw away.
            REQUIRE_EMPTY(rig.apply({op(K::CreateThin, 7), op(K::Map, 7, 0, 10, 50)}));
            bool applied = true;
            REQUIRE_EMPTY(rig.apply(o, &applied));
            QVERIFY2(!applied, qPrintable(QString::fromStdString(o.describe())));
            REQUIRE_EMPTY(rig.commit()); // commits nothing: the refusal aborted
            QVERIFY2(
                rig.device()->bytes() == before,
                qPrintable("device changed after refused " + QString::fromStdString(o.describe())));
        }
        // A second metadata snapshot is refused while one is held.
        REQUIRE_EMPTY(rig.apply(op(K::ReserveMetadataSnapshot)));
        REQUIRE_EMPTY(rig.commit());
        const std::vector<std::uint8_t> held = rig.device()->bytes();
        bool applied = true;
        REQUIRE_EMPTY(rig.apply(op(K::ReserveMetadataSnapshot), &applied));
        QVERIFY(!applied);
        REQUIRE_EMPTY(rig.commit());
        QVERIFY(rig.device()->bytes() == held);
        REQUIRE_EMPTY(verifyImages({rig.snapshot(policyName(policy) + "-refused.img",
                                                 policyName(policy) + ": after refusals")}));
    }

    // Provisioning hands out a block free at the last commit and free now: not one an explicit
    // map took earlier in the transaction, nor one an unmap freed in it.
    void provisionSkipsBlocksTakenOrFreedInTheTransaction() {
        using K = EditKind;
        PoolRig rig(1024, 100, AllocationPolicyKind::Reference);
        REQUIRE_EMPTY(rig.error());
        REQUIRE_EMPTY(rig.apply({op(K::CreateThin, 1), op(K::Map, 1, 50, 3, 2)}));
        REQUIRE_EMPTY(rig.commit());
        // Taken: 0 by map. Freed: 3, 4 by unmap. Free at commit and now: 1, 2, 5, ...
        REQUIRE_EMPTY(rig.apply({op(K::Map, 1, 0, 0), op(K::Unmap, 1, 50, 0, 2)}));
        std::vector<std::uint64_t> got;
        for (std::uint64_t v = 10; v < 14; ++v) {
            auto b = rig.editor().provision(1, v);
            QVERIFY2(b.ok(), b.ok() ? "" : b.error().describe().c_str());
            got.push_back(*b);
        }
        QCOMPARE(got, (std::vector<std::uint64_t>{1, 2, 5, 6}));
    }

    void abortDropsTheTransaction_data() { addPolicies(); }
    void abortDropsTheTransaction() {
        QFETCH(AllocationPolicyKind, policy);
        using K = EditKind;
        PoolRig rig(1024, 4096, policy);
        REQUIRE_EMPTY(rig.error());
        REQUIRE_EMPTY(rig.apply({op(K::CreateThin, 1), op(K::Map, 1, 0, 0, 300)}));
        REQUIRE_EMPTY(rig.commit());
        const std::vector<std::uint8_t> before = rig.device()->bytes();
        REQUIRE_EMPTY(rig.apply({op(K::CreateSnapshot, 2, 1), op(K::Unmap, 1, 0, 200),
                                 op(K::Provision, 2, 5000), op(K::SetTransactionId, 9)}));
        REQUIRE_EMPTY(rig.abort());
        QVERIFY(rig.device()->bytes() == before);
        // The editor goes on from the committed state.
        REQUIRE_EMPTY(rig.apply({op(K::CreateSnapshot, 2, 1), op(K::Provision, 2, 5000)}));
        REQUIRE_EMPTY(rig.commit());
        REQUIRE_EMPTY(verifyImages({rig.snapshot(policyName(policy) + "-abort.img",
                                                 policyName(policy) + ": after abort")}));
    }
};

QTEST_GUILESS_MAIN(TestThinPoolEdits)
#include "tst_thinpooledits.moc"
