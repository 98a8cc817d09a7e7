#pragma once
// What a commit is doing, reported as it goes (for a progress dialog): the phases of the
// crash-safe order, in this order: every dirty block but the superblock written, flush, the
// superblock written, flush, done. Writing reports after the first block and then every
// kWriteReportStep blocks and after the last, so a large commit is followed without one call per
// block mattering.

#include <cstdint>

namespace dms {

enum class CommitPhase {
    WritingBlocks,
    FlushingBlocks,
    WritingSuperblock,
    FlushingSuperblock,
    Done
};

const char* commitPhaseName(CommitPhase phase); // "writing blocks", "flush", ...

struct CommitProgressReport {
    CommitPhase phase = CommitPhase::WritingBlocks;
    std::uint64_t done = 0;       // blocks written so far (WritingBlocks), else 0 or 1
    std::uint64_t total = 0;      // blocks this phase writes
    std::uint64_t superblock = 0; // where the superblock goes
};

class CommitProgressObserver {
public:
    static constexpr std::uint64_t kWriteReportStep = 64;
    virtual ~CommitProgressObserver() = default;
    // Called on the committing thread; must not call back into the transaction.
    virtual void onCommitProgress(const CommitProgressReport& report) = 0;
};

} // namespace dms
