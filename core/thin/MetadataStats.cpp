#include "core/thin/MetadataStats.h"

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/BitmapBlock.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/util/ZeroPages.h"

#include <algorithm>
#include <bit>

namespace dms {
namespace {

constexpr std::size_t kMaxProblems = 1000;
// A bitmap word (32 entries) whose entries all hold 1: the low bit of each pair set.
constexpr std::uint64_t kAllOnesWord = 0xAAAAAAAAAAAAAAAAull;

void addProblem(MetadataStats& s, std::string p) {
    if (s.problems.size() < kMaxProblems) s.problems.push_back(std::move(p));
}

class RefcountVisitor final : public BtreeVisitor {
public:
    explicit RefcountVisitor(SpaceMapStats& out) : out_(out), small(256, 0) {}
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        const std::uint32_t nr = n.nrEntries();
        for (std::uint32_t i = 0; i < nr; ++i) {
            const std::uint32_t c = n.valueU32(i);
            if (c < small.size())
                ++small[c];
            else
                ++out_.refcounts[c];
        }
        entries += nr;
    }
    void error(const Error& e) override {
        if (!firstError) firstError = e;
    }

    SpaceMapStats& out_;
    std::vector<std::uint64_t> small; // histogram of counts < 256
    std::uint64_t entries = 0;
    std::optional<Error> firstError;
};

// One pass over a space map's bitmaps: the count histogram, free runs, and (for the data map) a
// saturated count per block in the low 2 bits of a byte (0, 1, 2 = two or more). The mapping walk
// keeps, in bits 2-3, how many mappings of the walked devices point at the block (also saturated).
class SpaceMapScan {
public:
    SpaceMapScan(SpaceMapStats& out, ZeroPages* counts) : out_(out), counts_(counts) {}

    void run(const BlockReader& reader, const SpaceMapRoot& root, SpaceMapKind kind,
             MetadataStats& stats) {
        out_.nrBlocks = root.nrBlocks;
        const std::string what = spaceMapKindName(kind);
        auto sm = SpaceMapReader::open(reader, root, kind);
        if (!sm) {
            addProblem(stats, what + ": " + sm.error().describe());
            return;
        }
        if (counts_) counts_->reset(root.nrBlocks);
        const auto& entries = sm->indexEntries();
        for (std::uint64_t i = 0; i < entries.size(); ++i) {
            const std::uint64_t base = i * kEntriesPerBitmap;
            const std::uint64_t n = std::min(kEntriesPerBitmap, root.nrBlocks - base);
            auto bm = reader.read(entries[i].blocknr, BlockType::Bitmap);
            if (!bm) {
                addProblem(stats,
                           what + " bitmap " + std::to_string(i) + ": " + bm.error().describe());
                endRun();
                continue;
            }
            scanBitmap(bm->data(), base, n);
        }
        endRun();
        for (std::uint32_t v = 0; v < 3; ++v)
            if (small_[v]) out_.refcounts[v] += small_[v];
        // Counts >= 3 straight from the refcount tree's leaves (nothing is held in memory); the
        // tree must hold exactly the blocks whose bitmap value is 3.
        RefcountVisitor rv(out_);
        BtreeWalkOptions opts;
        opts.leafValueSize = 4;
        opts.treeName = what + " refcount tree";
        BtreeWalker(reader, opts).walk(root.refCountRoot, rv);
        if (rv.firstError) addProblem(stats, rv.firstError->describe());
        for (std::uint32_t c = 0; c < rv.small.size(); ++c)
            if (rv.small[c]) out_.refcounts[c] += rv.small[c];
        if (rv.entries != threes_)
            addProblem(stats, what + ": " + std::to_string(threes_) +
                                  " bitmap entries hold 3 but the refcount tree has " +
                                  std::to_string(rv.entries) + " entries");
    }

private:
    void scanBitmap(const std::uint8_t* data, std::uint64_t base, std::uint64_t n) {
        std::uint64_t e = 0;
        while (e < n) {
            if (e % 32 == 0 && e + 32 <= n) {
                const std::uint64_t word = loadLe64(data + kBitmapPayloadOffset + e / 4);
                if (word == 0) {
                    if (runLength_ == 0) runFirst_ = base + e;
                    runLength_ += 32;
                    small_[0] += 32;
                    e += 32;
                    continue;
                }
                if (word == kAllOnesWord) {
                    endRun();
                    small_[1] += 32;
                    if (counts_) std::fill_n(counts_->begin() + (base + e), 32, 1);
                    e += 32;
                    continue;
                }
            }
            entry(bitmapEntry(data, e), base + e);
            ++e;
        }
    }

