#pragma once
// Prints write-path trace events, one line each, for `edit --dry-run` and `--trace`.

#include "core/trace/TraceEvent.h"

#include <ostream>

namespace dms::cli {

class TracePrinter final : public TraceObserver {
public:
    explicit TracePrinter(std::ostream& out) : out_(out) {}
    void onTrace(const TraceEvent& e) override;
    std::uint64_t count() const { return count_; }

private:
    std::ostream& out_;
    std::uint64_t count_ = 0;
};

} // namespace dms::cli
