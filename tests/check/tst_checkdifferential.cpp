// Differential test against thin_check 0.9.0: random structural damage (header fields, keys,
// child pointers, bitmap entries, superblock fields; checksums re-sealed most of the time) on
// tool- and kernel-written images, with a fixed seed. The verdict pair (without and with
// --ignore-non-fatal-errors) must equal thin_check's on every case, in both passes.

#include "core/Endian.h"
#include "core/check/ThinChecker.h"
#include "tests/support/Corruptor.h"
#include "tests/support/Fixtures.h"

#include <QTest>
#include <random>

using namespace dms;
using namespace dms::test;

namespace {

// Which checksum type a block carries, if any.
std::optional<BlockType> typeOf(const Corruptor& c, std::uint64_t b) {
    const std::uint8_t* p = c.bytes().data() + b * kBlockSize;
    for (BlockType t : {BlockType::ThinSuperblock, BlockType::BtreeNode, BlockType::Bitmap,
                        BlockType::MetadataIndex})
        if (computeChecksum(p, t) == loadLe32(p)) return t;
    return std::nullopt;
}

struct Mutator {
    std::mt19937_64 rng;
    std::vector<std::uint64_t> used; // blocks carrying a valid checksum

    std::uint64_t pick(std::uint64_t n) { return n ? rng() % n : 0; }
    std::uint64_t anyUsed() { return used[pick(used.size())]; }

    std::string mutate(Corruptor& c) {
        const std::uint64_t b = anyUsed();
        const auto type = typeOf(c, b);
        const bool reseal = pick(10) != 0;
        std::string what = "block " + std::to_string(b) + ": ";
        if (type == BlockType::BtreeNode) {
            const std::uint32_t nr = c.nrEntries(b);
            const std::uint32_t max = c.u32(b, 20);
            switch (pick(6)) {
            case 0: {
                const std::uint32_t v[] = {0,       1,      max / 3 - 1,    max,
                                           max + 1, nr + 1, nr ? nr - 1 : 2};
                c.setU32(b, 16, v[pick(7)]);
                what += "nr_entries";
                break;
            }
            case 1:
                c.setU32(b, 20, std::uint32_t(pick(2) ? max + 3 : (max >= 3 ? max - 3 : 3)));
                what += "max_entries";
                break;
            case 2:
                c.setU32(b, 4, std::uint32_t(pick(6)));
                what += "flags";
                break;
            case 3:
                if (nr) {
                    const std::uint32_t i = std::uint32_t(pick(nr));
                    const std::uint64_t k = c.key(b, i);
                    const std::uint64_t v[] = {0, k + 1, k ? k - 1 : 5, c.key(b, i ? i - 1 : 0)};
                    c.setU64(b, 32 + 8 * std::size_t(i), v[pick(4)]);
                }
                what += "key";
                break;
            case 4:
                if (nr && c.u32(b, 24) == 8) {
                    const std::uint32_t i = std::uint32_t(pick(nr));
                    const std::uint64_t v[] = {anyUsed(), b, c.value64(b, i) ^ (1ull << pick(64)),
                                               pick(c.blockCount() + 8)};
                    c.setU64(b, 32 + 8 * std::size_t(max) + 8 * std::size_t(i), v[pick(4)]);
                }
                what += "value";
                break;
            default:
                c.setU32(b, 24, std::uint32_t(pick(2) ? 4 : 16));
                what += "value_size";
                break;
            }
        } else if (type == BlockType::Bitmap) {
            const std::uint64_t e = pick(2000);
            c.setBitmapEntry(b, e, unsigned(pick(4)));
            what += "bitmap entry " + std::to_string(e);
        } else if (type == BlockType::MetadataIndex) {
            c.setU32(b, 16 + 16 * std::size_t(pick(3)) + (pick(2) ? 8 : 12),
                     std::uint32_t(pick(30000)));
            what += "index entry";
        } else {
            const std::size_t offs[] = {4, 8, 56, 64, 72, 80, 88, 192, 200, 208, 216, 320, 328};
            const std::size_t o = offs[pick(13)];
            const std::uint64_t v[] = {0, 1, anyUsed(), c.u64(b, o) ^ (1ull << pick(64))};
            c.setU64(b, o, v[pick(4)]);
            what += "superblock offset " + std::to_string(o);
        }
        if (reseal && type) c.reseal(b, *type);
        if (!reseal) c.flipBit(b, 0, 0); // the checksum no longer matches
        return what + (reseal ? "" : " (checksum left broken)");
    }
};

} // namespace

class TestCheckDifferential : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(haveThinTools(), "thin_check 0.9.0 (thin-provisioning-tools) is the oracle");
    }

    void randomDamageGetsThinChecksVerdict_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("cases");
        QTest::newRow("thin_small") << "tools/thin_small.bin.zst" << 40;
        QTest::newRow("thin_large") << "tools/thin_large.bin.zst" << 40;
        QTest::newRow("kernel state A") << "kernel/pool-a/metadata-msnap.img.zst" << 40;
    }
    void randomDamageGetsThinChecksVerdict() {
        QFETCH(QString, fixture);
        QFETCH(int, cases);
        const auto original = fixtureBytes(fixture);
        Mutator m{std::mt19937_64(20240601), {}};
        const Corruptor base(original);
        // Blocks in use (the kernel image also holds stale copies that nothing references).
        const std::uint64_t index = base.layout().metadataIndex;
        for (std::uint64_t b = 0; b < base.blockCount(); ++b) {
            const std::uint64_t bitmap = base.u64(index, 16 + 16 * std::size_t(b / 16320));
            if (typeOf(base, b) && base.bitmapEntry(bitmap, b % 16320) != 0) m.used.push_back(b);
        }
        int nonPass = 0;
        for (int i = 0; i < cases; ++i) {
            Corruptor c(original);
            std::string what = m.mutate(c);
            if (m.pick(4) == 0) what += "; " + m.mutate(c);
            const QString path = writeTempFile("differential.img", c.bytes());
            const VerdictPair tool = thinCheckVerdict(path);
            const VerdictPair ours = checkerVerdict(c.bytes());
            CheckOptions exact;
            exact.exactOnly = true;
            const VerdictPair oursExact = checkerVerdict(c.bytes(), exact);
            const std::string msg = "case " + std::to_string(i) + " (" + what + "): thin_check " +
                                    tool.name().toStdString() + ", dmscope " +
                                    ours.name().toStdString() + " / " +
                                    oursExact.name().toStdString();
            QVERIFY2(ours == tool && oursExact == tool, msg.c_str());
            nonPass += tool.plain != 0;
        }
        QVERIFY2(nonPass > cases / 3, "the damage should mostly be detectable");
    }
};

QTEST_GUILESS_MAIN(TestCheckDifferential)
#include "tst_checkdifferential.moc"