    void entry(unsigned v, std::uint64_t b) {
        if (v == 0) {
            if (runLength_ == 0) runFirst_ = b;
            ++runLength_;
            ++small_[0];
            return;
        }
        endRun();
        if (counts_) (*counts_)[b] = static_cast<std::uint8_t>(std::min(v, 2u));
        if (v < 3)
            ++small_[v];
        else
            ++threes_;
    }

    void endRun() {
        if (runLength_) out_.freeRuns.addRun(runFirst_, runLength_);
        runLength_ = 0;
    }

    SpaceMapStats& out_;
    ZeroPages* counts_;
    std::uint64_t threes_ = 0;
    std::uint64_t small_[3] = {0, 0, 0};
    std::uint64_t runFirst_ = 0;
    std::uint64_t runLength_ = 0;
};

enum class TreeKind { Plain, Details, MappingTop, MappingBottom };

class StatsVisitor final : public BtreeVisitor {
public:
    StatsVisitor(MetadataStats& stats, TreeStats& tree, TreeKind kind)
        : stats_(stats), tree_(tree), kind_(kind) {}

    void node(const BtreeNode& n, const BtreeWalkPosition& pos) override {
        const unsigned level = pos.depth();
        if (tree_.nodesPerLevel.size() <= level) tree_.nodesPerLevel.resize(level + 1, 0);
        ++tree_.nodesPerLevel[level];
        const double fill = n.maxEntries() ? 100.0 * n.nrEntries() / n.maxEntries() : 0;
        (n.isLeaf() ? tree_.leaves : tree_.internals).add(fill);
        if (n.isLeaf()) tree_.entries += n.nrEntries();
    }

    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        const std::uint32_t nr = n.nrEntries();
        if (kind_ == TreeKind::Details) {
            for (std::uint32_t i = 0; i < nr; ++i)
                details.emplace_back(n.key(i), DeviceDetails::decode(n.value(i)));
        } else if (kind_ == TreeKind::MappingTop) {
            for (std::uint32_t i = 0; i < nr; ++i)
                roots.emplace_back(n.key(i), n.valueU64(i));
        } else if (kind_ == TreeKind::MappingBottom) {
            mappingLeaf(n);
        }
    }

    void error(const Error& e) override { addProblem(stats_, e.describe()); }

    // Set for MappingBottom walks.
    DeviceStats* device = nullptr;
    ZeroPages* dataCounts = nullptr;
    std::vector<std::uint64_t> leafBlocks;       // for the exclusive/shared pass
    std::vector<std::uint64_t>* times = nullptr; // indexed by time, up to the superblock's
    std::uint64_t unaccounted = 0;               // mappings to free or out-of-range data blocks

