#pragma once
// Checks of written thin-pool metadata that Debian's thin_check 0.9.0 does not make (it accepts a
// data block mapped with count 0, or counted with no mapping): every data block's reference count
// equals the leaf entries, in distinct leaves, that map it from the live trees and the held
// snapshot's (FORMAT.md §7); both space maps' nr_allocated equal the blocks with a non-zero
// count, and every index entry is exact as the kernel writes it (nr_free = 16320 - allocated
// entries of its bitmap, none_free_before at or below the first free entry; FORMAT.md §5, §11).

#include "core/BlockSource.h"

#include <memory>
#include <string>

namespace dms::test {

// Empty when the image passes; else one line per problem (at most a few of each kind).
std::string auditPool(std::shared_ptr<const BlockSource> image);

} // namespace dms::test
