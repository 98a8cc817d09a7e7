#pragma once
// Runs one command as a child process (stdout to /dev/null, stderr kept in a file) and measures it:
// wall clock, the child's own user/sys time and peak RSS from wait4(), and its peak anonymous
// memory sampled from /proc (ru_maxrss also counts the page-cache pages of a memory-mapped image).

#include <cstdint>
#include <string>
#include <vector>

namespace dms::bench {

struct Timing {
    double wallSeconds = 0;
    double userSeconds = 0;
    double sysSeconds = 0;
    std::uint64_t maxRssKiB = 0;  // ru_maxrss: includes pages of memory-mapped files
    std::uint64_t maxAnonKiB = 0; // RssAnon sampled every 2 ms: heap and stacks only
    int exitCode = -1;            // -1: did not start or was killed by a signal
    std::string stderrHead;       // first line of stderr, for failures
};

Timing runTimed(const std::vector<std::string>& argv, const std::string& stderrPath,
                const std::string& stdoutPath = "/dev/null");

// True when both files hold the same bytes.
bool sameContents(const std::string& a, const std::string& b);

// Median of repeated runs (wall, user and sys each taken as a median; RSS as the maximum). The exit
// code is the first non-zero one seen, if any.
Timing medianOf(const std::vector<Timing>& runs);

// Reads the whole file once so that the timed runs start with a warm page cache.
bool warmPageCache(const std::string& path);

} // namespace dms::bench