    std::vector<std::pair<std::uint64_t, DeviceDetails>> details;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> roots;

private:
    void mappingLeaf(const BtreeNode& n) {
        const std::uint8_t* values = n.value(0);
        const std::uint32_t nr = n.nrEntries();
        std::uint8_t* counts = dataCounts->data();
        const std::uint64_t nrData = dataCounts->size();
        std::uint64_t* t = times->data();
        const std::uint64_t nrTimes = times->size();
        for (std::uint32_t i = 0; i < nr; ++i) {
            const std::uint64_t v = loadLe64(values + 8ull * i);
            const std::uint64_t time = v & 0xFFFFFFu;
            const std::uint64_t data = v >> 24;
            if (time < nrTimes)
                ++t[time];
            else
                ++stats_.mappingTimes[static_cast<std::uint32_t>(time)];
            if (data >= nrData) {
                ++unaccounted;
                continue;
            }
            std::uint8_t& c = counts[data];
            unaccounted += (c & 3) == 0;
            if ((c >> 2) < 2) c = static_cast<std::uint8_t>(c + 4);
        }
        device->mappings += nr;
        leafBlocks.push_back(n.number());
    }

    MetadataStats& stats_;
    TreeStats& tree_;
    TreeKind kind_;
};

TreeStats walkTree(const ThinMetadata& md, MetadataStats& stats, StatsVisitor& v, TreeStats& tree,
                   std::uint32_t leafValueSize) {
    BtreeWalkOptions opts;
    opts.leafValueSize = leafValueSize;
    opts.treeName = tree.name;
    if (tree.root == 0 || tree.root >= md.reader().blockCount()) {
        addProblem(stats,
                   tree.name + " root " + std::to_string(tree.root) + " is not a metadata block");
        return tree;
    }
    BtreeWalker(md.reader(), opts).walk(tree.root, v);
    return tree;
}

void plainTree(const ThinMetadata& md, MetadataStats& stats, const char* name, std::uint64_t root,
               std::uint32_t valueSize) {
    TreeStats t;
    t.name = name;
    t.root = root;
    StatsVisitor v(stats, t, TreeKind::Plain);
    stats.trees.push_back(walkTree(md, stats, v, t, valueSize));
}

} // namespace

void FillStats::add(double percent) {
    minPercent = nodes ? std::min(minPercent, percent) : percent;
    maxPercent = nodes ? std::max(maxPercent, percent) : percent;
    sumPercent += percent;
    ++nodes;
}

void FillStats::merge(const FillStats& o) {
    if (!o.nodes) return;
    minPercent = nodes ? std::min(minPercent, o.minPercent) : o.minPercent;
    maxPercent = nodes ? std::max(maxPercent, o.maxPercent) : o.maxPercent;
    sumPercent += o.sumPercent;
    nodes += o.nodes;
}

std::uint64_t TreeStats::nodes() const {
    std::uint64_t n = 0;
    for (auto c : nodesPerLevel)
        n += c;
    return n;
}

void TreeStats::merge(const TreeStats& o) {
    if (nodesPerLevel.size() < o.nodesPerLevel.size()) nodesPerLevel.resize(o.nodesPerLevel.size());
    for (std::size_t i = 0; i < o.nodesPerLevel.size(); ++i)
        nodesPerLevel[i] += o.nodesPerLevel[i];
    entries += o.entries;
    leaves.merge(o.leaves);
    internals.merge(o.internals);
}

void FreeRunStats::addRun(std::uint64_t first, std::uint64_t length) {
    const auto bucket = static_cast<std::size_t>(std::bit_width(length) - 1);
    if (bucketRuns.size() <= bucket) {
        bucketRuns.resize(bucket + 1, 0);
        bucketBlocks.resize(bucket + 1, 0);
    }
    ++bucketRuns[bucket];
    bucketBlocks[bucket] += length;
    ++runs;
    freeBlocks += length;
    if (length > largest) {
        largest = length;
        largestFirst = first;
    }
}

