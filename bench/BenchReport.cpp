#include "bench/BenchReport.h"

#include <cstdio>
#include <ostream>

namespace dms::bench {
namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string mib(std::uint64_t kib) {
    return fmt("%.0f MiB", double(kib) / 1024.0);
}

std::string cell(const std::optional<Timing>& t, bool wall) {
    if (!t) return "-";
    if (t->exitCode != 0) return "rc " + std::to_string(t->exitCode);
    return wall ? fmt("%.2f s", t->wallSeconds)
                : fmt("%.2f s", t->userSeconds) + " / " + fmt("%.2f s", t->sysSeconds);
}

std::string memory(const std::optional<Timing>& t) {
    if (!t) return "-";
    return mib(t->maxRssKiB) + " / " + mib(t->maxAnonKiB);
}

const BenchRow* find(const std::vector<BenchRow>& rows, const std::string& name) {
    for (const auto& r : rows)
        if (r.command == name) return &r;
    return nullptr;
}

bool ran(const std::optional<Timing>& t) {
    return t && t->exitCode == 0;
}

} // namespace

void printPoolHeader(std::ostream& o, const PoolSpec& spec, const PoolFacts& f, unsigned runs) {
    const double usedMiB = double(f.usedMetadataBlocks) * 4096.0 / (1 << 20);
    o << "\n### pool `" << spec.name << "`: " << f.devices << " devices, " << f.mappings
      << " mappings, " << f.dataBlocks << " data blocks; used metadata " << f.usedMetadataBlocks
      << " blocks (" << fmt("%.1f", usedMiB) << " MiB) of " << f.metadataBlocks << "\n\n";
    o << "Median of " << runs
      << " runs, warm page cache; user / sys and peak RSS of the child.\n\n";
}

void printTable(std::ostream& o, const PoolFacts& f, const std::vector<BenchRow>& rows) {
    const double usedMB = double(f.usedMetadataBlocks) * 4096.0 / 1e6;
    o << "| command | tool wall | tool user / sys | tool RSS / anon | ours wall | ours user / sys "
         "| ours RSS / anon | tool / ours | ours MB/s |\n";
    o << "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : rows) {
        o << "| " << r.command << " | " << cell(r.tool, true) << " | " << cell(r.tool, false)
          << " | " << memory(r.tool) << " | " << cell(r.ours, true) << " | " << cell(r.ours, false)
          << " | " << memory(r.ours) << " | ";
        if (ran(r.tool) && ran(r.ours) && r.ours->wallSeconds > 0)
            o << fmt("%.1fx", r.tool->wallSeconds / r.ours->wallSeconds);
        else
            o << "-";
        o << " | ";
        if (ran(r.ours) && r.ours->wallSeconds > 0)
            o << fmt("%.0f", usedMB / r.ours->wallSeconds);
        else
            o << "-";
        o << " |\n";
    }
    for (const auto& r : rows)
        if (!r.verified.empty())
            o << "\n" << r.command << " output vs the tool's: " << r.verified << '\n';
    for (const auto& r : rows)
        for (const auto* t : {&r.tool, &r.ours})
            if (*t && (*t)->exitCode != 0)
                o << "\n"
                  << r.command << (t == &r.tool ? " (tool)" : " (ours)") << " failed, rc "
                  << (*t)->exitCode << ": " << (*t)->stderrHead << '\n';

    o << "\nTargets:\n";
    if (f.usedMetadataBlocks * 4096 < (64ull << 20))
        o << "(this pool is too small for the targets: process start-up dominates)\n";
    if (const BenchRow* c = find(rows, "check"); c && ran(c->ours)) {
        const double rate = usedMB / c->ours->wallSeconds;
        o << "- check >= 1000 MB/s of used metadata: " << fmt("%.0f", rate) << " MB/s "
          << (rate >= 1000 ? "(met)" : "(MISSED)") << '\n';
    } else {
        o << "- check >= 1000 MB/s: not measured\n";
    }
    if (const BenchRow* d = find(rows, "dump"); d && ran(d->ours) && ran(d->tool)) {
        const double ratio = d->tool->wallSeconds / d->ours->wallSeconds;
        o << "- dump >= 4x thin_dump: " << fmt("%.1fx", ratio) << ' '
          << (ratio >= 4 ? "(met)" : "(MISSED)") << '\n';
    } else {
        o << "- dump >= 4x thin_dump: not measured\n";
    }
    if (const BenchRow* c = find(rows, "check"); c && ran(c->tool)) {
        const double limitKiB = 2.0 * double(c->tool->maxRssKiB) + double(f.dataBlocks) / 1024.0;
        o << "- peak memory (anonymous; the mapped image is page cache) <= 2 x thin_check ("
          << mib(c->tool->maxRssKiB)
          << ") + 1 byte per data block = " << mib(std::uint64_t(limitKiB)) << ":";
        for (const auto& r : rows)
            if (ran(r.ours))
                o << ' ' << r.command << ' ' << mib(r.ours->maxAnonKiB)
                  << (double(r.ours->maxAnonKiB) <= limitKiB ? " ok" : " OVER") << ';';
        o << '\n';
    }
}

} // namespace dms::bench
