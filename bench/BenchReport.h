#pragma once
// The benchmark's result table (Markdown, so it can go into docs/BENCHMARKS.md as printed) and
// the targets from the issue: check >= 1 GB/s of used metadata, dump >= 4x thin_dump, peak
// memory within 2x thin_check's plus 1 byte per data block.

#include "bench/BenchPool.h"
#include "bench/CommandTimer.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace dms::bench {

struct BenchRow {
    std::string command;        // "check", "dump", ...
    std::optional<Timing> tool; // thin_* counterpart, when there is one
    std::optional<Timing> ours;
    std::string verified; // "identical" / "DIFFERENT" with --verify, else empty
};

void printPoolHeader(std::ostream& o, const PoolSpec& spec, const PoolFacts& facts, unsigned runs);
void printTable(std::ostream& o, const PoolFacts& facts, const std::vector<BenchRow>& rows);

} // namespace dms::bench
