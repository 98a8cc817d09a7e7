#include "tests/cacheera/CachePoolGenerator.h"

#include <QByteArray>
#include <algorithm>
#include <set>

namespace dms::test {

namespace {
std::uint64_t between(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}
// Log-uniform in [lo, hi]: small and large sizes equally often.
std::uint64_t logBetween(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) {
    const double a = std::log(double(lo)), b = std::log(double(hi) + 1);
    const double x = std::uniform_real_distribution<double>(a, b)(rng);
    return std::clamp<std::uint64_t>(std::uint64_t(std::exp(x)), lo, hi);
}
QString base64(std::uint32_t v) {
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (8 * i)) & 0xff);
    return QString::fromLatin1(b.toBase64());
}
} // namespace

CachePoolSpec randomCachePool(std::mt19937_64& rng, bool large) {
    CachePoolSpec p;
    static const std::uint32_t sizes[] = {64, 128, 256, 512, 1024, 2048};
    static const char* policies[] = {"smq", "mq", "cleaner", "smq", "p0123456789abcd"};
    p.blockSize = sizes[between(rng, 0, 5)];
    p.policy = QString::fromLatin1(policies[between(rng, 0, 4)]);
    p.nrCacheBlocks = large ? std::uint32_t(between(rng, 252 * 509 + 1, 140000))
                            : std::uint32_t(logBetween(rng, 1, 40000));
    p.version = unsigned(between(rng, 1, 2));
    // Density from empty to full, so that whole array blocks are empty, full, or mixed.
    const double density = std::uniform_real_distribution<double>(0, 1)(rng);
    const double dirtyShare = std::uniform_real_distribution<double>(0, 1)(rng);
    const double hintShare = std::uniform_real_distribution<double>(0, 1)(rng);
    const std::uint64_t originSpan = logBetween(rng, p.nrCacheBlocks, std::uint64_t(1) << 40);
    std::set<std::uint64_t> origins;
    std::bernoulli_distribution mapped(density), dirty(dirtyShare), hinted(hintShare), stray(0.01);
    for (std::uint32_t c = 0; c < p.nrCacheBlocks; ++c) {
        if (!mapped(rng)) {
            if (stray(rng)) p.strayHints.push_back({c, std::uint32_t(rng())});
            continue;
        }
        std::uint64_t o;
        do
            o = between(rng, 0, originSpan);
        while (!origins.insert(o).second);
        CacheMappingSpec m;
        m.cblock = c;
        m.origin = o;
        m.dirty = dirty(rng);
        m.hasHint = hinted(rng);
        m.hint = std::uint32_t(rng());
        p.mappings.push_back(m);
    }
    return p;
}

QString CachePoolSpec::xml(bool canonical, bool allClean) const {
    QString s;
    s.reserve(int(mappings.size()) * 120 + 256);
    s += QStringLiteral("<superblock uuid=\"\" block_size=\"%1\" nr_cache_blocks=\"%2\" "
                        "policy=\"%3\" hint_width=\"4\">\n")
             .arg(blockSize)
             .arg(nrCacheBlocks)
             .arg(policy);
    s += QStringLiteral("  <mappings>\n");
    for (const CacheMappingSpec& m : mappings)
        s += QStringLiteral("    <mapping cache_block=\"%1\" origin_block=\"%2\" dirty=\"%3\"/>\n")
                 .arg(m.cblock)
                 .arg(m.origin)
                 .arg(m.dirty && !allClean ? QStringLiteral("true") : QStringLiteral("false"));
    s += QStringLiteral("  </mappings>\n  <hints>\n");
    auto hint = [&](std::uint64_t c, std::uint32_t v) {
        s += QStringLiteral("    <hint cache_block=\"%1\" data=\"%2\"/>\n").arg(c).arg(base64(v));
    };
    std::size_t k = 0;
    for (const CacheMappingSpec& m : mappings) {
        // Stray hints interleaved in cache-block order (restore input only).
        for (; !canonical && k < strayHints.size() && strayHints[k].first < m.cblock; ++k)
            hint(strayHints[k].first, strayHints[k].second);
        // cache_restore grows the hint array with zeros: every valid block has a hint.
        if (m.hasHint)
            hint(m.cblock, m.hint);
        else if (canonical)
            hint(m.cblock, 0);
    }
    for (; !canonical && k < strayHints.size(); ++k)
        hint(strayHints[k].first, strayHints[k].second);
    s += QStringLiteral("  </hints>\n</superblock>\n");
    return s;
}

std::uint64_t CachePoolSpec::imageBlocks() const {
    const std::uint64_t arrays =
        nrCacheBlocks / 509 + nrCacheBlocks / 1018 + 2 * (nrCacheBlocks / 32576) + 8;
    return std::max<std::uint64_t>(1024, 2 * arrays + 64);
}

} // namespace dms::test
