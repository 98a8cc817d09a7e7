#pragma once
// Checks dm-cache metadata and reaches cache_check 0.9.0's verdict (exit 0 / 1), with findings
// naming block, field and path. What cache_check looks at is fatal when damaged: the superblock
// (checksum and the field checks of check_superblock), the mapping array (spine, array blocks,
// a valid mapping with unknown flags, an origin block mapped twice, missing entries) and the
// hint array. What it constructs but never walks (the discard and format-2 dirty bitsets) and
// the metadata space map (counts against the references found) are checked too, as warnings.

#include "core/BlockSource.h"
#include "core/check/CheckReport.h"

#include <memory>

namespace dms {

struct CacheCheckOptions {
    bool superblockOnly = false;
    bool checkMappings = true;
    bool checkHints = true;
    bool checkDiscards = true;
    std::size_t maxFindings = 10000;
};

class CacheChecker {
public:
    CacheChecker(std::shared_ptr<const BlockSource> source, CacheCheckOptions options = {});
    CheckReport run();

private:
    std::shared_ptr<const BlockSource> source_;
    CacheCheckOptions options_;
};

} // namespace dms
