// dmscope-cli edit: one transaction of edit operations on thin-pool metadata.

#include "app/cli/CacheEraCli.h"
#include "app/cli/EditOperations.h"
#include "app/cli/LiveOpen.h"
#include "app/cli/MetadataEditSession.h"
#include "app/cli/TracePrinter.h"

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
    auto src =
        FileBlockSource::open(path, dryRun ? OpenMode::ReadOnly : OpenMode::ReadWriteExclusive);
    if (!src) return reportError(io, "edit", explainBusy(path, src.takeError()));
    TracePrinter printer(io.out);
    ThinPoolEditorOptions options;
    options.policy = *policy;
    if (dryRun || args->has("trace")) options.observer = &printer;
    std::shared_ptr<BlockSource> device(std::move(*src));
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
    }
    if (dryRun) {
        if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
        io.out << "# dry run: " << copy->changedBlocks()
               << " blocks would be written; nothing was\n";
        return kExitOk;
    }
    if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(
    edit, "edit",
    "IMG [--dry-run] [--trace] [--policy reference|mainline] [--era-op OP[=ARG]]... OP [ARGS] "
    "[OP ...]",
    "apply edit operations in one transaction: create-thin ID, create-snap ID ORIGIN, "
    "delete ID, map ID VBLOCK DBLOCK [LEN], provision ID VBLOCK, unmap ID VBLOCK [LEN], "
    "set-transaction-id N, set-needs-check, clear-needs-check, reserve-metadata-snap, "
    "release-metadata-snap, extend-metadata N, extend-data N, rebuild-space-maps, commit, and "
    "(expert) "
    "set-count|inc|dec meta|data BLOCK [N]; on dm-cache metadata: set-dirty C, clear-dirty C, "
    "invalidate C, set-needs-check, clear-needs-check; on dm-era metadata (as words or "
    "--era-op): archive, checkpoint, digest, digest-before ERA",
    &runEdit);

} // namespace dms::cli
