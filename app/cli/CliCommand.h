#pragma once
// Sub-commands of dmscope-cli. Each lives in its own file and registers itself with
// DMS_CLI_COMMAND; main() dispatches on the first argument.
//
// Exit codes: 0 success, 1 the metadata is damaged or an operation failed, 2 usage error.

#include "app/cli/CliArgs.h"
#include "core/MetadataKind.h"

#include <iosfwd>
#include <memory>

namespace dms {
class ThinMetadata;
}

namespace dms::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct CliIo {
    std::ostream& out;
    std::ostream& err;
};

struct CliCommand {
    const char* name;
    const char* synopsis; // "IMG [--json]"
    const char* summary;  // one line
    int (*run)(const std::vector<std::string>& args, CliIo& io);
};

class CliRegistry {
public:
    static void add(const CliCommand& command);
    static const std::vector<CliCommand>& all();
    static const CliCommand* find(const std::string& name);
};

struct CliRegistration {
    explicit CliRegistration(const CliCommand& c) { CliRegistry::add(c); }
};

#define DMS_CLI_COMMAND(ident, ...)                                                                \
    static const ::dms::cli::CliRegistration dmsCliRegistration_##ident {                          \
        ::dms::cli::CliCommand {                                                                   \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }

// Prints "dmscope-cli CMD: MESSAGE" and returns the matching exit code.
int reportError(CliIo& io, const char* command, const Error& e);

// Parses args against spec and requires exactly `positionals` positional arguments.
Expected<CliArgs> parseCommandArgs(const std::vector<std::string>& args,
                                   const std::vector<OptionSpec>& spec, std::size_t positionals,
                                   const char* command);

// Opens a thin-pool metadata image or device read-only (an active pool's with O_DIRECT).
Expected<std::shared_ptr<ThinMetadata>> openThinReadOnly(const std::string& path);

// Opens any metadata image or device read-only and tells by its magic whose it is (thin,
// cache, era), so that a command can hand cache and era metadata to their own helpers.
struct OpenedMetadata {
    std::shared_ptr<const BlockSource> source;
    MetadataKind kind = MetadataKind::Unknown;
};
Expected<OpenedMetadata> openMetadataReadOnly(const std::string& path);

} // namespace dms::cli
