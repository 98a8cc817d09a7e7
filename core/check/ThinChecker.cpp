#include "core/check/ThinChecker.h"

#include "core/check/DeviceConsistency.h"
#include "core/check/ParallelMappingWalk.h"
#include "core/check/SpaceMapCheck.h"
#include "core/check/SuperblockCheck.h"

#include <chrono>
#include <thread>

namespace dms {
namespace {

// One byte per data block is affordable up to here; beyond, data counts are not compared.
constexpr std::uint64_t kMaxCountedDataBlocks = std::uint64_t(1) << 32;

TreeSpec detailsSpec(const char* which, std::uint64_t holder) {
    return TreeSpec{std::string(which) + " details", 1,          DeviceDetails::kSize, holder,
                    "device_details_root",           holder == 0};
}

TreeSpec mappingSpec(const char* which, std::uint64_t holder, unsigned levels) {
    return TreeSpec{
        std::string(which) + " mapping", levels, 8, holder, "data_mapping_root", holder == 0};
}

// Superblock findings go through the walk environment so that an optimistic pass notices them.
std::optional<ThinSuperblock> readHeldCopy(WalkEnv& env, std::uint64_t at) {
    CheckReport local;
    auto held = checkSuperblock(*env.source, at, local);
    for (const Finding& f : local.findings())
        env.add(f);
    return held;
}

bool hasFatal(const CheckReport& r) {
    return r.count(Severity::Fatal) != 0;
}

} // namespace

ThinChecker::ThinChecker(std::shared_ptr<const BlockSource> source, CheckOptions options)
    : source_(std::move(source)), options_(options) {}

unsigned ThinChecker::threads() const {
    if (options_.threads) return options_.threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : std::min(hw, 2u);
}

CheckReport ThinChecker::run() {
    const auto start = std::chrono::steady_clock::now();
    CheckReport report(options_.maxFindings);
    auto finish = [&](CheckReport& r) {
        r.stats.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.stats.metadataBlocks = source_->blockCount();
        r.sort();
        return r;
    };
    auto sb = checkSuperblock(*source_, 0, report);
    if (!sb) return finish(report);
    report.stats.dataBlocks = sb->dataSpaceMap.nrBlocks;
    ThinSuperblock target = *sb;
    if (options_.metadataSnapshot) {
        if (sb->heldRoot == 0) {
            report.add(Finding{Severity::Fatal,
                               FindingCategory::Superblock,
                               0,
                               "held_root",
                               {},
                               "no metadata snapshot is held (held_root is 0)"});
            return finish(report);
        }
        auto held = checkSuperblock(*source_, sb->heldRoot, report);
        if (!held) return finish(report);
        target = *held;
    }
    if (options_.scope == CheckScope::SuperblockOnly) return finish(report);
    if (options_.scope == CheckScope::SkipMappings || options_.metadataSnapshot) {
        checkTreesOnly(report, target);
        return finish(report);
    }
    if (!options_.exactOnly) {
        CheckReport optimistic = report;
        if (runFull(optimistic, *sb, true)) return finish(optimistic);
    }
    runFull(report, *sb, false);
    report.stats.exactPass = true;
    return finish(report);
}

// thin_check's pass over the details and mapping trees only (--skip-mappings: the top level
// of the mapping tree; -m: the snapshot's trees): every failed check is fatal.
void ThinChecker::checkTreesOnly(CheckReport& report, const ThinSuperblock& sb) {
    WalkEnv env;
    env.source = source_.get();
    env.nrBlocks = source_->blockCount();
    env.report = &report;
    env.validNodes = BlockBitmap(env.nrBlocks);
    env.ignoreNonFatal = options_.ignoreNonFatal;
    env.trimmer = MappingTrimmer(*source_);
    const char* which = sb.location == 0 ? "live" : "snapshot";
    const TreeSpec details = detailsSpec(which, sb.location);
    const bool top = options_.scope == CheckScope::SkipMappings;
    const TreeSpec mapping = mappingSpec(which, sb.location, top ? 1 : 2);
    BlockBitmap seen(env.nrBlocks);
    TreeWalker(env, details, WalkMode::Damage, nullptr, &seen).walk(sb.deviceDetailsRoot);
    seen.clear();
    TreeWalker(env, mapping, WalkMode::Damage, nullptr, &seen).walk(sb.dataMappingRoot);
    report.stats.nodesRead = env.nodesRead;
}

bool ThinChecker::runFull(CheckReport& report, const ThinSuperblock& sb, bool optimistic) {
    WalkEnv env;
    env.source = source_.get();
    env.nrBlocks = source_->blockCount();
    env.report = &report;
    env.metaCounts = RefCountArray(env.nrBlocks);
    env.validNodes = BlockBitmap(env.nrBlocks);
    env.ignoreNonFatal = options_.ignoreNonFatal;
    env.trimmer = MappingTrimmer(*source_);
    env.optimistic = optimistic;
    const unsigned nThreads = optimistic ? threads() : 1;
    report.stats.threads = nThreads;

    const TreeSpec liveDetails = detailsSpec("live", 0);
    const TreeSpec liveMapping = mappingSpec("live", 0, 2);
    if (!optimistic) {
        // thin_check first walks the live trees on their own; damage there ends the check.
        BlockBitmap seen(env.nrBlocks);
        TreeWalker(env, liveDetails, WalkMode::Damage, nullptr, &seen).walk(sb.deviceDetailsRoot);
        seen.clear();
        TreeWalker(env, liveMapping, WalkMode::Damage, nullptr, &seen).walk(sb.dataMappingRoot);
        if (hasFatal(report)) {
            report.stats.nodesRead = env.nodesRead;
            return true;
        }
    }

    DataCounter data;
    RefCountArray dataCounts;
    data.nrDataBlocks = sb.dataSpaceMap.nrBlocks;
    const std::uint64_t countable = SpaceMapCheck::dataBlocksCovered(source_, sb.dataSpaceMap);
    std::string whyNotCounted;
    if (countable < data.nrDataBlocks)
        whyNotCounted = "the data space map's index has bitmaps for " + std::to_string(countable) +
                        " of its " + std::to_string(data.nrDataBlocks) + " blocks";
    else if (countable > kMaxCountedDataBlocks)
        whyNotCounted =
            "the data device of " + std::to_string(countable) + " blocks is too large to count";
    if (whyNotCounted.empty()) {
        dataCounts = RefCountArray(countable);
        data.counts = &dataCounts;
    }

    // The counting pass, in thin_check's order: superblock, live trees, snapshot, space maps.
    env.metaCounts.increment(0);
    DetailsCollector liveDevices;
    TreeWalker(env, liveDetails, WalkMode::Count, &liveDevices).walk(sb.deviceDetailsRoot);
    std::vector<DeviceRoot> liveRoots;
    MappingHandler liveHandler(data, sb.time, !optimistic, &liveRoots, &liveMapping);
    TreeWalker(env, liveMapping, WalkMode::Count, &liveHandler).walk(sb.dataMappingRoot);

    std::optional<ThinSuperblock> held;
    const TreeSpec heldDetails = detailsSpec("snapshot", sb.heldRoot);
    const TreeSpec heldMapping = mappingSpec("snapshot", sb.heldRoot, 2);
    DetailsCollector heldDevices;
    std::vector<DeviceRoot> heldRoots;
    if (sb.heldRoot != 0 && !env.aborted()) {
        if (sb.heldRoot < env.nrBlocks) env.metaCounts.increment(sb.heldRoot);
        held = readHeldCopy(env, sb.heldRoot);
        if (held) {
            TreeWalker(env, heldDetails, WalkMode::Count, &heldDevices)
                .walk(held->deviceDetailsRoot);
            MappingHandler heldHandler(data, held->time, !optimistic, &heldRoots, &heldMapping);
            TreeWalker(env, heldMapping, WalkMode::Count, &heldHandler).walk(held->dataMappingRoot);
        }
    }
    if (optimistic && !env.aborted()) {
        std::vector<DeviceRoot> all = liveRoots;
        all.insert(all.end(), heldRoots.begin(), heldRoots.end());
        ParallelMappingWalk(env, data, nThreads).run(all);
    }
    SpaceMapCheck spaceMaps(env, sb.metadataSpaceMap, sb.dataSpaceMap);
    if (!env.aborted()) spaceMaps.countMetadataSpaceMap();
    if (!env.aborted()) spaceMaps.countDataSpaceMap();
    report.stats.nodesRead = env.nodesRead;
    report.stats.bitmapsRead = env.bitmapsRead;
    report.stats.mappings = env.mappings;
    report.stats.devices = liveDevices.entries.size();
    if (optimistic && env.anomaly) return false;
    env.optimistic = false;            // what follows does not depend on the walk order
    if (hasFatal(report)) return true; // thin_check does not compare counts then

    spaceMaps.compareMetadata(report.stats);
    if (hasFatal(report)) return true;
    spaceMaps.compareData(data.counts, whyNotCounted);
    bool treesSound = true;
    for (const Finding& f : report.findings())
        if (f.severity != Severity::Warning &&
            (f.category == FindingCategory::Node || f.category == FindingCategory::Cycle))
            treesSound = false;
    if (treesSound) {
        DeviceConsistency devices(env);
        devices.check("live", liveDevices.entries, liveRoots);
        if (held) devices.check("snapshot", heldDevices.entries, heldRoots);
    }
    for (auto [n, what] : {std::pair{data.beyondDevice.load(), "beyond the data device"},
                           std::pair{data.futureTime.load(), "with a time after the superblock's"}})
        if (n > DataCounter::kReportedPerKind)
            report.add(Finding{Severity::Warning,
                               FindingCategory::Mapping,
                               std::nullopt,
                               "",
                               {},
                               std::to_string(n - DataCounter::kReportedPerKind) +
                                   " more mappings " + what});
    return true;
}

} // namespace dms
