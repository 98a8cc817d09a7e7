// The corruption matrix: every kind of metadata block damaged in every way that applies (bit
// flip, zeroed, swapped with another block, a child pointing back at an ancestor, nr_entries
// beyond max_entries, keys out of order; checksums re-sealed where only the structure should
// be wrong), plus files that are not metadata at all. For each: the checker names the damaged
// block and/or field, neither crashes nor hangs (in process and through the CLI with a
// timeout), and its verdict (pass / non-fatal / fatal) equals thin_check 0.9.0's on the same
// file. `dmscope-cli info` must survive the same files.

#include "core/check/ThinChecker.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QFile>
#include <QTest>
#include <functional>

using namespace dms;
using namespace dms::test;

namespace {

struct Target {
    const char* name;
    const char* fixture; // "many" = the generated 300-device pool
    std::function<std::uint64_t(const Corruptor&, const ImageLayout&)> block;
    std::function<std::uint64_t(const Corruptor&, const ImageLayout&)> partner; // for swaps
    enum Kind { Superblock, SpaceMap, SingleEntryLeaf, Leaf, Pointers } kind;   // what applies
};

std::uint64_t kernelDeviceRoot(const Corruptor& c, std::uint64_t topLeaf, std::uint64_t dev) {
    for (std::uint32_t i = 0; i < c.nrEntries(topLeaf); ++i)
        if (c.key(topLeaf, i) == dev) return c.value64(topLeaf, i);
    return 0;
}

const std::vector<Target>& targets() {
    using L = const ImageLayout&;
    using C = const Corruptor&;
    static const std::vector<Target> t = {
        {"superblock", "tools/thin_small.bin.zst", [](C, L) { return std::uint64_t(0); },
         [](C, L l) { return l.metadataIndex; }, Target::Superblock},
        {"metadata index", "tools/thin_large.bin.zst", [](C, L l) { return l.metadataIndex; },
         [](C, L l) { return l.metadataBitmap; }, Target::SpaceMap},
        {"metadata bitmap", "tools/thin_large.bin.zst", [](C, L l) { return l.metadataBitmap; },
         [](C, L l) { return l.dataBitmap; }, Target::SpaceMap},
        {"data bitmap", "tools/thin_large.bin.zst", [](C, L l) { return l.dataBitmap; },
         [](C, L l) { return l.dataIndexRoot; }, Target::SpaceMap},
        // The only non-empty metadata refcount tree (one entry: no key order to break).
        {"metadata refcount node", "kernel/pool-a/metadata-msnap.img.zst",
         [](C, L l) { return l.metadataRefRoot; }, [](C, L l) { return l.detailsRoot; },
         Target::SingleEntryLeaf},
        {"data refcount node", "tools/thin_large.bin.zst", [](C, L l) { return l.dataRefRoot; },
         [](C, L l) { return l.detailsRoot; }, Target::Leaf},
        {"data-sm index node", "tools/thin_large.bin.zst", [](C, L l) { return l.dataIndexRoot; },
         [](C, L l) { return l.dataRefRoot; }, Target::Leaf},
        {"details leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.detailsRoot; },
         [](C, L l) { return l.topLeaf; }, Target::Leaf},
        {"details internal", "many", [](C, L l) { return l.detailsRoot; },
         [](C, L l) { return l.topRoot; }, Target::Pointers},
        {"mapping top internal", "many", [](C, L l) { return l.topInternal; },
         [](C, L l) { return l.detailsRoot; }, Target::Pointers},
        {"mapping top leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.topLeaf; },
         [](C, L l) { return l.detailsRoot; }, Target::Pointers},
        {"mapping bottom internal", "tools/thin_large.bin.zst",
         [](C, L l) { return l.bottomInternal; }, [](C, L l) { return l.bottomLeaf; },
         Target::Pointers},
        {"mapping bottom leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.bottomLeaf; },
         [](C c, L l) { return c.value64(l.bottomInternal, 1); }, Target::Leaf},
        {"snapshot superblock copy", "kernel/pool-a/metadata-msnap.img.zst",
         [](C, L l) { return l.heldRoot; }, [](C c, L l) { return c.u64(l.heldRoot, 320); },
         Target::Superblock},
        {"snapshot top leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.u64(l.heldRoot, 320); }, [](C, L l) { return l.topLeaf; },
         Target::Pointers},
        {"snapshot-only bottom leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.value64(c.u64(l.heldRoot, 320), 0); },
         [](C, L l) { return l.detailsRoot; }, Target::Leaf},
        {"shared bottom internal", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return kernelDeviceRoot(c, l.topLeaf, 5); },
         [](C c, L l) { return kernelDeviceRoot(c, l.topLeaf, 7); }, Target::Pointers},
        {"shared bottom leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.value64(kernelDeviceRoot(c, l.topLeaf, 5), 1); },
         [](C c, L l) { return c.value64(kernelDeviceRoot(c, l.topLeaf, 5), 0); }, Target::Leaf},
    };
    return t;
}

