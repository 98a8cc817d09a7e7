// edit for cache metadata (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"
#include "app/cli/MetadataEditSession.h"

#include "core/cache/CacheEditor.h"

namespace dms::cli {

int runCacheEdit(const std::string& path, const std::vector<std::string>& words,
                 const MetadataEditOptions& options, CliIo& io) {
    MetadataEditSession session(options, io);
    auto device = session.open(path);
    if (!device) return reportError(io, "edit", device.error());
    auto ed = CacheEditor::open(*device, {options.policy, session.observer()});
    if (!ed) return reportError(io, "edit", ed.error());
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& op = words[i];
        if (op == "set-needs-check" || op == "clear-needs-check") {
            session.announce(op);
            (*ed)->setNeedsCheck(op == "set-needs-check");
        } else if (op == "set-dirty" || op == "clear-dirty" || op == "invalidate") {
            if (i + 1 >= words.size())
                return reportError(io, "edit",
                                   makeError(ErrorKind::Usage, op + " needs a cache block"));
            auto cblock = parseUnsigned(words[++i], "cache block");
            if (!cblock) return reportError(io, "edit", cblock.error());
            const std::string described = op + " " + words[i];
            session.announce(described);
            Status s = op == "invalidate" ? (*ed)->invalidate(*cblock)
                                          : (*ed)->setDirty(*cblock, op == "set-dirty");
            if (!s) {
                (*ed)->abort();
                return reportEditFailure(io, described, s.error());
            }
        } else {
            return reportError(
                io, "edit",
                makeError(ErrorKind::Usage,
                          "unknown cache edit '" + op +
                              "' (set-dirty C, clear-dirty C, invalidate C, set-needs-check, "
                              "clear-needs-check)"));
        }
    }
    if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
    return session.finish();
}

} // namespace dms::cli
