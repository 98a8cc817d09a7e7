#pragma once
// Applies one small, random corruption to a restored thin-pool image, so that the verdicts of
// thin_check and `dmscope-cli check` can be compared on damaged metadata. Some corruptions are
// resealed (valid checksum, wrong content: a bitmap count, a mapping, a device detail, a
// superblock field, key order), others are not (a zeroed block, a flipped bit).

#include "tests/interop/PoolXmlGenerator.h"

#include <string>

namespace dms::test {

struct CorruptionResult {
    bool applied = false;
    std::string description; // what was changed, or why nothing could be
};

// Reads the image's structure with the core readers, changes one block in place (pwrite).
CorruptionResult corruptImage(const std::string& imagePath, PoolRandom& rng);

} // namespace dms::test