std::vector<std::uint8_t> manyDevicesPool() {
    static std::vector<std::uint8_t> bytes = [] {
        QString xml = "<superblock uuid=\"\" time=\"1\" transaction=\"3\" version=\"2\" "
                      "data_block_size=\"128\" nr_data_blocks=\"4096\">\n";
        for (int d = 0; d < 300; ++d)
            xml += QString("<device dev_id=\"%1\" mapped_blocks=\"1\" transaction=\"0\" "
                           "creation_time=\"0\" snap_time=\"0\">\n<single_mapping "
                           "origin_block=\"0\" data_block=\"%1\" time=\"0\"/>\n</device>\n")
                       .arg(d);
        xml += "</superblock>\n";
        const QByteArray utf8 = xml.toUtf8();
        const QString in =
            writeTempFile("many.xml", std::vector<std::uint8_t>(utf8.begin(), utf8.end()));
        const QString out = writeTempFile("many.img", std::vector<std::uint8_t>(4 << 20, 0));
        const RunResult r = runProgram("thin_restore", {"-i", in, "-o", out});
        if (r.exitCode != 0) return std::vector<std::uint8_t>();
        QFile f(out);
        f.open(QIODevice::ReadOnly);
        const QByteArray b = f.readAll();
        return std::vector<std::uint8_t>(b.begin(), b.end());
    }();
    return bytes;
}

std::vector<std::uint8_t> imageOf(const char* fixture) {
    return QString(fixture) == "many" ? manyDevicesPool() : fixtureBytes(fixture);
}

enum class Damage { Flip, Zero, Swap, Ancestor, NrEntries, KeyOrder };

struct Expect {
    std::vector<std::uint64_t> blocks; // a finding must name one of these (empty: any)
    std::vector<std::string> fields;   // ... and one of these fields (empty: any)
};

// Applies the damage; returns what a finding must name.
Expect applyDamage(Corruptor& c, const Target& t, Damage d) {
    const ImageLayout l = c.layout();
    const std::uint64_t b = t.block(c, l);
    switch (d) {
    case Damage::Flip:
        c.flipBit(b, 100, 3);
        return {{b}, {"csum"}};
    case Damage::Zero:
        c.zeroBlock(b);
        return {{b}, {"csum"}};
    case Damage::Swap: {
        const std::uint64_t p = t.partner(c, l);
        c.swapBlocks(b, p);
        return {{b, p}, {"csum", "blocknr"}};
    }
    case Damage::Ancestor: {
        // The last child pointer leads back to the node itself (its nearest ancestor).
        const std::uint32_t last = c.nrEntries(b) - 1;
        c.setValue64(b, last, b);
        return {{b}, {"value[" + std::to_string(last) + "]"}};
    }
    case Damage::NrEntries:
        c.setNrEntries(b, c.u32(b, 20) + 1);
        return {{b}, {"nr_entries"}};
    case Damage::KeyOrder:
        c.swapKeys(b, 0, c.nrEntries(b) - 1);
        return {{b}, {"keys"}};
    }
    return {};
}

