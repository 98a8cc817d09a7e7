#include "core/check/CheckReport.h"

#include <algorithm>

namespace dms {

const char* verdictName(CheckVerdict v) {
    switch (v) {
    case CheckVerdict::Pass:
        return "pass";
    case CheckVerdict::NonFatal:
        return "non-fatal";
    case CheckVerdict::Fatal:
        return "fatal";
    }
    return "?";
}

CheckReport::CheckReport(const CheckReport& other) {
    *this = other;
}

CheckReport& CheckReport::operator=(const CheckReport& other) {
    if (this == &other) return *this;
    std::scoped_lock lock(mutex_, other.mutex_);
    maxFindings_ = other.maxFindings_;
    findings_ = other.findings_;
    bySeverity_ = other.bySeverity_;
    byCategory_ = other.byCategory_;
    dropped_ = other.dropped_;
    stats = other.stats;
    return *this;
}

void CheckReport::add(Finding f) {
    std::lock_guard lock(mutex_);
    ++bySeverity_[static_cast<int>(f.severity)];
    ++byCategory_[static_cast<int>(f.category)];
    if (findings_.size() < maxFindings_)
        findings_.push_back(std::move(f));
    else
        ++dropped_;
}

CheckVerdict CheckReport::verdict() const {
    if (count(Severity::Fatal)) return CheckVerdict::Fatal;
    if (count(Severity::NonFatal)) return CheckVerdict::NonFatal;
    return CheckVerdict::Pass;
}

int CheckReport::exitCode(bool ignoreNonFatal) const {
    switch (verdict()) {
    case CheckVerdict::Pass:
        return 0;
    case CheckVerdict::NonFatal:
        return ignoreNonFatal ? 0 : 1;
    case CheckVerdict::Fatal:
        return 1;
    }
    return 1;
}

void CheckReport::sort() {
    std::lock_guard lock(mutex_);
    std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
        if (a.severity != b.severity) return a.severity < b.severity;
        return a.block.value_or(0) < b.block.value_or(0);
    });
}

} // namespace dms
