#pragma once
// The frame shared by the cache and era checkers: times the run, owns the report and reads
// block 0, refusing it (with one fatal finding) when missing, unreadable or failing the checksum.

#include "core/Block.h"
#include "core/BlockReader.h"
#include "core/BlockSource.h"
#include "core/BlockType.h"
#include "core/check/CheckReport.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace dms {

// One finding, built field by field (the checkers add many of them).
void addFinding(CheckReport& r, Severity s, FindingCategory c, std::optional<std::uint64_t> block,
                std::string field, std::string message, std::string path = {});

class SuperblockCheckRun {
public:
    SuperblockCheckRun(std::shared_ptr<const BlockSource> source, std::size_t maxFindings);

    BlockReader& reader() { return reader_; }
    CheckReport& report() { return report_; }
    std::uint64_t blockCount() const { return blockCount_; }

    // Block 0 when it is there and its checksum matches `type`; otherwise the fatal finding is
    // added and nothing is returned. `kindName` names the metadata in the message ("dm-cache").
    std::optional<Block> superblock(BlockType type, const char* kindName);

    // The report, sorted, with the time spent.
    CheckReport finish();

private:
    std::chrono::steady_clock::time_point start_;
    CheckReport report_;
    BlockReader reader_;
    std::uint64_t blockCount_;
};

} // namespace dms
