#pragma once
// Applies one small, random corruption to a restored thin-pool image, so that the verdicts of
// thin_check and `dmscope-cli check` can be compared on damaged metadata. Content corruptions
// are resealed (valid checksum, wrong content: a count, a mapping, a device detail, a superblock
// field, key order); structural ones break the trees (node headers, child pointers into cycles,
// out of range or at the wrong kind of block, devices sharing a tree, space-map pointers); some
// leave the checksum stale (a zeroed block, a flipped bit).

#include "tests/interop/PoolXmlGenerator.h"

#include <string>

namespace dms::test {

struct CorruptionResult {
    bool applied = false;
    std::string kind;        // short name of the corruption, for tallies
    std::string description; // what was changed, or why nothing could be
};

// Reads the image's structure with the core readers, changes one block in place (pwrite).
CorruptionResult corruptImage(const std::string& imagePath, PoolRandom& rng);

} // namespace dms::test