MetadataStats MetadataStats::compute(const ThinMetadata& md, const ThinSuperblock& sb) {
    MetadataStats s;
    const ThinSuperblock& live = md.superblock();
    s.fromMetadataSnapshot = sb.location != 0;
    s.time = sb.time;
    ZeroPages dataCounts; // a byte per data block, in memory only where written
    SpaceMapScan(s.metadata, nullptr)
        .run(md.reader(), live.metadataSpaceMap, SpaceMapKind::Metadata, s);
    SpaceMapScan(s.data, &dataCounts).run(md.reader(), live.dataSpaceMap, SpaceMapKind::Data, s);

    plainTree(md, s, "metadata_refcount", live.metadataSpaceMap.refCountRoot, 4);
    plainTree(md, s, "data_refcount", live.dataSpaceMap.refCountRoot, 4);
    plainTree(md, s, "data_sm_index", live.dataSpaceMap.bitmapRoot, 16);

    TreeStats details{"details", sb.deviceDetailsRoot, {}, 0, {}, {}};
    StatsVisitor dv(s, details, TreeKind::Details);
    s.trees.push_back(walkTree(md, s, dv, details, DeviceDetails::kSize));
    TreeStats top{"mapping_top", sb.dataMappingRoot, {}, 0, {}, {}};
    StatsVisitor tv(s, top, TreeKind::MappingTop);
    s.trees.push_back(walkTree(md, s, tv, top, 8));

    std::map<std::uint64_t, DeviceDetails> byId(dv.details.begin(), dv.details.end());
    // Guards memory against a hostile time field: later times go to the map.
    std::vector<std::uint64_t> times(std::size_t(std::min<std::uint32_t>(sb.time, 65535)) + 1, 0);
    TreeStats allBottom{"mapping_bottom", 0, {}, 0, {}, {}};
    std::uint64_t unaccounted = 0;
    std::vector<std::vector<std::uint64_t>> leafLists;
    for (const auto& [id, root] : tv.roots) {
        DeviceStats d;
        d.id = id;
        auto it = byId.find(id);
        if (it == byId.end())
            addProblem(s, "device " + std::to_string(id) + " has a mapping tree but no details");
        else
            d.details = it->second;
        d.tree.name = "mapping[dev " + std::to_string(id) + "]";
        d.tree.root = root;
        StatsVisitor bv(s, d.tree, TreeKind::MappingBottom);
        bv.device = &d;
        bv.dataCounts = &dataCounts;
        bv.times = &times;
        walkTree(md, s, bv, d.tree, 8);
        unaccounted += bv.unaccounted;
        leafLists.push_back(std::move(bv.leafBlocks));
        allBottom.merge(d.tree);
        s.devices.push_back(std::move(d));
    }
    for (const auto& entry : byId) {
        const std::uint64_t id = entry.first; // clang 14 cannot capture a structured binding
        if (std::none_of(tv.roots.begin(), tv.roots.end(),
                         [id](const auto& r) { return r.first == id; }))
            addProblem(s, "device " + std::to_string(id) + " has details but no mapping tree");
    }
    s.trees.push_back(allBottom);
    // Second pass, over the leaves found (already validated): a mapping is exclusive when no
    // other mapping of the walked devices points at its data block (thin_ls's definition).
    for (std::size_t i = 0; i < s.devices.size(); ++i) {
        DeviceStats& d = s.devices[i];
        for (std::uint64_t leaf : leafLists[i]) {
            auto blk = md.reader().raw(leaf);
            if (!blk) continue;
            const std::uint8_t* p = blk->data();
            const std::uint32_t nr = loadLe32(p + 16);
            const std::uint8_t* values = p + kNodeHeaderSize + 8ull * loadLe32(p + 20);
            for (std::uint32_t e = 0; e < nr; ++e) {
                const std::uint64_t data = loadLe64(values + 8ull * e) >> 24;
                if (data < dataCounts.size() && (dataCounts[data] >> 2) == 1)
                    ++d.exclusive;
                else
                    ++d.shared;
            }
        }
    }
    for (std::size_t t = 0; t < times.size(); ++t)
        if (times[t]) s.mappingTimes[static_cast<std::uint32_t>(t)] += times[t];
    if (unaccounted)
        addProblem(s, std::to_string(unaccounted) +
                          " mappings point at data blocks that are free or beyond the data space "
                          "map");
    return s;
}

} // namespace dms
