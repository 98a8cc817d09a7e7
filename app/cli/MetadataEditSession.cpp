#include "app/cli/MetadataEditSession.h"

#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"

#include <ostream>

namespace dms::cli {

MetadataEditSession::MetadataEditSession(const MetadataEditOptions& options, CliIo& io)
    : options_(options), io_(io), printer_(io.out) {}

Expected<std::shared_ptr<BlockSource>> MetadataEditSession::open(const std::string& path) {
    auto src = FileBlockSource::open(path, options_.dryRun ? OpenMode::ReadOnly
                                                           : OpenMode::ReadWriteExclusive);
    if (!src) return explainBusy(path, src.takeError());
    std::shared_ptr<BlockSource> device(std::move(*src));
    if (options_.dryRun) {
        copy_ = std::make_shared<CopyOnWriteBlockSource>(device);
        device = copy_;
    }
    return device;
}

void MetadataEditSession::announce(const std::string& op) {
    if (tracing()) io_.out << "# " << op << '\n';
}

int MetadataEditSession::finish() {
    if (copy_)
        io_.out << "# dry run: " << copy_->changedBlocks()
                << " blocks would be written; nothing was\n";
    return kExitOk;
}

int reportEditFailure(CliIo& io, const std::string& op, const Error& e) {
    Error out = e;
    out.message = op + ": " + e.message + " (nothing was written)";
    return reportError(io, "edit", out);
}

} // namespace dms::cli
