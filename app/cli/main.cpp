// dmscope-cli: the headless companion of dmscope, over the same core.

#include "app/cli/CliCommand.h"
#include "core/devmapper/HelperBundle.h"

#include <algorithm>
#include <iostream>

using namespace dms::cli;

namespace {

void usage(std::ostream& out) {
    out << "usage: dmscope-cli COMMAND [ARGS]\n\ncommands:\n";
    std::vector<CliCommand> cmds = CliRegistry::all();
    std::sort(cmds.begin(), cmds.end(), [](const CliCommand& a, const CliCommand& b) {
        return std::string(a.name) < b.name;
    });
    for (const auto& c : cmds) {
        std::string head = std::string("  ") + c.name + " " + c.synopsis;
        out << head << "\n      " << c.summary << '\n';
    }
}

} // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help") {
        usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "help") {
        if (args.size() > 1) {
            if (const CliCommand* c = CliRegistry::find(args[1])) {
                std::cout << "usage: dmscope-cli " << c->name << ' ' << c->synopsis << "\n  "
                          << c->summary << '\n';
                return kExitOk;
            }
        }
        usage(std::cout);
        return kExitOk;
    }
    if (args[0] == "--version") {
        std::cout << "dmscope-cli " DMSCOPE_VERSION "\n";
        // What an AppImage's root launcher checks the helper bundle against (packaging/README.md).
        if (*dms::bakedHelperBundleSha256())
            std::cout << "helper bundle sha256 " << dms::bakedHelperBundleSha256() << '\n';
        return kExitOk;
    }
    const CliCommand* cmd = CliRegistry::find(args[0]);
    if (!cmd) {
        std::cerr << "dmscope-cli: unknown command '" << args[0] << "'\n";
        usage(std::cerr);
        return kExitUsage;
    }
    CliIo io{std::cout, std::cerr};
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const int rc = cmd->run(rest, io);
    std::cout.flush();
    return rc;
}
