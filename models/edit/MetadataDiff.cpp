#include "models/edit/MetadataDiff.h"

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <cstring>
#include <map>

namespace dms {
namespace {

using Mappings = std::vector<std::pair<std::uint64_t, std::uint64_t>>; // vblock, data block

Expected<Mappings> mappingsOf(const ThinMetadata& md, std::uint64_t root) {
    Mappings out;
    Status s = md.forEachMapping(
        root, [&](std::uint64_t v, BlockTime bt) { out.emplace_back(v, bt.dataBlock); });
    if (!s) return s.error();
    return out;
}

void addRun(std::vector<MappingRun>& runs, MappingRun::Kind kind, std::uint64_t v) {
    if (!runs.empty() && runs.back().kind == kind && runs.back().begin + runs.back().length == v) {
        ++runs.back().length;
        return;
    }
    runs.push_back({kind, v, 1});
}

Status countDeltas(const ThinMetadata& l, const ThinMetadata& r, bool metadata,
                   std::vector<RefCountDelta>& out) {
    const auto& lroot = metadata ? l.superblock().metadataSpaceMap : l.superblock().dataSpaceMap;
    const auto& rroot = metadata ? r.superblock().metadataSpaceMap : r.superblock().dataSpaceMap;
    const SpaceMapKind kind = metadata ? SpaceMapKind::Metadata : SpaceMapKind::Data;
    auto ls = SpaceMapReader::open(l.reader(), lroot, kind);
    if (!ls) return ls.error();
    auto rs = SpaceMapReader::open(r.reader(), rroot, kind);
    if (!rs) return rs.error();
    std::vector<std::uint32_t> left(ls->nrBlocks(), 0);
    if (Status s = ls->forEachCount([&](std::uint64_t b, std::uint32_t c) { left[b] = c; }); !s)
        return s;
    return rs->forEachCount([&](std::uint64_t b, std::uint32_t c) {
        const std::uint32_t before = b < left.size() ? left[b] : 0;
        if (before != c) out.push_back({b, before, c});
    });
}

} // namespace

const char* mappingRunKindName(MappingRun::Kind kind) {
    switch (kind) {
    case MappingRun::Kind::Same:
        return "same";
    case MappingRun::Kind::Different:
        return "different";
    case MappingRun::Kind::LeftOnly:
        return "left_only";
    case MappingRun::Kind::RightOnly:
        return "right_only";
    }
    return "?";
}

Expected<std::vector<MappingRun>> MetadataDiffer::compareMappings(const ThinMetadata& left,
                                                                  std::uint64_t leftRoot,
                                                                  const ThinMetadata& right,
                                                                  std::uint64_t rightRoot) {
    auto l = mappingsOf(left, leftRoot);
    if (!l) return l.takeError();
    auto r = mappingsOf(right, rightRoot);
    if (!r) return r.takeError();
    std::vector<MappingRun> runs;
    std::size_t i = 0, j = 0;
    while (i < l->size() || j < r->size()) {
        if (j == r->size() || (i < l->size() && (*l)[i].first < (*r)[j].first)) {
            addRun(runs, MappingRun::Kind::LeftOnly, (*l)[i++].first);
        } else if (i == l->size() || (*r)[j].first < (*l)[i].first) {
            addRun(runs, MappingRun::Kind::RightOnly, (*r)[j++].first);
        } else {
            addRun(runs,
                   (*l)[i].second == (*r)[j].second ? MappingRun::Kind::Same
                                                    : MappingRun::Kind::Different,
                   (*l)[i].first);
            ++i;
            ++j;
        }
    }
    return runs;
}

Expected<MetadataDiff> MetadataDiffer::compare(std::shared_ptr<const BlockSource> left,
                                               std::shared_ptr<const BlockSource> right,
                                               const std::vector<std::uint64_t>& candidates) {
    MetadataDiff diff;
    std::vector<std::uint8_t> a(kBlockSize), b(kBlockSize);
    auto differs = [&](std::uint64_t blk) -> Expected<bool> {
        const bool inL = blk < left->blockCount(), inR = blk < right->blockCount();
        if (inL != inR) return true;
        if (Status s = left->read(blk, a.data()); !s) return s.error();
        if (Status s = right->read(blk, b.data()); !s) return s.error();
        return std::memcmp(a.data(), b.data(), kBlockSize) != 0;
    };
    if (candidates.empty()) {
        const std::uint64_t n = std::max(left->blockCount(), right->blockCount());
        for (std::uint64_t blk = 0; blk < n; ++blk) {
            auto d = differs(blk);
            if (!d) return d.takeError();
            if (*d) diff.changedBlocks.push_back(blk);
        }
    } else {
        for (std::uint64_t blk : candidates) {
            auto d = differs(blk);
            if (!d) return d.takeError();
            if (*d) diff.changedBlocks.push_back(blk);
        }
    }

    auto lm = ThinMetadata::open(left);
    if (!lm) return lm.takeError();
    auto rm = ThinMetadata::open(right);
    if (!rm) return rm.takeError();
    auto ld = (*lm)->devices((*lm)->superblock());
    if (!ld) return ld.takeError();
    auto rd = (*rm)->devices((*rm)->superblock());
    if (!rd) return rd.takeError();
    std::map<std::uint64_t, std::pair<const ThinDevice*, const ThinDevice*>> byId;
    for (const ThinDevice& d : *ld)
        byId[d.id].first = &d;
    for (const ThinDevice& d : *rd)
        byId[d.id].second = &d;
    for (const auto& [id, pair] : byId) {
        DeviceDelta delta;
        delta.id = id;
        const auto [l, r] = pair;
        if (l && r) {
            auto runs = compareMappings(**lm, l->mappingRoot, **rm, r->mappingRoot);
            if (!runs) return runs.takeError();
            delta.runs = std::move(*runs);
        } else {
            delta.presence = l ? DeviceDelta::Presence::LeftOnly : DeviceDelta::Presence::RightOnly;
            auto m = mappingsOf(l ? **lm : **rm, l ? l->mappingRoot : r->mappingRoot);
            if (!m) return m.takeError();
            for (const auto& [v, d] : *m)
                addRun(delta.runs, l ? MappingRun::Kind::LeftOnly : MappingRun::Kind::RightOnly, v);
        }
        for (const MappingRun& run : delta.runs)
            delta.blocks[static_cast<int>(run.kind)] += run.length;
        diff.devices.push_back(std::move(delta));
    }
    if (Status s = countDeltas(**lm, **rm, true, diff.metadataCounts); !s) return s.error();
    if (Status s = countDeltas(**lm, **rm, false, diff.dataCounts); !s) return s.error();
    return diff;
}

} // namespace dms
