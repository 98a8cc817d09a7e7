#pragma once
// State shared by every tree walk of one check, across threads: the metadata device, the
// expected reference counts, the report, and the flag that aborts an optimistic walk.

#include "core/BlockSource.h"
#include "core/check/BlockBitmap.h"
#include "core/check/CheckReport.h"
#include "core/check/MappingTrimmer.h"
#include "core/check/RefCountArray.h"

#include <atomic>

namespace dms {

struct WalkEnv {
    const BlockSource* source = nullptr;
    std::uint64_t nrBlocks = 0; // whole blocks of the device
    CheckReport* report = nullptr;
    RefCountArray metaCounts; // expected count of each metadata block
    BlockBitmap validNodes;   // blocks that passed validation as btree nodes
    bool ignoreNonFatal = false;
    MappingTrimmer trimmer; // caps the resident size of in-place reads

    // The optimistic walk assumes a healthy image: any fatal or non-fatal finding sets this
    // and the check is redone in thin_check's order. Walkers stop early once it is set.
    bool optimistic = false;
    std::atomic<bool> anomaly{false};

    std::atomic<std::uint64_t> nodesRead{0};
    std::atomic<std::uint64_t> bitmapsRead{0};
    std::atomic<std::uint64_t> mappings{0};

    bool aborted() const { return optimistic && anomaly.load(std::memory_order_relaxed); }
    // Records a finding; in the optimistic walk a fatal or non-fatal one only raises the flag.
    void add(Finding f) {
        if (optimistic && f.severity != Severity::Warning) {
            anomaly.store(true, std::memory_order_relaxed);
            return;
        }
        report->add(std::move(f));
    }
};

} // namespace dms
