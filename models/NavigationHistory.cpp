#include "models/NavigationHistory.h"

#include "models/BlockSelection.h"

namespace dms {

NavigationHistory::NavigationHistory(BlockSelection* selection, QObject* parent)
    : QObject(parent), selection_(selection) {
    connect(selection_, &BlockSelection::currentChanged, this,
            [this](const BlockRef& ref) { record(ref); });
    connect(selection_, &BlockSelection::cleared, this, &NavigationHistory::clear);
}

void NavigationHistory::record(const BlockRef& ref) {
    if (moving_) return;
    if (!entries_.empty()) entries_.resize(position_ + 1);
    entries_.push_back(ref);
    if (entries_.size() > kMaxEntries) entries_.erase(entries_.begin());
    position_ = entries_.size() - 1;
    emit changed();
}

void NavigationHistory::moveTo(std::size_t position) {
    position_ = position;
    moving_ = true;
    selection_->select(entries_[position_], this);
    moving_ = false;
    emit changed();
}

void NavigationHistory::back() {
    if (canGoBack()) moveTo(position_ - 1);
}

void NavigationHistory::forward() {
    if (canGoForward()) moveTo(position_ + 1);
}

void NavigationHistory::clear() {
    entries_.clear();
    position_ = 0;
    emit changed();
}

} // namespace dms
