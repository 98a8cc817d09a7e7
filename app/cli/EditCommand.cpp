// dmscope-cli edit: one transaction of edit operations on thin-pool metadata.

#include "app/cli/CacheEraCli.h"
#include "app/cli/EditOperations.h"
#include "app/cli/LiveOpen.h"
#include "app/cli/TracePrinter.h"

#if DMSCOPE_CLI_HAS_GUI
#include "app/cli/EditHistoryRecorder.h"
#endif

#include "core/CopyOnWriteBlockSource.h"
#include "core/FileBlockSource.h"

#include <ostream>

namespace dms::cli {
namespace {

Expected<AllocationPolicyKind> policyFrom(const CliArgs& args) {
    const std::string p = args.value("policy").value_or("reference");
    if (p == "reference") return AllocationPolicyKind::Reference;
    if (p == "mainline") return AllocationPolicyKind::Mainline;
    return makeError(ErrorKind::Usage, "--policy is 'reference' or 'mainline', not '" + p + "'");
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
    };
    auto args = CliArgs::parse(argv, spec);
    if (!args) return reportError(io, "edit", args.error());
    if (args->positional().size() < 2)
        return reportError(io, "edit", makeError(ErrorKind::Usage, "edit IMG OP [ARGS] [OP ...]"));
    const std::string path = args->positional()[0];
    const std::vector<std::string> words(args->positional().begin() + 1, args->positional().end());
    // Cache metadata has its own operations; anything else keeps the thin path and its errors.
    if (auto opened = openMetadataReadOnly(path); opened && opened->kind == MetadataKind::Cache) {
        opened->source.reset();
        if (args->has("save-history"))
            return reportError(
                io, "edit",
                makeError(ErrorKind::Usage, "--save-history records thin-pool metadata only"));
        return runCacheEdit(path, words, args->has("dry-run"), io);
    }
    auto ops = parseEditOperations(words);
    if (!ops) return reportError(io, "edit", ops.error());
    auto policy = policyFrom(*args);
    if (!policy) return reportError(io, "edit", policy.error());

    const bool dryRun = args->has("dry-run");
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
    "IMG [--dry-run] [--trace] [--policy reference|mainline] [--save-history FILE] OP [ARGS] "
    "[OP ...]",
    "apply edit operations in one transaction: create-thin ID, create-snap ID ORIGIN, "
    "delete ID, map ID VBLOCK DBLOCK [LEN], provision ID VBLOCK, unmap ID VBLOCK [LEN], "
    "set-transaction-id N, set-needs-check, clear-needs-check, reserve-metadata-snap, "
    "release-metadata-snap, extend-metadata N, extend-data N, rebuild-space-maps, commit, and "
    "(expert) "
    "set-count|inc|dec meta|data BLOCK [N]; on dm-cache metadata: set-dirty C, clear-dirty C, "
    "invalidate C, set-needs-check, clear-needs-check; --save-history FILE records the "
    "transactions for `chart transactions` and `frames` (GUI builds)",
    &runEdit);

} // namespace dms::cli
