#pragma once
// What the charts are drawn from, computed once per document on a worker thread: the metadata
// statistics (what `dmscope-cli stats --json` prints), both space maps' index entries (free
// entries per bitmap); and, for a selected device, its mapping-time histogram.

#include "core/spacemap/IndexEntry.h"
#include "core/thin/MappingTimeHistogram.h"
#include "core/thin/MetadataStats.h"

#include <QString>
#include <optional>

namespace dms {

struct DeviceMappingTimes {
    std::uint64_t devId = 0;
    MappingTimeHistogram histogram;
};

struct ChartInputs {
    QString poolName; // shown in subtitles
    MetadataStats stats;
    std::vector<IndexEntry> metadataIndex;
    std::vector<IndexEntry> dataIndex;
    std::vector<std::string> indexProblems;

    // Trees, devices and times from sb (live or held copy); space maps from the live superblock,
    // as MetadataStats::compute.
    static ChartInputs compute(const ThinMetadata& md, const ThinSuperblock& sb,
                               const QString& poolName);
    static DeviceMappingTimes computeDevice(const ThinMetadata& md, const ThinSuperblock& sb,
                                            std::uint64_t devId,
                                            const std::atomic<bool>* cancel = nullptr);
};

} // namespace dms
