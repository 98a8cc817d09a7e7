#pragma once
// Seeded random dm-era metadata in era_dump's XML: tracked blocks, current era, archived
// writesets (random eras below the current one, random bits) and era-array entries, which
// era_restore 0.9.0 turns into an image. xml(true) is the exact text era_dump prints for it:
// every bit of every writeset and every era-array entry.

#include <QString>
#include <cstdint>
#include <random>
#include <vector>

namespace dms::test {

struct EraWritesetSpec {
    std::uint32_t era = 0;
    std::uint32_t nrBits = 0;
    std::vector<bool> bits;
};

struct EraPoolSpec {
    std::uint32_t blockSize = 128;
    std::uint32_t nrBlocks = 0;
    std::uint32_t currentEra = 0;
    std::vector<EraWritesetSpec> writesets; // ascending era
    std::vector<std::uint32_t> eras;        // era array, nrBlocks entries

    // canonical: as era_dump prints it; else a restore input listing only some false bits and
    // only non-zero eras.
    QString xml(bool canonical) const;
};

EraPoolSpec randomEraPool(std::mt19937_64& rng);

} // namespace dms::test
