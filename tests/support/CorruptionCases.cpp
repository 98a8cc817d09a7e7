#include "tests/support/CorruptionCases.h"

#include "tests/support/Fixtures.h"

#include <QFile>

namespace dms::test {

namespace {

std::uint64_t kernelDeviceRoot(const Corruptor& c, std::uint64_t topLeaf, std::uint64_t dev) {
    for (std::uint32_t i = 0; i < c.nrEntries(topLeaf); ++i)
        if (c.key(topLeaf, i) == dev) return c.value64(topLeaf, i);
    return 0;
}

} // namespace

const std::vector<CorruptionTarget>& corruptionTargets() {
    using L = const ImageLayout&;
    using C = const Corruptor&;
    static const std::vector<CorruptionTarget> t = {
        {"superblock", "tools/thin_small.bin.zst", [](C, L) { return std::uint64_t(0); },
         [](C, L l) { return l.metadataIndex; }, CorruptionTarget::Superblock},
        {"metadata index", "tools/thin_large.bin.zst", [](C, L l) { return l.metadataIndex; },
         [](C, L l) { return l.metadataBitmap; }, CorruptionTarget::SpaceMap},
        {"metadata bitmap", "tools/thin_large.bin.zst", [](C, L l) { return l.metadataBitmap; },
         [](C, L l) { return l.dataBitmap; }, CorruptionTarget::SpaceMap},
        {"data bitmap", "tools/thin_large.bin.zst", [](C, L l) { return l.dataBitmap; },
         [](C, L l) { return l.dataIndexRoot; }, CorruptionTarget::SpaceMap},
        // The only non-empty metadata refcount tree (one entry: no key order to break).
        {"metadata refcount node", "kernel/pool-a/metadata-msnap.img.zst",
         [](C, L l) { return l.metadataRefRoot; }, [](C, L l) { return l.detailsRoot; },
         CorruptionTarget::SingleEntryLeaf},
        {"data refcount node", "tools/thin_large.bin.zst", [](C, L l) { return l.dataRefRoot; },
         [](C, L l) { return l.detailsRoot; }, CorruptionTarget::Leaf},
        {"data-sm index node", "tools/thin_large.bin.zst", [](C, L l) { return l.dataIndexRoot; },
         [](C, L l) { return l.dataRefRoot; }, CorruptionTarget::Leaf},
        {"details leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.detailsRoot; },
         [](C, L l) { return l.topLeaf; }, CorruptionTarget::Leaf},
        {"details internal", "many", [](C, L l) { return l.detailsRoot; },
         [](C, L l) { return l.topRoot; }, CorruptionTarget::Pointers},
        {"mapping top internal", "many", [](C, L l) { return l.topInternal; },
         [](C, L l) { return l.detailsRoot; }, CorruptionTarget::Pointers},
        {"mapping top leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.topLeaf; },
         [](C, L l) { return l.detailsRoot; }, CorruptionTarget::Pointers},
        {"mapping bottom internal", "tools/thin_large.bin.zst",
         [](C, L l) { return l.bottomInternal; }, [](C, L l) { return l.bottomLeaf; },
         CorruptionTarget::Pointers},
        {"mapping bottom leaf", "tools/thin_large.bin.zst", [](C, L l) { return l.bottomLeaf; },
         [](C c, L l) { return c.value64(l.bottomInternal, 1); }, CorruptionTarget::Leaf},
        {"snapshot superblock copy", "kernel/pool-a/metadata-msnap.img.zst",
         [](C, L l) { return l.heldRoot; }, [](C c, L l) { return c.u64(l.heldRoot, 320); },
         CorruptionTarget::Superblock},
        {"snapshot top leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.u64(l.heldRoot, 320); }, [](C, L l) { return l.topLeaf; },
         CorruptionTarget::Pointers},
        {"snapshot-only bottom leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.value64(c.u64(l.heldRoot, 320), 0); },
         [](C, L l) { return l.detailsRoot; }, CorruptionTarget::Leaf},
        {"shared bottom internal", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return kernelDeviceRoot(c, l.topLeaf, 5); },
         [](C c, L l) { return kernelDeviceRoot(c, l.topLeaf, 7); }, CorruptionTarget::Pointers},
        {"shared bottom leaf", "kernel/pool-a/metadata-msnap.img.zst",
         [](C c, L l) { return c.value64(kernelDeviceRoot(c, l.topLeaf, 5), 1); },
         [](C c, L l) { return c.value64(kernelDeviceRoot(c, l.topLeaf, 5), 0); },
         CorruptionTarget::Leaf},
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

std::vector<std::uint8_t> targetImage(const CorruptionTarget& t) {
    return QString(t.fixture) == "many" ? manyDevicesPool() : fixtureBytes(t.fixture);
}

DamageExpectation applyDamage(Corruptor& c, const CorruptionTarget& t, Damage d) {
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

std::vector<Damage> damagesFor(CorruptionTarget::Kind k) {
    switch (k) {
    case CorruptionTarget::Superblock:
    case CorruptionTarget::SpaceMap:
        return {Damage::Flip, Damage::Zero, Damage::Swap};
    case CorruptionTarget::SingleEntryLeaf:
        return {Damage::Flip, Damage::Zero, Damage::Swap, Damage::NrEntries};
    case CorruptionTarget::Leaf:
        return {Damage::Flip, Damage::Zero, Damage::Swap, Damage::NrEntries, Damage::KeyOrder};
    case CorruptionTarget::Pointers:
        return {Damage::Flip,     Damage::Zero,      Damage::Swap,
                Damage::Ancestor, Damage::NrEntries, Damage::KeyOrder};
    }
    return {};
}

std::vector<CorruptionCase> allCorruptionCases() {
    std::vector<CorruptionCase> cases;
    for (const CorruptionTarget& t : corruptionTargets())
        for (Damage d : damagesFor(t.kind)) {
            Corruptor c(targetImage(t));
            DamageExpectation e = applyDamage(c, t, d);
            cases.push_back({QString::fromLatin1(t.name) + QStringLiteral(": ") +
                                 QString::fromLatin1(damageName(d)),
                             c.bytes(), std::move(e)});
        }
    return cases;
}

} // namespace dms::test
