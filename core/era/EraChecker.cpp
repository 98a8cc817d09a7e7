#include "core/era/EraChecker.h"

#include "core/check/ArrayCheckVisitor.h"
#include "core/check/SimpleTreeWalk.h"
#include "core/check/SuperblockCheckRun.h"
#include "core/era/EraSuperblock.h"

namespace dms {
namespace {

// check_superblock of era_check 0.9.0.
void checkFields(const EraSuperblock& sb, std::uint64_t nrBlocks, CheckReport& r) {
    auto bad = [&](const char* field, std::string message) {
        addFinding(r, Severity::Fatal, FindingCategory::Superblock, 0, field, std::move(message),
                   "superblock");
    };
    if (sb.flags & ~EraSuperblock::kCleanShutdown) // era_check 0.9.0 never reads the flags
        addFinding(r, Severity::Warning, FindingCategory::Superblock, 0, "flags",
                   "unknown flags " + std::to_string(sb.flags & ~1u), "superblock");
    if (sb.blocknr >= nrBlocks)
        bad("blocknr", "blocknr " + std::to_string(sb.blocknr) + " beyond the device (" +
                           std::to_string(nrBlocks) + " blocks)");
    if (sb.magic != kEraSuperblockMagic) bad("magic", "magic " + std::to_string(sb.magic));
    if (sb.version != 1) bad("version", "version " + std::to_string(sb.version) + " is not 1");
    if (sb.metadataBlockSize != 8)
        bad("metadata_block_size",
            "metadata block size " + std::to_string(sb.metadataBlockSize) + ", expected 8");
    if (sb.writesetTreeRoot == 0)
        bad("writeset_tree_root", "writeset tree root points back to the superblock");
    if (sb.eraArrayRoot == 0) bad("era_array_root", "era array root points back to the superblock");
    if (sb.writesetTreeRoot == sb.eraArrayRoot)
        bad("era_array_root", "writeset tree root and era array both point to block " +
                                  std::to_string(sb.eraArrayRoot));
}

// The writeset tree: nodes are counted, leaf values collected.
class WritesetTreeVisitor final : public SimpleTreeVisitor {
public:
    WritesetTreeVisitor(CheckReport& r, MetadataCountCheck& c) : r_(r), c_(c) {}
    void node(const NodeView& n) override { c_.ref(n.block); }
    void leaf(const NodeView& n, const std::vector<std::uint64_t>&) override {
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i)
            writesets.push_back({n.key(i), EraWriteset::decode(n.value(i))});
    }
    void error(const Error& e) override {
        r_.add(findingFromError(e, Severity::Fatal, FindingCategory::Node));
    }
    std::vector<std::pair<std::uint64_t, EraWriteset>> writesets;

private:
    CheckReport& r_;
    MetadataCountCheck& c_;
};

class EraArrayCheck final : public ArrayCheckVisitor {
public:
    EraArrayCheck(CheckReport& r, MetadataCountCheck& c, std::uint32_t currentEra)
        : ArrayCheckVisitor(r, c, Severity::Fatal), currentEra_(currentEra) {}
    void values(std::uint64_t first, const ArrayBlock& ab, std::uint32_t count) override {
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::uint32_t era = loadLe32(ab.value(i));
            if (era > currentEra_)
                report(Severity::Fatal, FindingCategory::Mapping, ab.number(),
                       "value[" + std::to_string(i) + "]",
                       "era array > block " + std::to_string(first + i),
                       "era " + std::to_string(era) + " of block " + std::to_string(first + i) +
                           " is above current_era " + std::to_string(currentEra_));
        }
    }

private:
    std::uint32_t currentEra_;
};

} // namespace

EraChecker::EraChecker(std::shared_ptr<const BlockSource> source, EraCheckOptions options)
    : source_(std::move(source)), options_(options) {}

CheckReport EraChecker::run() {
    SuperblockCheckRun run(source_, options_.maxFindings);
    CheckReport& r = run.report();
    BlockReader& reader = run.reader();
    auto raw = run.superblock(BlockType::EraSuperblock, "dm-era");
    if (!raw) return run.finish();
    const EraSuperblock sb = EraSuperblock::decode(*raw);
    checkFields(sb, run.blockCount(), r);
    if (r.count(Severity::Fatal) || options_.superblockOnly) return run.finish();

    MetadataCountCheck counts(reader, sb.metadataSpaceMap, r);
    counts.ref(0);
    WritesetTreeVisitor tree(r, counts);
    SimpleTreeWalk(reader, EraSuperblock::kWritesetValueSize, "writeset tree")
        .walk(sb.writesetTreeRoot, tree);
    for (const auto& [era, ws] : tree.writesets) {
        ArrayCheckVisitor bits(r, counts, Severity::Fatal);
        ArrayReader(reader, ws.root, (std::uint64_t(ws.nrBits) + 63) / 64, 8,
                    "writeset of era " + std::to_string(era))
            .walk(bits);
    }
    EraArrayCheck eras(r, counts, sb.currentEra);
    ArrayReader(reader, sb.eraArrayRoot, sb.nrBlocks, 4, "era array").walk(eras);
    if (sb.currentWritesetRoot) {
        ArrayCheckVisitor live(r, counts, Severity::Warning);
        ArrayReader(reader, sb.currentWritesetRoot,
                    (std::uint64_t(sb.currentWritesetNrBits) + 63) / 64, 8, "current writeset")
            .walk(live);
    }
    counts.compare();
    return run.finish();
}

} // namespace dms
