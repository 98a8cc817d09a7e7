#include "tests/cacheera/BlockDamage.h"

#include "core/BlockType.h"

#include <QDateTime>
#include <algorithm>

namespace dms::test {

const char* damageKindName(DamageKind k) {
    switch (k) {
    case DamageKind::BitFlip:
        return "bit flip";
    case DamageKind::BitFlipResealed:
        return "bit flip, resealed";
    case DamageKind::Zeroed:
        return "zeroed";
    case DamageKind::HeaderFieldResealed:
        return "header field, resealed";
    }
    return "?";
}

std::vector<std::uint64_t> usedBlocks(const std::vector<std::uint8_t>& image) {
    std::vector<std::uint64_t> out;
    for (std::size_t b = 0; b * kBlockSize < image.size(); ++b) {
        const std::uint8_t* p = image.data() + b * kBlockSize;
        if (std::any_of(p, p + kBlockSize, [](std::uint8_t c) { return c != 0; })) out.push_back(b);
    }
    return out;
}

namespace {
std::optional<BlockType> typeOf(const std::uint8_t* p) {
    for (BlockType t : {BlockType::CacheSuperblock, BlockType::EraSuperblock, BlockType::BtreeNode,
                        BlockType::Bitmap, BlockType::MetadataIndex, BlockType::ArrayBlock})
        if (computeChecksum(p, t) == storedChecksum(p)) return t;
    return std::nullopt;
}
} // namespace

std::optional<QString> damageBlock(std::vector<std::uint8_t>& image, std::uint64_t b,
                                   DamageKind kind, std::mt19937_64& rng) {
    std::uint8_t* p = image.data() + b * kBlockSize;
    const auto type = typeOf(p);
    if (kind == DamageKind::Zeroed) {
        std::fill(p, p + kBlockSize, 0);
        return QStringLiteral("block %1 zeroed").arg(b);
    }
    if ((kind == DamageKind::BitFlipResealed || kind == DamageKind::HeaderFieldResealed) && !type)
        return std::nullopt;
    // Header fields: the first 32 bytes after the checksum (flags, numbers, sizes, roots).
    const std::size_t span = kind == DamageKind::HeaderFieldResealed ? 28 : kBlockSize - 4;
    // Mostly inside the used part of the block: the first 512 bytes hold every header and
    // most values of small images.
    const std::size_t limit = std::min<std::size_t>(span, rng() % 2 ? 508 : span);
    const std::size_t byte = 4 + rng() % limit;
    const int bit = int(rng() % 8);
    p[byte] ^= std::uint8_t(1u << bit);
    if (kind != DamageKind::BitFlip) sealBlock(p, loadLe64(p + blockNumberOffset(*type)), *type);
    return QStringLiteral("block %1 (%2) byte %3 bit %4 %5")
        .arg(b)
        .arg(type ? blockTypeName(*type) : "unknown")
        .arg(byte)
        .arg(bit)
        .arg(damageKindName(kind));
}

std::uint64_t runSeed() {
    const QByteArray env = qgetenv("DMSCOPE_INTEROP_SEED");
    if (!env.isEmpty()) {
        bool ok = false;
        const std::uint64_t v = env.toULongLong(&ok, 0);
        if (ok) return v;
    }
    return std::uint64_t(QDateTime::currentMSecsSinceEpoch());
}

} // namespace dms::test
