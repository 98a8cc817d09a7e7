#pragma once
// Damage for cache and era images, as the corruption tests apply it: one block of an image
// gets a bit flipped or is zeroed, optionally re-sealed (checksum recomputed for the block
// type it had) so that only the structure is wrong; and the shared oracle comparison.

#include <QString>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace dms::test {

enum class DamageKind { BitFlip, BitFlipResealed, Zeroed, HeaderFieldResealed };

const char* damageKindName(DamageKind k);

// Blocks of the image that are not all zero (the ones worth damaging).
std::vector<std::uint64_t> usedBlocks(const std::vector<std::uint8_t>& image);

// Damages block b in place; returns a one-line description, or nullopt when the kind does not
// apply (e.g. resealing a block of unknown type).
std::optional<QString> damageBlock(std::vector<std::uint8_t>& image, std::uint64_t b,
                                   DamageKind kind, std::mt19937_64& rng);

// The seed for this run: DMSCOPE_INTEROP_SEED (decimal or 0x-hex) or the clock.
std::uint64_t runSeed();

} // namespace dms::test