const char* damageName(Damage d) {
    switch (d) {
    case Damage::Flip:
        return "bit flip";
    case Damage::Zero:
        return "zeroed";
    case Damage::Swap:
        return "swapped";
    case Damage::Ancestor:
        return "child points at ancestor";
    case Damage::NrEntries:
        return "nr_entries > max_entries";
    case Damage::KeyOrder:
        return "keys out of order";
    }
    return "";
}

std::vector<Damage> damagesFor(Target::Kind k) {
    switch (k) {
    case Target::Superblock:
    case Target::SpaceMap:
        return {Damage::Flip, Damage::Zero, Damage::Swap};
    case Target::SingleEntryLeaf:
        return {Damage::Flip, Damage::Zero, Damage::Swap, Damage::NrEntries};
    case Target::Leaf:
        return {Damage::Flip, Damage::Zero, Damage::Swap, Damage::NrEntries, Damage::KeyOrder};
    case Target::Pointers:
        return {Damage::Flip,     Damage::Zero,      Damage::Swap,
                Damage::Ancestor, Damage::NrEntries, Damage::KeyOrder};
    }
    return {};
}

std::string listOf(const CheckReport& r) {
    std::string s;
    for (const Finding& f : r.findings())
        s += f.describe() + "\n";
    return s;
}

bool names(const CheckReport& r, const Expect& e) {
    for (const Finding& f : r.findings()) {
        const bool blockOk =
            e.blocks.empty() ||
            (f.block && std::find(e.blocks.begin(), e.blocks.end(), *f.block) != e.blocks.end());
        const bool fieldOk = e.fields.empty() ||
                             std::find(e.fields.begin(), e.fields.end(), f.field) != e.fields.end();
        if (blockOk && fieldOk && f.severity != Severity::Warning) return true;
    }
    return false;
}

// Everything a damaged file must satisfy.
void checkDamagedFile(const std::vector<std::uint8_t>& bytes, const Expect& expect,
                      const QString& fileName) {
    // In process, both passes; must terminate and name the damage.
    const auto source = std::make_shared<MemoryBlockSource>(bytes, false, "image");
    const CheckReport report = ThinChecker(source).run();
    QVERIFY2(report.verdict() != CheckVerdict::Pass, listOf(report).c_str());
    QVERIFY2(names(report, expect), ("no finding names the damage:\n" + listOf(report)).c_str());
    CheckOptions exact;
    exact.exactOnly = true;
    const CheckReport exactReport = ThinChecker(source, exact).run();
    QVERIFY2(names(exactReport, expect) || names(report, expect), listOf(exactReport).c_str());

    const QString path = writeTempFile(fileName, bytes);
    const VerdictPair tool = thinCheckVerdict(path);
    QVERIFY2(tool.plain == 0 || tool.plain == 1, "thin_check crashed or hung");
    const VerdictPair ours = checkerVerdict(bytes);
    const VerdictPair oursExact = checkerVerdict(bytes, exact);
    const VerdictPair cli = cliVerdict(path);
    QVERIFY2(ours == tool, qPrintable("core " + ours.name() + ", thin_check " + tool.name()));
    QVERIFY2(oursExact == tool, qPrintable("thin_check-order pass " + oursExact.name() +
                                           ", thin_check " + tool.name()));
    QVERIFY2(cli == tool, qPrintable("cli " + cli.name() + ", thin_check " + tool.name()));
    qInfo("verdict %s (thin_check %s)", qPrintable(ours.name()), qPrintable(tool.name()));

    // The CLI's own output for the same file: no crash, no hang, a report on stdout.
    const RunResult text = runCli({"check", path}, 30000);
    QVERIFY2(!text.crashed && !text.timedOut, text.err.constData());
    QVERIFY(text.out.contains("verdict: "));
    const RunResult info = runCli({"info", path}, 30000);
    QVERIFY2(!info.crashed && !info.timedOut, info.err.constData());
    QVERIFY(info.exitCode == 0 || info.exitCode == 1);
}

} // namespace

