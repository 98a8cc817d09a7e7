// dmscope-cli restore: thin_dump XML -> new thin-pool metadata (thin_restore's job), written in
// one transaction through the same write path as every edit.

#include "app/cli/CacheEraCli.h"
#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"
#include "core/thin/ThinPoolEditor.h"
#include "core/thin/ThinXmlReader.h"

#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace dms::cli {
namespace {

class RestoreHandler final : public ThinXmlHandler {
public:
    RestoreHandler(std::shared_ptr<BlockSource> device) : device_(std::move(device)) {}

    Status superblock(const ThinXmlSuperblock& sb) override {
        auto ed = ThinPoolEditor::create(device_, sb.nrDataBlocks, sb.dataBlockSize);
        if (!ed) return ed.error();
        editor_ = std::move(*ed);
        editor_->setHeader(sb.time, sb.transaction, sb.flags);
        return Status::success();
    }
    Status beginDevice(std::uint64_t id, const DeviceDetails& d) override {
        details_ = d;
        counted_ = 0;
        return editor_->beginDevice(id);
    }
    Status mapping(const ThinXmlMapping& m) override {
        for (std::uint64_t i = 0; i < m.length; ++i)
            if (Status s = editor_->addMapping(m.originBegin + i, m.dataBegin + i, m.time); !s)
                return s;
        counted_ += m.length;
        return Status::success();
    }
    Status endDevice() override { return editor_->endDevice(details_); }
    Status endSuperblock() override { return editor_->commit(); }

private:
    std::shared_ptr<BlockSource> device_;
    std::unique_ptr<ThinPoolEditor> editor_;
    DeviceDetails details_;
    std::uint64_t counted_ = 0;
};

int runRestore(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"input", 'i', OptionSpec::Kind::Value, "XML file (default: the positional argument)"},
        {"output", 'o', OptionSpec::Kind::Value, "metadata image or device to write"},
        {"metadata-blocks", 0, OptionSpec::Kind::Value, "size of a new image (default 4096)"},
        {"metadata-version", 0, OptionSpec::Kind::Value, "cache metadata format, 1 (default) or 2"},
    };
    auto args = CliArgs::parse(argv, spec);
    if (!args) return reportError(io, "restore", args.error());
    std::string input = args->value("input").value_or("");
    if (input.empty() && args->positional().size() == 1) input = args->positional()[0];
    const std::string output = args->value("output").value_or("");
    if (input.empty() || output.empty())
        return reportError(io, "restore", makeError(ErrorKind::Usage, "restore XML -o IMG"));
    auto blocks = args->number("metadata-blocks");
    if (!blocks) return reportError(io, "restore", blocks.error());
    std::ifstream in(input, std::ios::binary);
    if (!in) return reportError(io, "restore", makeError(ErrorKind::Io, "cannot read " + input));
    struct stat st {};
    if (::stat(output.c_str(), &st) != 0 || blocks->has_value()) {
        const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 ||
            ::ftruncate(fd, static_cast<off_t>(blocks->value_or(4096) * kBlockSize)) != 0) {
            if (fd >= 0) ::close(fd);
            return reportError(io, "restore", makeError(ErrorKind::Io, "cannot create " + output));
        }
        ::close(fd);
    }
    auto src = FileBlockSource::open(output, OpenMode::ReadWriteExclusive);
    if (!src) return reportError(io, "restore", explainBusy(output, src.takeError()));
    std::shared_ptr<BlockSource> device(std::move(*src));
    const MetadataKind kind = sniffXmlKind(in);
    RestoreHandler handler(device);
    if (Status s = kind == MetadataKind::Thin ? readThinXml(in, handler)
                                              : restoreCacheOrEra(kind, *args, in, device);
        !s) {
        Error e = s.error();
        e.message += " (the output's superblock was not written)";
        return reportError(io, "restore", e);
    }
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(restore, "restore", "XML -o IMG [--metadata-blocks M] [--metadata-version 1|2]",
                "build thin, cache or era metadata from thin_dump / cache_dump / era_dump XML "
                "(thin_restore's, cache_restore's, era_restore's job)",
                &runRestore);

} // namespace dms::cli
