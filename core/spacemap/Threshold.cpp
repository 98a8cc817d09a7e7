#include "core/spacemap/Threshold.h"

namespace dms {

void Threshold::set(std::uint64_t threshold, std::function<void()> callback) {
    threshold_ = threshold;
    callback_ = std::move(callback);
}

bool Threshold::check(std::uint64_t freeCount) {
    const bool fire = below(freeCount) && !alreadyTriggered();
    if (fire) {
        ++fires_;
        if (callback_) callback_();
    }
    current_ = freeCount;
    return fire;
}

} // namespace dms
