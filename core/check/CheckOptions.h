#pragma once
// What a metadata check covers; mirrors the options of thin_check 0.9.0.

#include <cstddef>

namespace dms {

enum class CheckScope {
    Full,           // every tree, then the space-map reference counts
    SkipMappings,   // details tree and the top level of the mapping tree only, no counts
    SuperblockOnly, // the superblock checksum only
};

struct CheckOptions {
    CheckScope scope = CheckScope::Full;
    // Non-fatal findings (leaks, under-filled nodes) do not fail the check. Like thin_check it
    // also stops the walk of the live trees from failing on under-filled nodes.
    bool ignoreNonFatal = false;
    // Check the trees of the metadata snapshot (held_root) instead of the live ones; like
    // thin_check -m this walks the trees only and counts nothing.
    bool metadataSnapshot = false;
    // Worker threads for the mapping trees: 0 = min(2, hardware threads).
    unsigned threads = 0;
    // Findings kept in the report; further ones are only counted.
    std::size_t maxFindings = 10000;
    // Skip the optimistic parallel walk and emulate thin_check's passes one after the other
    // (tests compare both paths).
    bool exactOnly = false;
};

} // namespace dms
