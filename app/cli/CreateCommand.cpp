// dmscope-cli create: format new thin-pool metadata, as the kernel does for a new pool.

#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"
#include "core/thin/ThinPoolEditor.h"

#include <fcntl.h>
#include <ostream>
#include <sys/stat.h>
#include <unistd.h>

namespace dms::cli {
namespace {

// Creates (or grows) a regular file to `blocks` blocks; leaves block devices alone.
Status sizeImage(const std::string& path, std::uint64_t blocks) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return Status::success();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return makeError(ErrorKind::Io, "cannot create " + path);
    const bool ok = ::ftruncate(fd, static_cast<off_t>(blocks * kBlockSize)) == 0;
    ::close(fd);
    if (!ok) return makeError(ErrorKind::Io, "cannot size " + path);
    return Status::success();
}

int runCreate(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"data-blocks", 0, OptionSpec::Kind::Value, "data device size in data blocks"},
        {"data-block-size", 0, OptionSpec::Kind::Value, "data block size in sectors (default 128)"},
        {"metadata-blocks", 0, OptionSpec::Kind::Value, "image size in 4 KiB blocks (files only)"},
        {"policy", 0, OptionSpec::Kind::Value, "reference|mainline"},
    };
    auto args = parseCommandArgs(argv, spec, 1, "create");
    if (!args) return reportError(io, "create", args.error());
    auto dataBlocks = args->number("data-blocks");
    auto blockSize = args->number("data-block-size");
    auto metaBlocks = args->number("metadata-blocks");
    if (!dataBlocks) return reportError(io, "create", dataBlocks.error());
    if (!blockSize) return reportError(io, "create", blockSize.error());
    if (!metaBlocks) return reportError(io, "create", metaBlocks.error());
    if (!*dataBlocks)
        return reportError(io, "create",
                           makeError(ErrorKind::Usage, "--data-blocks N is required"));
    const std::string path = args->positional()[0];
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (metaBlocks->has_value() || !exists)
        if (Status s = sizeImage(path, metaBlocks->value_or(4096)); !s)
            return reportError(io, "create", s.error());
    auto src = FileBlockSource::open(path, OpenMode::ReadWriteExclusive);
    if (!src) return reportError(io, "create", explainBusy(path, src.takeError()));
    ThinPoolEditorOptions options;
    if (args->value("policy") == std::optional<std::string>("mainline"))
        options.policy = AllocationPolicyKind::Mainline;
    auto ed = ThinPoolEditor::create(std::shared_ptr<BlockSource>(std::move(*src)), **dataBlocks,
                                     static_cast<std::uint32_t>(blockSize->value_or(128)), options);
    if (!ed) return reportError(io, "create", ed.error());
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(
    create, "create", "IMG --data-blocks N [--data-block-size S] [--metadata-blocks M]",
    "format new thin-pool metadata (a file is created or sized to M blocks, default 4096)",
    &runCreate);

} // namespace dms::cli
