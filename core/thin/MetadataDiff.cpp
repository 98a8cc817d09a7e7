#include "core/thin/MetadataDiff.h"

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/BitmapBlock.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_set>

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

using Overflow = std::vector<std::pair<std::uint64_t, std::uint32_t>>; // refcount tree, sorted

std::uint32_t overflowCount(const Overflow& o, std::uint64_t b) {
    const auto it = std::lower_bound(o.begin(), o.end(), std::make_pair(b, std::uint32_t(0)));
    return it != o.end() && it->first == b ? it->second : 0;
}

// Counts compared bitmap by bitmap: a bitmap whose entries are byte-identical on both sides
// (shadowed or not) is skipped, so memory stays at one bitmap per side and the work at the
// bitmaps a transaction touched; counts of three or more come from the refcount trees.
Status countDeltas(const ThinMetadata& l, const ThinSuperblock& lsb, const ThinMetadata& r,
                   const ThinSuperblock& rsb, bool metadata, std::vector<RefCountDelta>& out) {
    const auto& lroot = metadata ? lsb.metadataSpaceMap : lsb.dataSpaceMap;
    const auto& rroot = metadata ? rsb.metadataSpaceMap : rsb.dataSpaceMap;
    const SpaceMapKind kind = metadata ? SpaceMapKind::Metadata : SpaceMapKind::Data;
    auto ls = SpaceMapReader::open(l.reader(), lroot, kind);
    if (!ls) return ls.error();
    auto rs = SpaceMapReader::open(r.reader(), rroot, kind);
    if (!rs) return rs.error();
    auto lo = ls->refCountEntries();
    if (!lo) return lo.error();
    auto ro = rs->refCountEntries();
    if (!ro) return ro.error();
    const std::uint64_t n = std::max(ls->nrBlocks(), rs->nrBlocks());
    const std::uint64_t bitmaps = (n + kEntriesPerBitmap - 1) / kEntriesPerBitmap;
    std::vector<bool> skipped(bitmaps, false);
    const std::size_t payload = kEntriesPerBitmap / 4;
    for (std::uint64_t i = 0; i < bitmaps; ++i) {
        const std::uint64_t first = i * kEntriesPerBitmap;
        const bool inL = i < ls->indexEntries().size(), inR = i < rs->indexEntries().size();
        Block lb, rb;
        if (inL) {
            auto b = l.reader().read(ls->indexEntries()[i].blocknr, BlockType::Bitmap);
            if (!b) return b.error();
            lb = *b;
        }
        if (inR) {
            auto b = r.reader().read(rs->indexEntries()[i].blocknr, BlockType::Bitmap);
            if (!b) return b.error();
            rb = *b;
        }
        if (inL && inR &&
            std::memcmp(lb.data() + kBitmapPayloadOffset, rb.data() + kBitmapPayloadOffset,
                        payload) == 0 &&
            ls->nrBlocks() == rs->nrBlocks()) {
            skipped[i] = true; // only counts of three or more can differ: below
            continue;
        }
        const std::uint64_t count = std::min(kEntriesPerBitmap, n - first);
        for (std::uint64_t e = 0; e < count; ++e) {
            const std::uint64_t blk = first + e;
            const unsigned lv = inL && blk < ls->nrBlocks() ? bitmapEntry(lb.data(), e) : 0;
            const unsigned rv = inR && blk < rs->nrBlocks() ? bitmapEntry(rb.data(), e) : 0;
            const std::uint32_t lc = lv == 3 ? overflowCount(*lo, blk) : lv;
            const std::uint32_t rc = rv == 3 ? overflowCount(*ro, blk) : rv;
            if (lc != rc) out.push_back({blk, lc, rc});
        }
    }
    // In skipped bitmaps both sides say "three or more" for the same blocks: the trees decide.
    std::size_t i = 0, j = 0;
    while (i < lo->size() || j < ro->size()) {
        const std::uint64_t blk =
            j == ro->size() || (i < lo->size() && (*lo)[i].first < (*ro)[j].first) ? (*lo)[i].first
                                                                                   : (*ro)[j].first;
        const std::uint32_t lc = i < lo->size() && (*lo)[i].first == blk ? (*lo)[i++].second : 0;
        const std::uint32_t rc = j < ro->size() && (*ro)[j].first == blk ? (*ro)[j++].second : 0;
        const std::uint64_t bm = blk / kEntriesPerBitmap;
        if (bm < skipped.size() && skipped[bm] && lc != rc) out.push_back({blk, lc, rc});
    }
    std::sort(out.begin(), out.end(),
              [](const RefCountDelta& a, const RefCountDelta& b) { return a.block < b.block; });
    return Status::success();
}

