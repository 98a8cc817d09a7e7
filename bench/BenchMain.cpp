// dmscope-bench: times dmscope-cli against thin-provisioning-tools 0.9.0 on cached, generated
// pools.
//
//   dmscope-bench [--quick] [--pools medium,large] [--runs N] [--only check,dump,...]
//                 [--dir DIR] [--cli PATH] [--rebuild] [--verify]
//
// Pools are built once with thin_restore and cached in $DMSCOPE_BENCH_DIR (default
// ~/.cache/dmscope-bench) beside a version stamp. See docs/BENCHMARKS.md.

#include "bench/BenchReport.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

using namespace dms::bench;

namespace {

struct Options {
    std::vector<std::string> pools = {"medium", "large"};
    std::vector<std::string> only;
    unsigned runs = 3;
    std::string dir;
    std::string cli = DMSCOPE_BENCH_CLI_PATH;
    bool rebuild = false;
    bool verify = false;
};

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

void usage(std::ostream& o) {
    o << "usage: dmscope-bench [--quick] [--pools medium,large] [--runs N] "
         "[--only check,dump,ls,blocks,stats] [--dir DIR] [--cli PATH] [--rebuild] [--verify]\n"
         "  --quick    only the small 'quick' pool, one run (a smoke test)\n"
         "  --verify   also compare dump and ls output with the tools' (byte for byte)\n"
         "  --dir      pool cache (default $DMSCOPE_BENCH_DIR or ~/.cache/dmscope-bench)\n";
}

bool parse(int argc, char** argv, Options& o) {
    if (const char* d = std::getenv("DMSCOPE_BENCH_DIR"))
        o.dir = d;
    else if (const char* h = std::getenv("HOME"))
        o.dir = std::string(h) + "/.cache/dmscope-bench";
    else
        o.dir = "/tmp/dmscope-bench";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--quick") {
            o.pools = {"quick"};
            o.runs = 1;
        } else if (a == "--pools") {
            o.pools = splitList(next());
        } else if (a == "--only") {
            o.only = splitList(next());
        } else if (a == "--runs") {
            o.runs = static_cast<unsigned>(std::max(1, std::atoi(next().c_str())));
        } else if (a == "--dir") {
            o.dir = next();
        } else if (a == "--cli") {
            o.cli = next();
        } else if (a == "--verify") {
            o.verify = true;
        } else if (a == "--rebuild") {
            o.rebuild = true;
        } else {
            return false;
        }
    }
    return !o.pools.empty() && !o.dir.empty();
}

constexpr const char* kLsFields = "DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS";

struct CommandPair {
    std::string name;
    std::vector<std::string> tool; // empty: no counterpart
    std::vector<std::string> ours;
};

std::vector<CommandPair> commands(const Options& o, const std::string& img) {
    std::vector<CommandPair> all = {
        {"check", {"thin_check", img}, {o.cli, "check", img}},
        {"dump", {"thin_dump", img}, {o.cli, "dump", img}},
        // thin_ls's default fields read only the details tree; these walk every mapping.
        {"ls", {"thin_ls", "-o", kLsFields, img}, {o.cli, "ls", "-o", kLsFields, img}},
        {"blocks", {}, {o.cli, "blocks", img}},
        {"stats", {}, {o.cli, "stats", img}},
    };
    if (o.only.empty()) return all;
    std::vector<CommandPair> picked;
    for (const auto& c : all)
        for (const auto& n : o.only)
            if (c.name == n) picked.push_back(c);
    return picked;
}

Timing timeRuns(const std::vector<std::string>& argv, unsigned runs, const std::string& errPath) {
    std::vector<Timing> all;
    for (unsigned i = 0; i < runs; ++i) {
        all.push_back(runTimed(argv, errPath));
        if (all.back().exitCode != 0) break; // a failing command is not worth repeating
    }
    return medianOf(all);
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    if (!parse(argc, argv, o)) {
        usage(std::cerr);
        return 2;
    }
    std::cout << "## dmscope-bench (" << o.cli << ")\n";
    for (const auto& name : o.pools) {
        auto spec = PoolSpec::named(name);
        if (!spec) {
            std::cerr << "dmscope-bench: unknown pool '" << name << "' (quick, medium, large)\n";
            return 2;
        }
        const std::string img = ensurePool(*spec, o.dir, o.rebuild);
        if (img.empty()) return 1;
        auto facts = readPoolFacts(img);
        if (!facts) {
            std::cerr << "dmscope-bench: cannot read pool image " << img << '\n';
            return 1;
        }
        warmPageCache(img);
        printPoolHeader(std::cout, *spec, *facts, o.runs);
        std::cout.flush();
        std::vector<BenchRow> rows;
        const std::string errPath = o.dir + "/last-stderr.txt";
        for (const auto& c : commands(o, img)) {
            BenchRow row;
            row.command = c.name;
            if (!c.tool.empty()) row.tool = timeRuns(c.tool, o.runs, errPath);
            row.ours = timeRuns(c.ours, o.runs, errPath);
            if (o.verify && (c.name == "dump" || c.name == "ls")) {
                const std::string a = o.dir + "/verify-tool.out";
                const std::string b = o.dir + "/verify-ours.out";
                runTimed(c.tool, errPath, a);
                runTimed(c.ours, errPath, b);
                row.verified = sameContents(a, b) ? "identical" : "DIFFERENT";
                std::remove(a.c_str());
                std::remove(b.c_str());
            }
            std::cerr << "  " << c.name << " done" << std::endl;
            rows.push_back(row);
        }
        printTable(std::cout, *facts, rows);
        std::cout.flush();
    }
    return 0;
}
