#include "core/check/SpaceMapCheck.h"

#include "core/btree/BtreeWalker.h"
#include "core/check/BitmapScan.h"
#include "core/check/RefCountCursor.h"
#include "core/spacemap/BitmapBlock.h"

#include <algorithm>

namespace dms {
namespace {

// Bitmaps covering n blocks, without overflowing for a hostile nr_blocks near 2^64.
std::uint64_t bitmapsFor(std::uint64_t n) {
    return n / kEntriesPerBitmap + (n % kEntriesPerBitmap != 0);
}

} // namespace

SpaceMapCheck::SpaceMapCheck(WalkEnv& env, const SpaceMapRoot& metadata, const SpaceMapRoot& data)
    : env_(env), metaRoot_(metadata), dataRoot_(data) {
    metaRefSpec_ =
        TreeSpec{"metadata refcount tree", 1, 4, 0, "metadata_space_map_root.ref_count_root"};
    dataIndexSpec_ = TreeSpec{"data space-map index", 1, 16, 0, "data_space_map_root.bitmap_root"};
    dataRefSpec_ = TreeSpec{"data refcount tree", 1, 4, 0, "data_space_map_root.ref_count_root"};
}

void SpaceMapCheck::report(Severity s, FindingCategory c, std::optional<std::uint64_t> block,
                           std::string field, std::string message, std::string path) {
    Finding f;
    f.severity = s;
    f.category = c;
    f.block = block;
    f.field = std::move(field);
    f.message = std::move(message);
    f.path = std::move(path);
    env_.add(std::move(f));
}

const std::uint8_t* SpaceMapCheck::blockBytes(std::uint64_t b,
                                              std::vector<std::uint8_t>& copy) const {
    if (b >= env_.nrBlocks) return nullptr;
    if (const std::uint8_t* p = env_.source->mapped(b)) {
        env_.trimmer.touched();
        return p;
    }
    copy.resize(kBlockSize);
    return env_.source->read(b, copy.data()) ? copy.data() : nullptr;
}

std::uint64_t SpaceMapCheck::dataBlocksCovered(std::shared_ptr<const BlockSource> source,
                                               const SpaceMapRoot& data) {
    const BlockReader reader(source);
    const std::uint64_t nrBitmaps = bitmapsFor(data.nrBlocks);
    std::uint64_t bitmaps = 0;
    (void)BtreeWalker::forEachEntry(reader, data.bitmapRoot, IndexEntry::kSize,
                                    [&](std::uint64_t key, const std::uint8_t* value) {
                                        const IndexEntry e = IndexEntry::decode(value);
                                        if (key < nrBitmaps && e.blocknr != 0 &&
                                            e.blocknr < reader.blockCount())
                                            ++bitmaps;
                                    });
    return std::min(data.nrBlocks, bitmaps * kEntriesPerBitmap);
}

void SpaceMapCheck::countMetadataSpaceMap() {
    const std::uint64_t nrIndexes = bitmapsFor(metaRoot_.nrBlocks);
    std::vector<std::uint8_t> copy;
    const std::uint64_t index = metaRoot_.bitmapRoot;
    if (nrIndexes > kMetadataIndexEntries) {
        report(Severity::Fatal, FindingCategory::SpaceMap, 0, "metadata_space_map_root.nr_blocks",
               "metadata space map of " + std::to_string(metaRoot_.nrBlocks) +
                   " blocks needs more than the 255 bitmaps one index block holds");
    } else if (const std::uint8_t* data = blockBytes(index, copy); !data) {
        report(Severity::Fatal, FindingCategory::SpaceMap, 0, "metadata_space_map_root.bitmap_root",
               "metadata space-map index at block " + std::to_string(index) +
                   " is beyond the end of the device (" + std::to_string(env_.nrBlocks) +
                   " blocks)");
    } else if (auto bad = validateSpaceMapBlock(data, index, true)) {
        report(Severity::Fatal, FindingCategory::SpaceMap, index,
               bad->find("checksum") != std::string::npos ? "csum" : "blocknr", *bad);
    } else {
        metaIndexOk_ = true;
        env_.bitmapsRead.fetch_add(1);
        env_.metaCounts.increment(index);
        for (std::uint64_t i = 0; i < nrIndexes; ++i)
            metaEntries_.push_back(IndexEntry::decode(data + 16 + i * IndexEntry::kSize));
        for (std::uint64_t i = 0; i < nrIndexes; ++i) {
            const std::uint64_t b = metaEntries_[i].blocknr;
            if (b == 0) continue; // thin_check skips empty entries
            const std::string field = "index[" + std::to_string(i) + "].blocknr";
            const std::uint8_t* bm = blockBytes(b, copy);
            if (!bm) {
                report(Severity::Fatal, FindingCategory::SpaceMap, index, field,
                       "metadata bitmap " + std::to_string(i) + " is at block " +
                           std::to_string(b) + ", beyond the end of the device");
                continue;
            }
            if (auto bad = validateSpaceMapBlock(bm, b, false)) {
                report(Severity::Fatal, FindingCategory::SpaceMap, b,
                       bad->find("checksum") != std::string::npos ? "csum" : "blocknr",
                       "metadata bitmap " + std::to_string(i) + ": " + *bad);
                continue;
            }
            env_.bitmapsRead.fetch_add(1);
            env_.metaCounts.increment(b);
        }
    }
    TreeWalker(env_, metaRefSpec_, WalkMode::Count).walk(metaRoot_.refCountRoot);
}

void SpaceMapCheck::countDataSpaceMap() {
    const std::uint64_t nrBitmaps = bitmapsFor(dataRoot_.nrBlocks);
    IndexHandler index(nrBitmaps);
    TreeWalker(env_, dataIndexSpec_, WalkMode::Count, &index).walk(dataRoot_.bitmapRoot);
    TreeWalker(env_, dataRefSpec_, WalkMode::Count).walk(dataRoot_.refCountRoot);
    dataEntries_ = std::move(index.entries);
    std::stable_sort(dataEntries_.begin(), dataEntries_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    dataTreesWalked_ = true;
}

void SpaceMapCheck::compareMetadata(CheckStats& stats) {
    if (!metaIndexOk_) return; // already fatal: thin_check cannot open the space map
    RefCountLookup lookup(env_, metaRoot_.refCountRoot);
    const std::uint64_t nr = metaRoot_.nrBlocks;
    const RefCountArray& expected = env_.metaCounts;
    std::vector<std::uint8_t> copy;
    std::vector<std::uint8_t> padded;
    for (std::uint64_t i = 0; i < metaEntries_.size(); ++i) {
        const std::uint64_t base = i * kEntriesPerBitmap;
        const std::uint64_t n = std::min(kEntriesPerBitmap, nr - base);
        const std::uint64_t b = metaEntries_[i].blocknr;
        const std::uint8_t* bm = blockBytes(b, copy);
        std::optional<std::string> invalid =
            bm ? validateSpaceMapBlock(bm, b, false)
               : std::optional<std::string>("block is beyond the end of the device");
        if (invalid) {
            report(Severity::Fatal, FindingCategory::SpaceMap, b, "",
                   "cannot read metadata bitmap " + std::to_string(i) +
                       " to compare counts: " + *invalid);
            return;
        }
        // Expected counts of blocks past the device's end are zero.
        const std::uint8_t* exp = expected.bytes() + std::min(base, expected.size());
        if (base + n > expected.size()) {
            padded.assign(n, 0);
            if (base < expected.size())
                std::copy(expected.bytes() + base, expected.bytes() + expected.size(),
                          padded.begin());
            exp = padded.data();
        }
        bool stop = false;
        const auto r = scanBitmap(bm, exp, n, [&](std::uint64_t e, unsigned value) {
            const std::uint64_t block = base + e;
            std::uint64_t actual = value;
            if (value == 3) {
                std::optional<LookupFailure> failure;
                auto found = lookup.find(block, failure);
                if (failure || !found) {
                    report(Severity::Fatal, FindingCategory::SpaceMap,
                           failure ? failure->block : metaRoot_.refCountRoot,
                           failure ? failure->field : "keys",
                           failure ? failure->message
                                   : "metadata bitmap says block " + std::to_string(block) +
                                         " has a count of 3 or more, but the refcount tree has "
                                         "no entry for it");
                    stop = true;
                    return false;
                }
                actual = *found;
            }
            const std::uint64_t want = block < expected.size() ? expected.get(block) : 0;
            if (actual == want) return true;
            const bool leak = actual > want;
            report(leak ? Severity::NonFatal : Severity::Fatal,
                   leak ? FindingCategory::MetadataLeak : FindingCategory::MetadataBadCount, block,
                   "count",
                   "metadata space map counts " + std::to_string(actual) + ", but " +
                       std::to_string(want) + (want == 1 ? " reference was" : " references were") +
                       " found" + (leak ? " (leaked)" : " (count too low)"));
            return true;
        });
        stats.usedMetadataBlocks += r.nonZero;
        if (stop) return;
    }
    // References to blocks the space map does not cover: thin_check never compares them.
    std::uint64_t beyond = 0;
    for (std::uint64_t b = nr; b < expected.size(); ++b)
        if (expected.byte(b) && ++beyond <= kReportedPerKind)
            report(Severity::Warning, FindingCategory::SpaceMap, b, "",
                   "block is referenced but lies beyond the metadata space map's " +
                       std::to_string(nr) + " blocks");
}

void SpaceMapCheck::compareData(const RefCountArray* dataCounts, const std::string& whyNotCounted) {
    if (!dataTreesWalked_) return;
    if (!dataCounts) {
        report(Severity::Warning, FindingCategory::SpaceMap, 0, "data_space_map_root.nr_blocks",
               "data reference counts not compared: " + whyNotCounted);
        return;
    }
    const std::uint64_t nr = dataRoot_.nrBlocks;
    const std::uint64_t nrBitmaps = bitmapsFor(nr);
    std::vector<std::uint8_t> copy;
    std::uint64_t reported[2] = {0, 0};
    std::uint64_t totals[2] = {0, 0};
    std::uint64_t missing = 0;
    std::size_t at = 0;
    RefCountCursor refCounts(env_, dataRoot_.refCountRoot);
    for (std::uint64_t i = 0; i < nrBitmaps; ++i) {
        while (at < dataEntries_.size() && dataEntries_[at].first < i)
            ++at;
        if (at == dataEntries_.size() || dataEntries_[at].first != i) {
            if (++missing <= kReportedPerKind)
                report(Severity::Warning, FindingCategory::SpaceMap, dataRoot_.bitmapRoot, "keys",
                       "data space-map index has no bitmap for data blocks " +
                           std::to_string(i * kEntriesPerBitmap) + " and on");
            continue;
        }
        const std::uint64_t b = dataEntries_[at].second.blocknr;
        const std::uint8_t* bm = blockBytes(b, copy);
        if (!bm || validateSpaceMapBlock(bm, b, false)) continue; // reported while counting
        const std::uint64_t base = i * kEntriesPerBitmap;
        const std::uint64_t n = std::min(kEntriesPerBitmap, nr - base);
        scanBitmap(bm, dataCounts->bytes() + base, n, [&](std::uint64_t e, unsigned value) {
            const std::uint64_t block = base + e;
            std::uint64_t actual = value;
            if (value == 3) {
                const auto entry = refCounts.seek(block);
                if (!entry || entry->first != block) {
                    if (++missing <= kReportedPerKind)
                        report(Severity::Warning, FindingCategory::SpaceMap, dataRoot_.refCountRoot,
                               "keys",
                               "data bitmap says data block " + std::to_string(block) +
                                   " has a count of 3 or more, but the refcount tree has no "
                                   "entry for it");
                    return true;
                }
                actual = entry->second;
            }
            const std::uint64_t want = dataCounts->get(block);
            if (actual == want) return true;
            const int leak = actual > want ? 1 : 0;
            ++totals[leak];
            if (++reported[leak] <= kReportedPerKind)
                report(Severity::Warning,
                       leak ? FindingCategory::DataLeak : FindingCategory::DataBadCount, b,
                       "entry[" + std::to_string(e) + "]",
                       "data space map counts " + std::to_string(actual) + " for data block " +
                           std::to_string(block) + ", but " + std::to_string(want) +
                           (want == 1 ? " mapping refers" : " mappings refer") + " to it" +
                           (leak ? " (leaked)" : " (count too low)") +
                           "; thin_check 0.9.0 does not compare data counts");
            return true;
        });
    }
    for (int leak = 0; leak < 2; ++leak)
        if (totals[leak] > kReportedPerKind)
            report(Severity::Warning,
                   leak ? FindingCategory::DataLeak : FindingCategory::DataBadCount, std::nullopt,
                   "",
                   std::to_string(totals[leak] - kReportedPerKind) + " more data blocks with " +
                       (leak ? "leaked counts" : "counts too low"));
}

} // namespace dms
