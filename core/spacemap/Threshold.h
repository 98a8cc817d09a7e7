#pragma once
// The metadata space map's edge-triggered low-free-space threshold: the callback fires when the
// free count is checked at or below the threshold, and not again until a check has seen it above
// the threshold (re-armed).

#include <cstdint>
#include <functional>
#include <optional>

namespace dms {

class Threshold {
public:
    void set(std::uint64_t threshold, std::function<void()> callback);
    bool isSet() const { return threshold_.has_value(); }
    std::uint64_t value() const { return threshold_.value_or(0); }

    // Records a new free count; returns true when the callback fired.
    bool check(std::uint64_t freeCount);

    // Armed: the next check at or below the threshold fires.
    bool armed() const { return !alreadyTriggered(); }
    std::optional<std::uint64_t> lastChecked() const { return current_; }
    std::uint64_t fireCount() const { return fires_; }

private:
    bool below(std::uint64_t v) const { return threshold_ && v <= *threshold_; }
    bool alreadyTriggered() const { return current_ && below(*current_); }

    std::optional<std::uint64_t> threshold_;
    std::optional<std::uint64_t> current_;
    std::function<void()> callback_;
    std::uint64_t fires_ = 0;
};

} // namespace dms
