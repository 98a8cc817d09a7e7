#pragma once
// The outcome of a metadata check: the findings, the verdict they add up to, and figures.

#include "core/check/Finding.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

namespace dms {

enum class CheckVerdict {
    Pass,     // no fatal or non-fatal finding (warnings allowed)
    NonFatal, // only non-fatal findings: fails unless non-fatal errors are ignored
    Fatal,    // at least one fatal finding
};

const char* verdictName(CheckVerdict v); // "pass", "non-fatal", "fatal"

struct CheckStats {
    std::uint64_t metadataBlocks = 0;     // size of the metadata device in blocks
    std::uint64_t usedMetadataBlocks = 0; // blocks with a count > 0 in the metadata space map
    std::uint64_t nodesRead = 0;          // btree nodes read and validated
    std::uint64_t bitmapsRead = 0;        // space-map bitmap and index blocks validated
    std::uint64_t devices = 0;            // devices in the checked details tree
    std::uint64_t mappings = 0;           // leaf entries of the bottom-level trees walked
    std::uint64_t dataBlocks = 0;         // size of the data device in blocks
    double seconds = 0;                   // wall time of the check
    bool exactPass = false;               // the thin_check-order emulation ran
    unsigned threads = 1;
};

class CheckReport {
public:
    explicit CheckReport(std::size_t maxFindings = 10000) : maxFindings_(maxFindings) {}
    CheckReport(const CheckReport& other);
    CheckReport& operator=(const CheckReport& other);

    // Thread-safe.
    void add(Finding f);

    const std::vector<Finding>& findings() const { return findings_; }
    // Findings of each severity, including those beyond the kept maximum.
    std::uint64_t count(Severity s) const { return bySeverity_[static_cast<int>(s)]; }
    std::uint64_t count(FindingCategory c) const { return byCategory_[static_cast<int>(c)]; }
    std::uint64_t dropped() const { return dropped_; }

    CheckVerdict verdict() const;
    // thin_check's exit status for this verdict: 0 pass, 1 fail.
    int exitCode(bool ignoreNonFatal) const;

    // Orders findings by severity, then block, so parallel walks report deterministically.
    void sort();

    CheckStats stats;

private:
    std::size_t maxFindings_;
    std::vector<Finding> findings_;
    std::array<std::uint64_t, 3> bySeverity_{};
    std::array<std::uint64_t, 11> byCategory_{};
    std::uint64_t dropped_ = 0;
    mutable std::mutex mutex_;
};

} // namespace dms
