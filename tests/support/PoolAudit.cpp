#include "tests/support/PoolAudit.h"

#include "tests/support/Cat.h"

#include "core/btree/BtreeWalker.h"
#include "core/spacemap/BitmapBlock.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <unordered_set>

namespace dms::test {
namespace {

constexpr int kMaxReports = 5;

struct Report {
    std::string text;
    int count = 0;
    void add(const std::string& line) {
        if (count++ < kMaxReports) text += line + "\n";
    }
};

// Counts data references of bottom-level trees, each node once however many trees share it.
class DataRefCounter final : public BtreeVisitor {
public:
    DataRefCounter(std::vector<std::uint32_t>& expected, Report& report)
        : expected_(expected), report_(report) {}
    bool enter(std::uint64_t block, const BtreeWalkPosition&) override {
        return seen_.insert(block).second;
    }
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i) {
            const std::uint64_t d = BlockTime::unpack(n.valueU64(i)).dataBlock;
            if (d >= expected_.size())
                report_.add(cat("block ", n.number(), ": vblock ", n.key(i), " maps data block ", d,
                                ", beyond the data device"));
            else
                ++expected_[d];
        }
    }
    void error(const Error& e) override { report_.add(e.describe()); }

private:
    std::vector<std::uint32_t>& expected_;
    Report& report_;
    std::unordered_set<std::uint64_t> seen_;
};

void countTrees(const ThinMetadata& md, const ThinSuperblock& sb, DataRefCounter& counter,
                Report& report) {
    auto devices = md.devices(sb);
    if (!devices) {
        report.add(devices.error().describe());
        return;
    }
    BtreeWalkOptions opts;
    opts.leafValueSize = 8;
    for (const ThinDevice& d : *devices) {
        opts.treeName = "mapping[dev " + std::to_string(d.id) + "]";
        BtreeWalker walker(md.reader(), opts);
        walker.walk(d.mappingRoot, counter);
    }
}

void auditSpaceMap(const BlockReader& reader, const SpaceMapRoot& root, SpaceMapKind kind,
                   Report& report, std::vector<std::uint32_t>* counts) {
    const std::string what = spaceMapKindName(kind);
    auto sm = SpaceMapReader::open(reader, root, kind);
    if (!sm) {
        report.add(sm.error().describe());
        return;
    }
    const auto& entries = sm->indexEntries();
    std::vector<std::uint64_t> allocated(entries.size(), 0);
    std::vector<std::uint64_t> firstFree(entries.size(), kEntriesPerBitmap);
    std::uint64_t total = 0;
    Status s = sm->forEachCount([&](std::uint64_t b, std::uint32_t c) {
        const std::uint64_t i = b / kEntriesPerBitmap;
        if (c) {
            ++allocated[i];
            ++total;
        } else if (firstFree[i] == kEntriesPerBitmap) {
            firstFree[i] = b % kEntriesPerBitmap;
        }
        if (counts) counts->push_back(c);
    });
    if (!s) {
        report.add(s.error().describe());
        return;
    }
    if (total != root.nrAllocated)
        report.add(cat(what, ": nr_allocated ", root.nrAllocated, ", but ", total,
                       " blocks have a non-zero count"));
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].nrFree != kEntriesPerBitmap - allocated[i])
            report.add(cat(what, " bitmap ", i, " (block ", entries[i].blocknr, "): nr_free ",
                           entries[i].nrFree, ", expected ", kEntriesPerBitmap - allocated[i]));
        if (entries[i].noneFreeBefore > firstFree[i])
            report.add(cat(what, " bitmap ", i, ": none_free_before ", entries[i].noneFreeBefore,
                           " lies beyond free entry ", firstFree[i]));
    }
}

} // namespace

std::string auditPool(std::shared_ptr<const BlockSource> image) {
    auto md = ThinMetadata::open(std::move(image));
    if (!md) return md.error().describe();
    const ThinSuperblock& sb = (*md)->superblock();
    Report report;

    std::vector<std::uint32_t> counts;
    auditSpaceMap((*md)->reader(), sb.dataSpaceMap, SpaceMapKind::Data, report, &counts);
    auditSpaceMap((*md)->reader(), sb.metadataSpaceMap, SpaceMapKind::Metadata, report, nullptr);
    if (report.count) return report.text;

    std::vector<std::uint32_t> expected(counts.size(), 0);
    DataRefCounter counter(expected, report);
    countTrees(**md, sb, counter, report);
    if ((*md)->hasMetadataSnapshot()) {
        auto held = (*md)->metadataSnapshot();
        if (!held)
            report.add(held.error().describe());
        else
            countTrees(**md, *held, counter, report);
    }
    for (std::uint64_t b = 0; b < counts.size(); ++b)
        if (counts[b] != expected[b])
            report.add(cat("data block ", b, ": space map count ", counts[b], ", mapped from ",
                           expected[b], " leaf entries"));
    if (report.count > kMaxReports) report.text += cat("(", report.count - kMaxReports, " more)\n");
    return report.text;
}

} // namespace dms::test
