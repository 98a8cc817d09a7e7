#pragma once
// The superblock stage of a check. thin_check 0.9.0 validates only the checksum of a thin
// superblock (xor 160774): a bad one is fatal and ends the check. The other fields it never
// questions, so they are warnings here: magic, self block number, version, block size,
// feature flags, NEEDS_CHECK. A block that is not thin metadata at all (empty, text, XML,
// cache or era metadata, all zero) is named as such.

#include "core/check/CheckReport.h"
#include "core/thin/ThinSuperblock.h"

#include <optional>

namespace dms {

// Checks the superblock at `location` (0, or the held copy). Returns the decoded fields when
// the checksum is valid.
std::optional<ThinSuperblock> checkSuperblock(const BlockSource& source, std::uint64_t location,
                                              CheckReport& report);

} // namespace dms