// Every btree node a superblock's trees reach (details, top-level mapping, each device's
// mappings), each shared subtree once.
class NodeCollector final : public BtreeVisitor {
public:
    bool enter(std::uint64_t block, const BtreeWalkPosition&) override {
        return seen.insert(block).second;
    }
    void error(const Error& e) override {
        if (!firstError) firstError = e;
    }
    std::unordered_set<std::uint64_t> seen;
    std::optional<Error> firstError;
};

Expected<std::unordered_set<std::uint64_t>> reachableNodes(const ThinMetadata& md,
                                                           const ThinSuperblock& sb) {
    NodeCollector c;
    BtreeWalkOptions options;
    options.checkMinimumFill = false;
    BtreeWalker(md.reader(), options).walk(sb.deviceDetailsRoot, c);
    BtreeWalker(md.reader(), options).walk(sb.dataMappingRoot, c);
    auto devs = md.devices(sb);
    if (!devs) return devs.takeError();
    for (const ThinDevice& d : *devs)
        BtreeWalker(md.reader(), options).walk(d.mappingRoot, c);
    if (c.firstError) return *c.firstError;
    return std::move(c.seen);
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
    if (Status s = compareSuperblocks(**lm, (*lm)->superblock(), **rm, (*rm)->superblock(), diff);
        !s)
        return s.error();
    return diff;
}

Status MetadataDiffer::compareSuperblocks(const ThinMetadata& lm, const ThinSuperblock& lsb,
                                          const ThinMetadata& rm, const ThinSuperblock& rsb,
                                          MetadataDiff& diff) {
    auto ld = lm.devices(lsb);
    if (!ld) return ld.error();
    auto rd = rm.devices(rsb);
    if (!rd) return rd.error();
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
            auto runs = compareMappings(lm, l->mappingRoot, rm, r->mappingRoot);
            if (!runs) return runs.error();
            delta.runs = std::move(*runs);
        } else {
            delta.presence = l ? DeviceDelta::Presence::LeftOnly : DeviceDelta::Presence::RightOnly;
            auto m = mappingsOf(l ? lm : rm, l ? l->mappingRoot : r->mappingRoot);
            if (!m) return m.error();
            for (const auto& [v, d] : *m)
                addRun(delta.runs, l ? MappingRun::Kind::LeftOnly : MappingRun::Kind::RightOnly, v);
        }
        for (const MappingRun& run : delta.runs)
            delta.blocks[static_cast<int>(run.kind)] += run.length;
        diff.devices.push_back(std::move(delta));
    }
    diff.countsCompared = !lsb.metadataSpaceMap.isZero() && !rsb.metadataSpaceMap.isZero();
    if (!diff.countsCompared) return Status::success();
    if (Status s = countDeltas(lm, lsb, rm, rsb, true, diff.metadataCounts); !s) return s;
    return countDeltas(lm, lsb, rm, rsb, false, diff.dataCounts);
}

Expected<MetadataDiff>
MetadataDiffer::compareHeldWithLive(std::shared_ptr<const BlockSource> source) {
    auto md = ThinMetadata::open(std::move(source));
    if (!md) return md.takeError();
    if (!(*md)->hasMetadataSnapshot())
        return makeError(ErrorKind::Usage, "no metadata snapshot is held (held_root is 0)");
    auto held = (*md)->metadataSnapshot();
    if (!held) return held.takeError();
    MetadataDiff diff;
    if (Status s = compareSuperblocks(**md, *held, **md, (*md)->superblock(), diff); !s)
        return s.error();
    auto heldNodes = reachableNodes(**md, *held);
    if (!heldNodes) return heldNodes.takeError();
    auto liveNodes = reachableNodes(**md, (*md)->superblock());
    if (!liveNodes) return liveNodes.takeError();
    for (std::uint64_t b : *liveNodes)
        if (!heldNodes->count(b)) diff.changedBlocks.push_back(b);
    std::sort(diff.changedBlocks.begin(), diff.changedBlocks.end());
    return diff;
}

} // namespace dms
