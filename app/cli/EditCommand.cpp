// dmscope-cli edit: one transaction of edit operations on thin-pool metadata.

#include "app/cli/CacheEraCli.h"
#include "app/cli/EditOperations.h"
#include "app/cli/LiveOpen.h"
#include "app/cli/MetadataEditSession.h"
#include "app/cli/TracePrinter.h"

#if DMSCOPE_CLI_HAS_GUI
#include "app/cli/EditHistoryRecorder.h"
#endif

#include "core/CopyOnWriteBlockSource.h"
#include "core/FileBlockSource.h"
#include "core/thin/PolicyComparison.h"

#include <iomanip>
#include <ostream>

namespace dms::cli {
namespace {

Expected<AllocationPolicyKind> policyFrom(const CliArgs& args) {
    const std::string p = args.value("policy").value_or("reference");
    if (p == "reference") return AllocationPolicyKind::Reference;
    if (p == "mainline") return AllocationPolicyKind::Mainline;
    return makeError(ErrorKind::Usage, "--policy is 'reference' or 'mainline', not '" + p + "'");
}

std::string blockList(const std::vector<std::uint64_t>& blocks) {
    std::string s;
    for (std::size_t i = 0; i < blocks.size() && i < 40; ++i)
        s.append(i ? ", " : "").append(std::to_string(blocks[i]));
    if (blocks.size() > 40) s.append(", ... (").append(std::to_string(blocks.size())).append(")");
    return s.empty() ? "none" : s;
}

std::string checkText(const PolicyOutcome& o) {
    if (o.error) return "edit failed: " + o.error->describe();
    if (!o.check) return "not checked";
    std::string s = verdictName(o.check->verdict());
    if (!o.check->findings().empty()) s.append(": ").append(o.check->findings().front().describe());
    return s;
}

// --compare-policies: the operations under both policies on copies in memory, side by side.
int comparePoliciesOn(std::shared_ptr<const BlockSource> device,
                      const std::vector<EditOperation>& ops, CliIo& io) {
    const PolicyComparison c = comparePolicies(std::move(device), [&](ThinPoolEditor& ed) {
        for (const EditOperation& op : ops)
            if (Status s = applyEditOperation(ed, op, io.err); !s) {
                Error e = s.error();
                e.message = op.describe() + ": " + e.message;
                return Status(e);
            }
        return Status::success();
    });
    const PolicyOutcome& r = c.reference;
    const PolicyOutcome& m = c.mainline;
    auto row = [&](const char* name, const std::string& a, const std::string& b) {
        io.out << std::left << std::setw(26) << name << std::setw(18) << a << b << '\n';
    };
    auto num = [](std::uint64_t v) { return std::to_string(v); };
    auto freeText = [](const PolicyOutcome& o) {
        return std::to_string(o.freeBefore) + " -> " + std::to_string(o.freeAfter);
    };
    io.out << "# both allocation policies, each on its own copy in memory; nothing written\n";
    row("", "reference", "mainline");
    row("trace events", num(r.events), num(m.events));
    row("ring buffer peak", num(r.peakRingFill), num(m.peakRingFill));
    row("metadata allocated", num(r.allocated.size()), num(m.allocated.size()));
    row("metadata freed", num(r.freed.size()), num(m.freed.size()));
    row("free metadata blocks", freeText(r), freeText(m));
    row("cursor after commit", num(r.cursorAfter), num(m.cursorAfter));
    row("blocks written", num(r.blocksWritten), num(m.blocksWritten));
    io.out << "chosen (reference):       " << blockList(r.allocated) << '\n'
           << "chosen (mainline):        " << blockList(m.allocated) << '\n'
           << "check (reference):        " << checkText(r) << '\n'
           << "check (mainline):         " << checkText(m) << '\n';
    return r.passes() && m.passes() ? kExitOk : kExitFailure;
}

int runEdit(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"dry-run", 'n', OptionSpec::Kind::Flag, "print the trace, write nothing"},
        {"trace", 0, OptionSpec::Kind::Flag, "print the trace and commit"},
        {"policy", 0, OptionSpec::Kind::Value, "reference|mainline allocation policy"},
#if DMSCOPE_CLI_HAS_GUI
        {"save-history", 0, OptionSpec::Kind::Value,
         "record the transactions in FILE (a transaction history; appended to)"},
#endif
        {"compare-policies", 0, OptionSpec::Kind::Flag,
         "run under both policies on copies in memory and print both outcomes; write nothing"},
        {"era-op", 0, OptionSpec::Kind::Value, "an era operation (OP or OP=ARG), repeatable"},
    };
    auto args = CliArgs::parse(argv, spec);
    if (!args) return reportError(io, "edit", args.error());
    if (args->positional().empty() ||
        (args->positional().size() < 2 && args->values("era-op").empty()))
        return reportError(io, "edit", makeError(ErrorKind::Usage, "edit IMG OP [ARGS] [OP ...]"));
    const std::string path = args->positional()[0];
    std::vector<std::string> words(args->positional().begin() + 1, args->positional().end());
    auto policy = policyFrom(*args);
    if (!policy) return reportError(io, "edit", policy.error());
    // Cache and era metadata have their own operations; anything else keeps the thin path and
    // its errors.
    MetadataKind kind = MetadataKind::Unknown;
    if (auto opened = openMetadataReadOnly(path)) kind = opened->kind; // closed again here
    if (args->has("era-op")) {
        if (kind != MetadataKind::Era)
            return reportError(io, "edit",
                               makeError(ErrorKind::Usage, "--era-op needs dm-era metadata"));
        // --era-op OP[=ARG] runs before the operations given as words.
        std::vector<std::string> ops;
        for (const std::string& v : args->values("era-op")) {
            const auto eq = v.find('=');
            ops.push_back(v.substr(0, eq));
            if (eq != std::string::npos) ops.push_back(v.substr(eq + 1));
        }
        words.insert(words.begin(), ops.begin(), ops.end());
    }
    if (kind == MetadataKind::Cache || kind == MetadataKind::Era) {
        if (args->has("save-history"))
            return reportError(
                io, "edit",
                makeError(ErrorKind::Usage, "--save-history records thin-pool metadata only"));
        MetadataEditOptions options;
        options.dryRun = args->has("dry-run");
        options.trace = args->has("trace");
        options.policy = *policy;
        return kind == MetadataKind::Cache ? runCacheEdit(path, words, options, io)
                                           : runEraEdit(path, words, options, io);
    }
    auto ops = parseEditOperations(words);
    if (!ops) return reportError(io, "edit", ops.error());

