// edit for cache metadata (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"

#include "core/CopyOnWriteBlockSource.h"
#include "core/FileBlockSource.h"
#include "core/cache/CacheEditor.h"

#include <ostream>

namespace dms::cli {

int runCacheEdit(const std::string& path, const std::vector<std::string>& words, bool dryRun,
                 CliIo& io) {
    auto src =
        FileBlockSource::open(path, dryRun ? OpenMode::ReadOnly : OpenMode::ReadWriteExclusive);
    if (!src) return reportError(io, "edit", src.error());
    std::shared_ptr<BlockSource> device(std::move(*src));
    std::shared_ptr<CopyOnWriteBlockSource> copy;
    if (dryRun) {
        copy = std::make_shared<CopyOnWriteBlockSource>(device);
        device = copy;
    }
    auto ed = CacheEditor::open(device);
    if (!ed) return reportError(io, "edit", ed.error());
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& op = words[i];
        Status s;
        if (op == "set-needs-check" || op == "clear-needs-check") {
            (*ed)->setNeedsCheck(op == "set-needs-check");
        } else if (op == "set-dirty" || op == "clear-dirty" || op == "invalidate") {
            if (i + 1 >= words.size())
                return reportError(io, "edit",
                                   makeError(ErrorKind::Usage, op + " needs a cache block"));
            auto cblock = parseUnsigned(words[++i], "cache block");
            if (!cblock) return reportError(io, "edit", cblock.error());
            s = op == "invalidate" ? (*ed)->invalidate(*cblock)
                                   : (*ed)->setDirty(*cblock, op == "set-dirty");
            if (!s) {
                Error e = s.error();
                e.message = op + " " + words[i] + ": " + e.message + " (nothing was written)";
                return reportError(io, "edit", e);
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
    if (dryRun)
        io.out << "# dry run: " << copy->changedBlocks()
               << " blocks would be written; nothing was\n";
    return kExitOk;
}

} // namespace dms::cli
