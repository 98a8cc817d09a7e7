#include "core/thin/ThinRmap.h"

#include "core/thin/ThinTreeWalk.h"

#include <algorithm>
#include <optional>
#include <sstream>

namespace dms {

namespace {

// The regions as sorted, disjoint intervals: "in any region" becomes one binary search.
class RegionSet {
public:
    explicit RegionSet(std::vector<DataRegion> regions) {
        std::sort(regions.begin(), regions.end(),
                  [](const DataRegion& a, const DataRegion& b) { return a.begin < b.begin; });
        for (const DataRegion& r : regions) {
            if (r.end <= r.begin) continue;
            if (!merged_.empty() && r.begin <= merged_.back().end)
                merged_.back().end = std::max(merged_.back().end, r.end);
            else
                merged_.push_back(r);
        }
    }
    bool contains(std::uint64_t b) const {
        auto it =
            std::upper_bound(merged_.begin(), merged_.end(), b,
                             [](std::uint64_t v, const DataRegion& r) { return v < r.begin; });
        return it != merged_.begin() && b < std::prev(it)->end;
    }

private:
    std::vector<DataRegion> merged_;
};

class RunCollector {
public:
    void add(std::uint32_t dev, std::uint64_t thinBlock, std::uint64_t dataBlock) {
        if (current_ && current_->thinDev == dev && dataBlock == current_->dataEnd &&
            thinBlock == current_->thinBegin + (current_->dataEnd - current_->dataBegin)) {
            ++current_->dataEnd;
            return;
        }
        if (current_) runs_.push_back(*current_);
        current_ = RmapRun{dataBlock, dataBlock + 1, dev, thinBlock};
    }
    std::vector<RmapRun> finish() {
        if (current_) runs_.push_back(*current_);
        current_.reset();
        std::sort(runs_.begin(), runs_.end(),
                  [](const RmapRun& a, const RmapRun& b) { return a.dataBegin < b.dataBegin; });
        return std::move(runs_);
    }

private:
    std::optional<RmapRun> current_;
    std::vector<RmapRun> runs_;
};

} // namespace

Expected<std::vector<RmapRun>> computeThinRmap(const ThinMetadata& md,
                                               const std::vector<DataRegion>& regions) {
    const BlockReader& reader = md.reader();
    const RegionSet inRegions(regions);
    RunCollector collector;
    VisitedBlocks visited(reader.blockCount());

    ThinTreeWalkConfig top;
    top.visited = &visited;
    top.treeName = "mapping";
    Status s = walkThinTreeLeaves(
        reader, md.superblock().dataMappingRoot, top, [&](const BtreeNode& topLeaf) -> Status {
            for (std::uint32_t d = 0; d < topLeaf.nrEntries(); ++d) {
                const std::uint64_t dev = topLeaf.key(d);
                ThinTreeWalkConfig bottom;
                bottom.visited = &visited;
                bottom.treeName = "mapping[dev " + std::to_string(dev) + "]";
                Status b = walkThinTreeLeaves(
                    reader, topLeaf.valueU64(d), bottom, [&](const BtreeNode& leaf) -> Status {
                        const std::uint32_t nr = leaf.nrEntries();
                        const std::uint8_t* keys = leaf.block().data() + kNodeHeaderSize;
                        const std::uint8_t* values = nr ? leaf.value(0) : nullptr;
                        for (std::uint32_t i = 0; i < nr; ++i) {
                            const std::uint64_t data = loadLe64(values + 8ull * i) >> 24;
                            if (inRegions.contains(data))
                                collector.add(static_cast<std::uint32_t>(dev),
                                              loadLe64(keys + 8ull * i), data);
                        }
                        return Status::success();
                    });
                if (!b) return b;
            }
            return Status::success();
        });
    if (!s) return s.error();
    return collector.finish();
}

void writeThinRmap(OutputBuffer& out, const std::vector<RmapRun>& runs) {
    for (const RmapRun& r : runs) {
        out.append("data ");
        out.appendU64(r.dataBegin);
        out.append("..");
        out.appendU64(r.dataEnd);
        out.append(" -> thin(");
        out.appendU32(r.thinDev);
        out.append(") ");
        out.appendU64(r.thinBegin);
        out.append("..");
        out.appendU64(r.thinBegin + (r.dataEnd - r.dataBegin));
        out.put('\n');
    }
}

Expected<DataRegion> parseDataRegion(const std::string& text) {
    std::istringstream in(text);
    char dots[2] = {'\0', '\0'};
    DataRegion r;
    in >> r.begin;
    in.read(dots, sizeof(dots));
    if (dots[0] != '.' || dots[1] != '.')
        return makeError(ErrorKind::Usage, "badly formed region (no dots)");
    in >> r.end;
    if (in.fail())
        return makeError(ErrorKind::Usage, "badly formed region (couldn't parse numbers)");
    if (r.end <= r.begin) return makeError(ErrorKind::Usage, "badly formed region (end <= begin)");
    return r;
}

} // namespace dms