    const bool dryRun = args->has("dry-run");
    if (args->has("compare-policies")) {
        auto ro = FileBlockSource::open(path, OpenMode::ReadOnly);
        if (!ro) return reportError(io, "edit", ro.error());
        return comparePoliciesOn(std::shared_ptr<const BlockSource>(std::move(*ro)), *ops, io);
    }
    auto src =
        FileBlockSource::open(path, dryRun ? OpenMode::ReadOnly : OpenMode::ReadWriteExclusive);
    if (!src) return reportError(io, "edit", explainBusy(path, src.takeError()));
    TracePrinter printer(io.out);
    ThinPoolEditorOptions options;
    options.policy = *policy;
    if (dryRun || args->has("trace")) options.observer = &printer;
    std::shared_ptr<BlockSource> device(std::move(*src));
#if DMSCOPE_CLI_HAS_GUI
    std::unique_ptr<EditHistoryRecorder> history;
    if (const auto file = args->value("save-history")) {
        if (dryRun)
            return reportError(io, "edit",
                               makeError(ErrorKind::Usage, "--save-history records commits: not "
                                                           "with --dry-run"));
        auto opened = EditHistoryRecorder::open(*file, *device);
        if (!opened) return reportError(io, "edit", opened.error());
        history = std::move(*opened);
        device = history->wrap(device);
    }
#endif
    // A dry run edits a copy-on-write view, so that operations which commit part-way
    // (reserve-metadata-snap, extend-metadata, commit) run too; the file is open read-only.
    std::shared_ptr<CopyOnWriteBlockSource> copy;
    if (dryRun) {
        copy = std::make_shared<CopyOnWriteBlockSource>(device);
        device = copy;
    }
    auto ed = ThinPoolEditor::open(device, options);
    if (!ed) return reportError(io, "edit", ed.error());
    for (const EditOperation& op : *ops) {
        if (options.observer) io.out << "# " << op.describe() << '\n';
        if (Status s = applyEditOperation(**ed, op, io.err); !s) {
            (*ed)->abort();
            Error e = s.error();
            e.message = op.describe() + ": " + e.message + " (nothing was written)";
            return reportError(io, "edit", e);
        }
#if DMSCOPE_CLI_HAS_GUI
        if (history)
            if (Status s = history->operationApplied(op); !s)
                return reportError(io, "edit", s.error());
#endif
    }
    if (dryRun) {
        if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
        io.out << "# dry run: " << copy->changedBlocks()
               << " blocks would be written; nothing was\n";
        return kExitOk;
    }
    if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
#if DMSCOPE_CLI_HAS_GUI
    if (history)
        if (Status s = history->finish(); !s) return reportError(io, "edit", s.error());
#endif
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(
    edit, "edit",
    "IMG [--dry-run] [--trace] [--policy reference|mainline] [--compare-policies] [--save-history "
    "FILE] [--era-op OP[=ARG]]... OP [ARGS] "
    "[OP ...]",
    "apply edit operations in one transaction: create-thin ID, create-snap ID ORIGIN, "
    "delete ID, map ID VBLOCK DBLOCK [LEN], provision ID VBLOCK, unmap ID VBLOCK [LEN], "
    "set-transaction-id N, set-needs-check, clear-needs-check, reserve-metadata-snap, "
    "release-metadata-snap, extend-metadata N, extend-data N, rebuild-space-maps, commit, and "
    "(expert) "
    "set-count|inc|dec meta|data BLOCK [N]; on dm-cache metadata: set-dirty C, clear-dirty C, "
    "invalidate C, set-needs-check, clear-needs-check; on dm-era metadata (as words or "
    "--era-op): archive, checkpoint, digest, digest-before ERA; --save-history FILE records the "
    "transactions for `chart transactions` and `frames` (GUI builds)",
    &runEdit);

} // namespace dms::cli
