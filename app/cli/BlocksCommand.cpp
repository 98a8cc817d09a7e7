// dmscope-cli blocks: every metadata block classified (BlockClassifier), as runs and totals.

#include "app/cli/CliCommand.h"

#include "core/thin/BlockClassifier.h"
#include "core/util/JsonWriter.h"

#include <ostream>

namespace dms::cli {
namespace {

constexpr const char* kHelp =
    R"HELP(usage: dmscope-cli blocks IMG [--json]
  Classifies every block of a thin-pool metadata device by walking every tree from the live
  superblock and from the held metadata snapshot, plus both space maps' own blocks; blocks no
  pointer reaches are free (count 0) or leaked (count > 0 on disk).

Text: one line per run of blocks with the same class, owner and counts ("A..B class (details)"),
then the totals per class. Details: "dev N" or "shared" for mapping bottom-level nodes, "count N"
when the on-disk count is not 1, "N references" when the pointers found differ from it.

--json keys:
  path, blocks (device size in 4 KiB blocks), space_map_blocks (metadata sm nr_blocks),
  allocated (blocks with count > 0 in the metadata space map), non_free (blocks in classes
  other than free / unknown_count / beyond_space_map), count_mismatches,
  totals {class: blocks} with every class key below,
  runs [{first, last, class, owner (device id, "shared" or null), count (null if unknown),
         references, reason (unreadable only)}],
  problem_count, problems [text] (errors not tied to one block, e.g. pointers out of range).
  Class keys: free superblock metadata_snapshot metadata_sm_index metadata_bitmap data_bitmap
  metadata_refcount_node data_refcount_node data_sm_index_node details_internal details_leaf
  mapping_top_internal mapping_top_leaf mapping_bottom_internal mapping_bottom_leaf leaked
  unreadable unknown_count beyond_space_map.

Exit status: 0; 1 when a block is unreadable or a pointer is broken (the listing is still
printed); 2 usage.
)HELP";

struct Run {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    BlockRole role = BlockRole::Free;
    BlockOwner owner;
    std::optional<std::uint32_t> count;
    std::uint32_t references = 0;
};

bool sameOwner(const BlockOwner& a, const BlockOwner& b) {
    return a.kind == b.kind && a.device == b.device;
}

bool referenced(BlockRole r) {
    return r != BlockRole::Free && r != BlockRole::Leaked && r != BlockRole::UnknownCount &&
           r != BlockRole::BeyondSpaceMap;
}

// Calls fn(run) for each maximal run of blocks with equal role, owner and counts. Unreadable
// blocks are never merged: each has its own reason.
template <class Fn> void forEachRun(const BlockMap& map, Fn&& fn) {
    Run cur;
    bool open = false;
    for (std::uint64_t b = 0; b < map.size(); ++b) {
        const BlockRole role = map.role(b);
        const BlockOwner owner = map.owner(b);
        const auto count = map.diskCount(b);
        const std::uint32_t refs = map.references(b);
        if (open && role == cur.role && role != BlockRole::Unreadable &&
            sameOwner(owner, cur.owner) && count == cur.count && refs == cur.references) {
            cur.last = b;
            continue;
        }
        if (open) fn(cur);
        cur = Run{b, b, role, owner, count, refs};
        open = true;
    }
    if (open) fn(cur);
}

std::string details(const Run& r) {
    std::string d;
    auto add = [&](const std::string& s) { d += (d.empty() ? "" : ", ") + s; };
    if (r.owner.kind == BlockOwner::Kind::Device) add("dev " + std::to_string(r.owner.device));
    if (r.owner.kind == BlockOwner::Kind::Shared) add("shared");
    if (referenced(r.role) || r.role == BlockRole::Leaked) {
        if (!r.count)
            add("count unknown");
        else if (*r.count != 1)
            add("count " + std::to_string(*r.count));
    }
    if (referenced(r.role) && r.count && r.references != *r.count)
        add(std::to_string(r.references) + (r.references == 1 ? " reference" : " references"));
    return d.empty() ? "" : " (" + d + ")";
}

std::uint64_t nonFree(const BlockMap& map) {
    std::uint64_t n = 0;
    for (unsigned i = 0; i < kBlockRoleCount; ++i) {
        const auto r = static_cast<BlockRole>(i);
        if (r != BlockRole::Free && r != BlockRole::UnknownCount && r != BlockRole::BeyondSpaceMap)
            n += map.total(r);
    }
    return n;
}

void writeText(std::ostream& o, const std::string& path, const BlockMap& map) {
    o << "blocks of " << path << ": " << map.size()
      << " (metadata space map: " << map.spaceMapBlocks() << " blocks, " << map.allocated()
      << " allocated)\n";
    forEachRun(map, [&](const Run& r) {
        o << r.first;
        if (r.last != r.first) o << ".." << r.last;
        o << ' ' << blockRoleName(r.role) << details(r);
        if (r.role == BlockRole::Unreadable) {
            const std::string* why = map.reason(r.first);
            o << ": " << (why ? *why : "?");
        }
        o << '\n';
    });
    o << "totals:\n";
    for (unsigned i = 0; i < kBlockRoleCount; ++i) {
        const auto r = static_cast<BlockRole>(i);
        if (map.total(r) == 0) continue;
        std::string name = blockRoleName(r);
        name.resize(std::max<std::size_t>(name.size(), 32), ' ');
        o << "  " << name << ' ' << map.total(r) << '\n';
    }
    o << "non-free blocks " << nonFree(map) << ", allocated in the space map " << map.allocated()
      << ", count mismatches " << map.countMismatches() << '\n';
    for (const auto& p : map.problems())
        o << "problem: " << p << '\n';
    if (map.problemCount() > map.problems().size())
        o << "... " << map.problemCount() - map.problems().size() << " more problems\n";
}

void writeJson(std::ostream& out, const std::string& path, const BlockMap& map) {
    JsonWriter j(out);
    j.beginObject();
    j.field("path", path);
    j.field("blocks", map.size());
    j.field("space_map_blocks", map.spaceMapBlocks());
    j.field("allocated", map.allocated());
    j.field("non_free", nonFree(map));
    j.field("count_mismatches", map.countMismatches());
    j.key("totals").beginObject();
    for (unsigned i = 0; i < kBlockRoleCount; ++i)
        j.field(blockRoleKey(static_cast<BlockRole>(i)), map.total(static_cast<BlockRole>(i)));
    j.endObject();
    j.key("runs").beginArray();
    forEachRun(map, [&](const Run& r) {
        j.beginObject();
        j.field("first", r.first);
        j.field("last", r.last);
        j.field("class", blockRoleKey(r.role));
        j.key("owner");
        if (r.owner.kind == BlockOwner::Kind::Device)
            j.value(r.owner.device);
        else if (r.owner.kind == BlockOwner::Kind::Shared)
            j.value("shared");
        else
            j.null();
        j.key("count");
        if (r.count)
            j.value(*r.count);
        else
            j.null();
        j.field("references", r.references);
        if (r.role == BlockRole::Unreadable) {
            const std::string* why = map.reason(r.first);
            j.field("reason", why ? *why : std::string("?"));
        }
        j.endObject();
    });
    j.endArray();
    j.field("problem_count", map.problemCount());
    j.key("problems").beginArray();
    for (const auto& p : map.problems())
        j.value(p);
    j.endArray();
    j.endObject();
}

int runBlocks(const std::vector<std::string>& argv, CliIo& io) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h") {
            io.out << kHelp;
            return kExitOk;
        }
    const std::vector<OptionSpec> spec = {
        {"json", 0, OptionSpec::Kind::Flag, "machine-readable output"},
    };
    auto args = parseCommandArgs(argv, spec, 1, "blocks");
    if (!args) return reportError(io, "blocks", args.error());
    const std::string& path = args->positional()[0];
    auto md = openThinReadOnly(path);
    if (!md) return reportError(io, "blocks", md.error());
    BlockClassifier classifier(**md);
    auto map = classifier.classify();
    if (!map) return reportError(io, "blocks", map.error());
    if (args->has("json"))
        writeJson(io.out, path, *map);
    else
        writeText(io.out, path, *map);
    const bool damaged = map->total(BlockRole::Unreadable) != 0 || map->problemCount() != 0;
    if (damaged)
        io.err << "dmscope-cli blocks: " << map->total(BlockRole::Unreadable)
               << " unreadable block(s), " << map->problemCount() << " other problem(s)\n";
    return damaged ? kExitFailure : kExitOk;
}

} // namespace

DMS_CLI_COMMAND(blocks, "blocks", "IMG [--json]",
                "classify every metadata block (tree, space map, free, leaked, unreadable) with "
                "totals; --help lists the JSON keys",
                &runBlocks);

} // namespace dms::cli
