#pragma once
// The frame the cache and era edits share with the thin edit: the device opened for writing
// (exclusively), or read-only under a copy-on-write view for --dry-run; trace events printed
// for --trace and --dry-run, each operation announced by a "# OP" line; the dry-run summary.

#include "app/cli/CliCommand.h"
#include "app/cli/TracePrinter.h"

#include "core/CopyOnWriteBlockSource.h"
#include "core/spacemap/AllocationPolicy.h"

#include <optional>

namespace dms::cli {

struct MetadataEditOptions {
    bool dryRun = false;
    bool trace = false; // print the trace and commit (a dry run always prints it)
    AllocationPolicyKind policy = AllocationPolicyKind::Reference;
};

class MetadataEditSession {
public:
    MetadataEditSession(const MetadataEditOptions& options, CliIo& io);

    Expected<std::shared_ptr<BlockSource>> open(const std::string& path);
    // The printer when events are to be printed, else nullptr.
    TraceObserver* observer() { return tracing() ? &printer_ : nullptr; }
    bool tracing() const { return options_.dryRun || options_.trace; }
    void announce(const std::string& op);
    // After a successful commit: the dry run's summary.
    int finish();

private:
    MetadataEditOptions options_;
    CliIo& io_;
    TracePrinter printer_;
    std::shared_ptr<CopyOnWriteBlockSource> copy_;
};

// "edit: OP ARG: MESSAGE (nothing was written)".
int reportEditFailure(CliIo& io, const std::string& op, const Error& e);

} // namespace dms::cli
