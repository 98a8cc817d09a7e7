#pragma once
// Checks thin-pool metadata and reaches the same verdict as thin_check 0.9.0 (pass, fails
// only with non-fatal errors, fatal), with findings that name block, field and path.
//
// A full check counts every reference to every metadata block, walking the details and
// mapping trees from the live superblock and from the metadata snapshot (held_root), then the
// space maps' own blocks, and compares the counts with the metadata space map. Data counts
// (one byte per data block) are compared with the data space map for warnings.
//
// Speed: a healthy image is checked in one optimistic pass, bottom-level mapping trees on
// several threads, nodes read in place from the mapped device. If that pass meets anything
// fatal or non-fatal, the check is redone in thin_check's own order (a pass over the live
// trees, then the counting pass), whose outcome can depend on the order of damage.

#include "core/check/CheckOptions.h"
#include "core/check/CheckReport.h"
#include "core/thin/ThinSuperblock.h"

#include <memory>

namespace dms {

struct WalkEnv;

class ThinChecker {
public:
    ThinChecker(std::shared_ptr<const BlockSource> source, CheckOptions options = {});

    CheckReport run();

private:
    void checkTreesOnly(CheckReport& report, const ThinSuperblock& sb);
    bool runFull(CheckReport& report, const ThinSuperblock& sb, bool optimistic);
    unsigned threads() const;

    std::shared_ptr<const BlockSource> source_;
    CheckOptions options_;
};

} // namespace dms
