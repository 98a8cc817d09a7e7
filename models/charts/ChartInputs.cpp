#include "models/charts/ChartInputs.h"

#include "core/spacemap/SpaceMapReader.h"

namespace dms {

ChartInputs ChartInputs::compute(const ThinMetadata& md, const ThinSuperblock& sb,
                                 const QString& poolName) {
    ChartInputs in;
    in.poolName = poolName;
    in.stats = MetadataStats::compute(md, sb);
    const ThinSuperblock& live = md.superblock();
    auto index = [&](const SpaceMapRoot& root, SpaceMapKind kind, std::vector<IndexEntry>& out) {
        auto sm = SpaceMapReader::open(md.reader(), root, kind);
        if (!sm) {
            in.indexProblems.push_back(std::string(spaceMapKindName(kind)) + ": " +
                                       sm.error().describe());
            return;
        }
        out = sm->indexEntries();
    };
    index(live.metadataSpaceMap, SpaceMapKind::Metadata, in.metadataIndex);
    index(live.dataSpaceMap, SpaceMapKind::Data, in.dataIndex);
    return in;
}

DeviceMappingTimes ChartInputs::computeDevice(const ThinMetadata& md, const ThinSuperblock& sb,
                                              std::uint64_t devId,
                                              const std::atomic<bool>* cancel) {
    return {devId, MappingTimeHistogram::compute(md, sb, devId, cancel)};
}

} // namespace dms
