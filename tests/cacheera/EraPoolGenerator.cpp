#include "tests/cacheera/EraPoolGenerator.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace dms::test {

namespace {
std::uint64_t between(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}
std::uint64_t logBetween(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) {
    const double a = std::log(double(lo)), b = std::log(double(hi) + 1);
    const double x = std::uniform_real_distribution<double>(a, b)(rng);
    return std::clamp<std::uint64_t>(std::uint64_t(std::exp(x)), lo, hi);
}
} // namespace

EraPoolSpec randomEraPool(std::mt19937_64& rng) {
    EraPoolSpec p;
    p.blockSize = std::uint32_t(64) << between(rng, 0, 5);
    p.nrBlocks = std::uint32_t(logBetween(rng, 1, 8000));
    p.currentEra = std::uint32_t(logBetween(rng, 1, 100000));
    std::set<std::uint32_t> eras;
    const std::uint64_t nrWritesets = between(rng, 0, std::min<std::uint32_t>(4, p.currentEra));
    while (eras.size() < nrWritesets)
        eras.insert(std::uint32_t(between(rng, 0, p.currentEra - 1)));
    for (std::uint32_t era : eras) {
        EraWritesetSpec w;
        w.era = era;
        w.nrBits = rng() % 4 ? p.nrBlocks : std::uint32_t(between(rng, 1, p.nrBlocks));
        std::bernoulli_distribution bit(std::uniform_real_distribution<double>(0, 1)(rng));
        for (std::uint32_t i = 0; i < w.nrBits; ++i)
            w.bits.push_back(bit(rng));
        p.writesets.push_back(std::move(w));
    }
    std::bernoulli_distribution written(std::uniform_real_distribution<double>(0, 1)(rng));
    for (std::uint32_t i = 0; i < p.nrBlocks; ++i)
        p.eras.push_back(written(rng) ? std::uint32_t(between(rng, 1, p.currentEra)) : 0);
    return p;
}

QString EraPoolSpec::xml(bool canonical) const {
    QString s;
    s += QStringLiteral("<superblock uuid=\"\" block_size=\"%1\" nr_blocks=\"%2\" "
                        "current_era=\"%3\">\n")
             .arg(blockSize)
             .arg(nrBlocks)
             .arg(currentEra);
    for (const EraWritesetSpec& w : writesets) {
        s += QStringLiteral("  <writeset era=\"%1\" nr_bits=\"%2\">\n").arg(w.era).arg(w.nrBits);
        for (std::uint32_t i = 0; i < w.nrBits; ++i)
            if (canonical || w.bits[i] || i % 7 == 0)
                s += QStringLiteral("    <bit block=\"%1\" value=\"%2\"/>\n")
                         .arg(i)
                         .arg(w.bits[i] ? QStringLiteral("true") : QStringLiteral("false"));
        s += QStringLiteral("  </writeset>\n");
    }
    s += QStringLiteral("  <era_array>\n");
    for (std::uint32_t i = 0; i < nrBlocks; ++i)
        if (canonical || eras[i])
            s += QStringLiteral("    <era block=\"%1\" era=\"%2\"/>\n").arg(i).arg(eras[i]);
    s += QStringLiteral("  </era_array>\n</superblock>\n");
    return s;
}

} // namespace dms::test