class TestCorruptionMatrix : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(haveThinTools(), "thin_check 0.9.0 (thin-provisioning-tools) is the oracle");
        QVERIFY2(!manyDevicesPool().empty(), "thin_restore could not build the 300-device pool");
        const Corruptor many(manyDevicesPool());
        QVERIFY2(many.layout().topInternal != 0, "the 300-device pool has no top-level internal");
        QVERIFY2((many.u32(many.layout().detailsRoot, 4) & 3) == 1,
                 "the 300-device pool's details root is not internal");
    }

    void damagedBlock_data() {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("damage");
        for (std::size_t i = 0; i < targets().size(); ++i)
            for (Damage d : damagesFor(targets()[i].kind))
                QTest::newRow(qPrintable(QString(targets()[i].name) + ": " + damageName(d)))
                    << int(i) << int(d);
    }
    void damagedBlock() {
        QFETCH(int, target);
        QFETCH(int, damage);
        const Target& t = targets()[std::size_t(target)];
        Corruptor c(imageOf(t.fixture));
        const std::uint64_t b = t.block(c, c.layout());
        QVERIFY(b != 0 || t.kind == Target::Superblock);
        if (t.kind == Target::Leaf || t.kind == Target::Pointers) QVERIFY(c.nrEntries(b) >= 2);
        const Expect e = applyDamage(c, t, Damage(damage));
        checkDamagedFile(c.bytes(), e, QString("matrix_%1_%2.img").arg(target).arg(damage));
    }

    void notMetadata_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("field");
        const auto small = fixtureBytes("tools/thin_small.bin.zst");
        const auto large = fixtureBytes("tools/thin_large.bin.zst");
        QTest::newRow("empty file") << QByteArray() << "";
        QTest::newRow("text file") << QByteArray("this is not metadata\n", 21) << "";
        QTest::newRow("long text file") << QByteArray(10000, 'x') << "csum";
        QTest::newRow("xml") << QByteArray(4096 * 2, ' ').prepend("<superblock uuid=\"\">")
                             << "csum";
        QTest::newRow("all zero") << QByteArray(1 << 20, '\0') << "csum";
        QTest::newRow("only a valid superblock")
            << QByteArray(reinterpret_cast<const char*>(small.data()), 4096)
            << "device_details_root";
        QTest::newRow("truncated mid-block")
            << QByteArray(reinterpret_cast<const char*>(large.data()), 30 * 4096 + 1000)
            << "value[";
        QTest::newRow("truncated inside the superblock")
            << QByteArray(reinterpret_cast<const char*>(small.data()), 4000) << "";
    }
    void notMetadata() {
        QFETCH(QByteArray, content);
        QFETCH(QString, field);
        const std::vector<std::uint8_t> bytes(content.begin(), content.end());
        const auto report = ThinChecker(std::make_shared<MemoryBlockSource>(bytes, false)).run();
        QCOMPARE(report.verdict(), CheckVerdict::Fatal);
        bool named = false;
        for (const Finding& f : report.findings())
            named = named || (f.severity == Severity::Fatal &&
                              QString::fromStdString(f.field).startsWith(field));
        QVERIFY2(named, listOf(report).c_str());
        checkDamagedFile(bytes, Expect{}, QString("notmeta_%1.img").arg(QTest::currentDataTag()));
    }
};

QTEST_GUILESS_MAIN(TestCorruptionMatrix)
#include "tst_corruptionmatrix.moc"
