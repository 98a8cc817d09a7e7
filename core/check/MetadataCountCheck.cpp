#include "core/check/MetadataCountCheck.h"

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/SpaceMapReader.h"

namespace dms {

MetadataCountCheck::MetadataCountCheck(const BlockReader& reader, const SpaceMapRoot& root,
                                       CheckReport& report)
    : reader_(reader), root_(root), report_(report), expected_(reader.blockCount(), 0) {}

void MetadataCountCheck::warn(FindingCategory c, std::optional<std::uint64_t> block,
                              std::string field, std::string message) {
    Finding f;
    f.severity = Severity::Warning;
    f.category = c;
    f.block = block;
    f.field = std::move(field);
    f.message = std::move(message);
    f.path = "metadata space map";
    report_.add(std::move(f));
}

namespace {
class NodeCounter final : public BtreeVisitor {
public:
    explicit NodeCounter(MetadataCountCheck& c) : c_(c) {}
    void node(const BtreeNode& n, const BtreeWalkPosition&) override { c_.ref(n.number()); }
    void error(const Error& e) override {
        if (!first) first = e;
    }
    std::optional<Error> first;

private:
    MetadataCountCheck& c_;
};
} // namespace

void MetadataCountCheck::compare() {
    if (root_.nrBlocks > reader_.blockCount()) {
        warn(FindingCategory::SpaceMap, 0, "metadata_space_map_root",
             "space map covers " + std::to_string(root_.nrBlocks) +
                 " blocks but the device holds " + std::to_string(reader_.blockCount()));
        return;
    }
    auto sm = SpaceMapReader::open(reader_, root_, SpaceMapKind::Metadata);
    if (!sm) {
        const Error& e = sm.error();
        warn(FindingCategory::SpaceMap, e.block, e.field,
             "metadata space map unreadable: " + e.message);
        return;
    }
    ref(root_.bitmapRoot);
    for (const IndexEntry& e : sm->indexEntries())
        ref(e.blocknr);
    BtreeWalkOptions opts;
    opts.leafValueSize = 4;
    opts.treeName = "metadata refcount tree";
    NodeCounter counter(*this);
    BtreeWalker(reader_, opts).walk(root_.refCountRoot, counter);
    if (counter.first) {
        warn(FindingCategory::SpaceMap, counter.first->block, counter.first->field,
             counter.first->message);
        return;
    }
    std::uint64_t leaks = 0, bad = 0;
    for (std::uint32_t c : expected_)
        report_.stats.nodesRead += c != 0;
    Status s = sm->forEachCount([&](std::uint64_t b, std::uint32_t count) {
        report_.stats.usedMetadataBlocks += count != 0;
        const std::uint32_t want = b < expected_.size() ? expected_[b] : 0;
        if (count == want) return;
        const bool leak = count > want;
        std::uint64_t& n = leak ? leaks : bad;
        if (++n > kReportedPerKind) return;
        warn(leak ? FindingCategory::MetadataLeak : FindingCategory::MetadataBadCount, b, "count",
             "space map count " + std::to_string(count) + ", " + std::to_string(want) +
                 " references found" + (leak ? " (leaked)" : ""));
    });
    if (!s) warn(FindingCategory::SpaceMap, s.error().block, s.error().field, s.error().message);
}

} // namespace dms
