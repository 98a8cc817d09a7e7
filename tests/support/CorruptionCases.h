#pragma once
// The corruption matrix's cases, shared by the checker's tests and the GUI's: every kind of
// metadata block damaged in every way that applies (bit flip, zeroed, swapped with another block,
// a child pointing back at an ancestor, nr_entries beyond max_entries, keys out of order;
// checksums re-sealed where only the structure should be wrong), each with what a finding must
// name.

#include "tests/support/Corruptor.h"

#include <QString>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dms::test {

struct CorruptionTarget {
    const char* name;
    const char* fixture; // "many" = the generated 300-device pool
    std::function<std::uint64_t(const Corruptor&, const ImageLayout&)> block;
    std::function<std::uint64_t(const Corruptor&, const ImageLayout&)> partner; // for swaps
    enum Kind { Superblock, SpaceMap, SingleEntryLeaf, Leaf, Pointers } kind;   // what applies
};

enum class Damage { Flip, Zero, Swap, Ancestor, NrEntries, KeyOrder };

struct DamageExpectation {
    std::vector<std::uint64_t> blocks; // a finding must name one of these (empty: any)
    std::vector<std::string> fields;   // ... and one of these fields (empty: any)
};

const std::vector<CorruptionTarget>& corruptionTargets();
std::vector<Damage> damagesFor(CorruptionTarget::Kind k);
const char* damageName(Damage d);
// The 300-device pool made by thin_restore (empty if thin_restore failed).
std::vector<std::uint8_t> manyDevicesPool();
// The undamaged image of a target.
std::vector<std::uint8_t> targetImage(const CorruptionTarget& t);
// Applies the damage; returns what a finding must name.
DamageExpectation applyDamage(Corruptor& c, const CorruptionTarget& t, Damage d);

// Every (target, damage) pair, applied: name "details leaf: zeroed", bytes, expectation.
struct CorruptionCase {
    QString name;
    std::vector<std::uint8_t> bytes;
    DamageExpectation expect;
};
std::vector<CorruptionCase> allCorruptionCases();

} // namespace dms::test
