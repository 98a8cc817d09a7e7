// edit for era metadata (see CacheEraCli.h and core/era/EraEditor.h).

#include "app/cli/CacheEraCli.h"
#include "app/cli/MetadataEditSession.h"

#include "core/era/EraEditor.h"

namespace dms::cli {

int runEraEdit(const std::string& path, const std::vector<std::string>& words,
               const MetadataEditOptions& options, CliIo& io) {
    MetadataEditSession session(options, io);
    auto device = session.open(path);
    if (!device) return reportError(io, "edit", device.error());
    auto ed = EraEditor::open(*device, {options.policy, session.observer()});
    if (!ed) return reportError(io, "edit", ed.error());
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& op = words[i];
        std::string described = op;
        Status s;
        if (op == "archive") {
            session.announce(described);
            auto archived = (*ed)->archive();
            if (!archived) s = archived.error();
        } else if (op == "checkpoint") {
            session.announce(described);
            s = (*ed)->checkpoint();
        } else if (op == "digest" || op == "digest-before") {
            std::optional<std::uint32_t> before;
            if (op == "digest-before") {
                if (i + 1 >= words.size())
                    return reportError(io, "edit",
                                       makeError(ErrorKind::Usage, op + " needs an era"));
                auto era = parseUnsigned(words[++i], "era");
                if (!era) return reportError(io, "edit", era.error());
                if (*era > 0xFFFFFFFFu)
                    return reportError(
                        io, "edit",
                        makeError(ErrorKind::Usage, "era " + words[i] + " does not fit 32 bits"));
                before = static_cast<std::uint32_t>(*era);
                described += " " + words[i];
            }
            session.announce(described);
            auto n = (*ed)->digest(before);
            if (!n)
                s = n.error();
            else if (session.tracing())
                io.out << "# " << *n << " writesets digested\n";
        } else {
            return reportError(io, "edit",
                               makeError(ErrorKind::Usage,
                                         "unknown era edit '" + op +
                                             "' (archive, checkpoint, digest, digest-before ERA)"));
        }
        if (!s) {
            (*ed)->abort();
            return reportEditFailure(io, described, s.error());
        }
    }
    if (Status s = (*ed)->commit(); !s) return reportError(io, "edit", s.error());
    return session.finish();
}

} // namespace dms::cli
