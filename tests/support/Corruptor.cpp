#include "tests/support/Corruptor.h"

#include "core/Endian.h"
#include "core/MemoryBlockSource.h"
#include "core/check/ThinChecker.h"
#include "core/spacemap/BitmapBlock.h"
#include "tests/support/Fixtures.h"

#include <stdexcept>
#include <string>

namespace dms::test {
namespace {

std::size_t at(std::uint64_t block, std::size_t offset) {
    return static_cast<std::size_t>(block * kBlockSize + offset);
}

} // namespace

std::uint32_t Corruptor::u32(std::uint64_t block, std::size_t offset) const {
    return loadLe32(bytes_.data() + at(block, offset));
}

std::uint64_t Corruptor::u64(std::uint64_t block, std::size_t offset) const {
    return loadLe64(bytes_.data() + at(block, offset));
}

void Corruptor::setU32(std::uint64_t block, std::size_t offset, std::uint32_t v) {
    storeLe32(bytes_.data() + at(block, offset), v);
}

void Corruptor::setU64(std::uint64_t block, std::size_t offset, std::uint64_t v) {
    storeLe64(bytes_.data() + at(block, offset), v);
}

void Corruptor::flipBit(std::uint64_t block, std::size_t offset, unsigned bit) {
    bytes_.at(at(block, offset)) ^= static_cast<std::uint8_t>(1u << bit);
}

void Corruptor::zeroBlock(std::uint64_t block) {
    std::fill_n(bytes_.begin() + static_cast<std::ptrdiff_t>(at(block, 0)), kBlockSize, 0);
}

void Corruptor::swapBlocks(std::uint64_t a, std::uint64_t b) {
    std::swap_ranges(bytes_.begin() + static_cast<std::ptrdiff_t>(at(a, 0)),
                     bytes_.begin() + static_cast<std::ptrdiff_t>(at(a, kBlockSize)),
                     bytes_.begin() + static_cast<std::ptrdiff_t>(at(b, 0)));
}

void Corruptor::reseal(std::uint64_t block, BlockType type) {
    std::uint8_t* p = bytes_.data() + at(block, 0);
    storeLe32(p, computeChecksum(p, type));
}

std::uint64_t Corruptor::key(std::uint64_t node, std::uint32_t i) const {
    return u64(node, 32 + 8 * std::size_t(i));
}

std::uint64_t Corruptor::value64(std::uint64_t node, std::uint32_t i) const {
    return u64(node, 32 + 8 * std::size_t(u32(node, 20)) + 8 * std::size_t(i));
}

void Corruptor::setKey(std::uint64_t node, std::uint32_t i, std::uint64_t k) {
    setU64(node, 32 + 8 * std::size_t(i), k);
    reseal(node, BlockType::BtreeNode);
}

void Corruptor::setValue64(std::uint64_t node, std::uint32_t i, std::uint64_t v) {
    setU64(node, 32 + 8 * std::size_t(u32(node, 20)) + 8 * std::size_t(i), v);
    reseal(node, BlockType::BtreeNode);
}

void Corruptor::setNrEntries(std::uint64_t node, std::uint32_t n) {
    setU32(node, 16, n);
    reseal(node, BlockType::BtreeNode);
}

void Corruptor::swapKeys(std::uint64_t node, std::uint32_t i, std::uint32_t j) {
    const std::uint64_t a = key(node, i);
    setU64(node, 32 + 8 * std::size_t(i), key(node, j));
    setU64(node, 32 + 8 * std::size_t(j), a);
    reseal(node, BlockType::BtreeNode);
}

unsigned Corruptor::bitmapEntry(std::uint64_t bitmap, std::uint64_t entry) const {
    return dms::bitmapEntry(bytes_.data() + at(bitmap, 0), entry);
}

void Corruptor::setBitmapEntry(std::uint64_t bitmap, std::uint64_t entry, unsigned value) {
    dms::setBitmapEntry(bytes_.data() + at(bitmap, 0), entry, value);
    reseal(bitmap, BlockType::Bitmap);
}

ImageLayout Corruptor::layout() const {
    ImageLayout l;
    auto isInternal = [&](std::uint64_t node) { return (u32(node, 4) & 3) == 1; };
    auto firstChild = [&](std::uint64_t node) { return value64(node, 0); };
    l.metadataIndex = u64(0, 192 + 16);
    l.metadataRefRoot = u64(0, 192 + 24);
    l.metadataBitmap = u64(l.metadataIndex, 16);
    l.dataIndexRoot = u64(0, 64 + 16);
    l.dataRefRoot = u64(0, 64 + 24);
    std::uint64_t index = l.dataIndexRoot;
    while (isInternal(index))
        index = firstChild(index);
    l.dataBitmap = u64(index, 32 + 8 * std::size_t(u32(index, 20))); // value 0 .blocknr
    l.detailsRoot = u64(0, 328);
    l.topRoot = u64(0, 320);
    l.heldRoot = u64(0, 56);
    std::uint64_t top = l.topRoot;
    if (isInternal(top)) l.topInternal = top;
    while (isInternal(top))
        top = firstChild(top);
    l.topLeaf = top;
    for (std::uint32_t i = 0; i < nrEntries(l.topLeaf); ++i) {
        const std::uint64_t root = value64(l.topLeaf, i);
        if (isInternal(root)) {
            l.bottomInternal = root;
            l.bottomLeaf = firstChild(root);
            break;
        }
    }
    if (!l.bottomLeaf && nrEntries(l.topLeaf)) l.bottomLeaf = value64(l.topLeaf, 0);
    return l;
}

QString VerdictPair::name() const {
    if (plain == 0 && ignoringNonFatal == 0) return QStringLiteral("pass");
    if (plain == 1 && ignoringNonFatal == 0) return QStringLiteral("non-fatal");
    if (plain == 1 && ignoringNonFatal == 1) return QStringLiteral("fatal");
    return QStringLiteral("rc %1/%2").arg(plain).arg(ignoringNonFatal);
}

VerdictPair thinCheckVerdict(const QString& path, const QStringList& extra) {
    VerdictPair v;
    const RunResult a = runProgram(QStringLiteral("thin_check"), extra + QStringList{path}, 60000);
    const RunResult b =
        runProgram(QStringLiteral("thin_check"),
                   extra + QStringList{QStringLiteral("--ignore-non-fatal-errors"), path}, 60000);
    v.plain = (a.crashed || a.timedOut) ? -1 : a.exitCode;
    v.ignoringNonFatal = (b.crashed || b.timedOut) ? -1 : b.exitCode;
    return v;
}

VerdictPair checkerVerdict(const std::vector<std::uint8_t>& bytes, CheckOptions options) {
    auto source = std::make_shared<MemoryBlockSource>(bytes, false, "image");
    VerdictPair v;
    options.ignoreNonFatal = false;
    v.plain = ThinChecker(source, options).run().exitCode(false);
    options.ignoreNonFatal = true;
    v.ignoringNonFatal = ThinChecker(source, options).run().exitCode(true);
    return v;
}

VerdictPair cliVerdict(const QString& path, const QStringList& extra) {
    VerdictPair v;
    const QStringList base{QStringLiteral("check"), QStringLiteral("--quiet")};
    const RunResult a = runCli(base + extra + QStringList{path}, 60000);
    const RunResult b = runCli(
        base + extra + QStringList{QStringLiteral("--ignore-non-fatal-errors"), path}, 60000);
    v.plain = (a.crashed || a.timedOut) ? -1 : a.exitCode;
    v.ignoringNonFatal = (b.crashed || b.timedOut) ? -1 : b.exitCode;
    return v;
}

} // namespace dms::test
