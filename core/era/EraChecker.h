#pragma once
// Checks dm-era metadata and reaches era_check 0.9.0's verdict (exit 0 / 1), with findings
// naming block, field and path. Fatal, as in era_check: the superblock (checksum and the field
// checks of check_superblock), the writeset tree and every archived writeset's bitset, the era
// array (structure, and no era above current_era). Warnings only: the live writeset
// (current_writeset, which era_check ignores) and the metadata space map's counts.

#include "core/BlockSource.h"
#include "core/check/CheckReport.h"

#include <memory>

namespace dms {

struct EraCheckOptions {
    bool superblockOnly = false;
    std::size_t maxFindings = 10000;
};

class EraChecker {
public:
    EraChecker(std::shared_ptr<const BlockSource> source, EraCheckOptions options = {});
    CheckReport run();

private:
    std::shared_ptr<const BlockSource> source_;
    EraCheckOptions options_;
};

} // namespace dms
