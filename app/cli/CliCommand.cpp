#include "app/cli/CliCommand.h"

#include "app/cli/LiveOpen.h"

#include "core/FileBlockSource.h"
#include "core/thin/ThinMetadata.h"

#include <ostream>

namespace dms::cli {

namespace {
std::vector<CliCommand>& registry() {
    static std::vector<CliCommand> commands;
    return commands;
}
} // namespace

void CliRegistry::add(const CliCommand& command) {
    registry().push_back(command);
}

const std::vector<CliCommand>& CliRegistry::all() {
    return registry();
}

const CliCommand* CliRegistry::find(const std::string& name) {
    for (const auto& c : registry())
        if (name == c.name) return &c;
    return nullptr;
}

int reportError(CliIo& io, const char* command, const Error& e) {
    io.err << "dmscope-cli " << command << ": " << e.describe() << '\n';
    return e.kind == ErrorKind::Usage ? kExitUsage : kExitFailure;
}

Expected<CliArgs> parseCommandArgs(const std::vector<std::string>& args,
                                   const std::vector<OptionSpec>& spec, std::size_t positionals,
                                   const char* command) {
    auto parsed = CliArgs::parse(args, spec);
    if (!parsed) return parsed;
    if (parsed->positional().size() != positionals)
        return makeError(ErrorKind::Usage, std::string(command) + " takes " +
                                               std::to_string(positionals) + " argument(s), got " +
                                               std::to_string(parsed->positional().size()) +
                                               " (see 'dmscope-cli help " + command + "')");
    return parsed;
}

Expected<std::shared_ptr<ThinMetadata>> openThinReadOnly(const std::string& path) {
    // An active pool's metadata is read past the page cache (O_DIRECT), which may be stale.
    const OpenMode mode = activePoolOf(path) ? OpenMode::ReadOnlyDirect : OpenMode::ReadOnly;
    auto src = FileBlockSource::open(path, mode);
    if (!src) return src.takeError();
    std::shared_ptr<const BlockSource> shared(std::move(*src));
    return ThinMetadata::open(std::move(shared));
}

} // namespace dms::cli

namespace dms::cli {

Expected<OpenedMetadata> openMetadataReadOnly(const std::string& path) {
    auto src = FileBlockSource::open(path, OpenMode::ReadOnly);
    if (!src) return src.takeError();
    OpenedMetadata md;
    md.source = std::shared_ptr<const BlockSource>(std::move(*src));
    auto kind = detectMetadataKind(*md.source);
    if (!kind) return kind.takeError();
    md.kind = *kind;
    return md;
}

} // namespace dms::cli
