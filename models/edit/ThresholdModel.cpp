#include "models/edit/ThresholdModel.h"

#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"

namespace dms {

ThresholdModel::ThresholdModel(QObject* parent) : QAbstractTableModel(parent) {}

void ThresholdModel::setStepper(EventStepper* stepper) {
    for (auto& c : connections_)
        if (c) disconnect(c);
    stepper_ = stepper;
    if (stepper_) {
        connections_[0] =
            connect(stepper_, &EventStepper::eventsReloaded, this, &ThresholdModel::reload);
        connections_[1] =
            connect(stepper_, &EventStepper::positionChanged, this, &ThresholdModel::moved);
    }
    reload();
}

void ThresholdModel::reload() {
    beginResetModel();
    fires_.clear();
    if (stepper_)
        for (int i = 0; i < stepper_->eventCount(); ++i) {
            const TraceEvent& e = stepper_->events()[static_cast<std::size_t>(i)];
            if (e.kind == TraceKind::ThresholdFired && e.source == TraceSource::MetadataSpaceMap)
                fires_.push_back(i);
        }
    endResetModel();
    emit stateChanged();
}

void ThresholdModel::moved() {
    if (!fires_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit stateChanged();
}

std::optional<std::uint64_t> ThresholdModel::threshold() const {
    if (!stepper_ || !stepper_->session()) return std::nullopt;
    return stepper_->session()->threshold();
}

void ThresholdModel::setThreshold(std::optional<std::uint64_t> value) {
    if (stepper_ && stepper_->session()) (void)stepper_->session()->setThreshold(value);
}

std::uint64_t ThresholdModel::freeCount() const {
    return stepper_ ? stepper_->state().nrFree : 0;
}

bool ThresholdModel::armed() const {
    const auto t = threshold();
    if (!t || !stepper_) return false;
    const auto last = stepper_->lastThresholdCheck();
    return !(last && *last <= *t);
}

int ThresholdModel::firesSoFar() const {
    if (!stepper_) return 0;
    return static_cast<int>(std::count_if(fires_.begin(), fires_.end(),
                                          [&](int i) { return i <= stepper_->position(); }));
}

int ThresholdModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(fires_.size());
}

int ThresholdModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThresholdModel::data(const QModelIndex& index, int role) const {
    if (!stepper_ || !index.isValid() || index.row() >= rowCount()) return {};
    const int ev = fires_[static_cast<std::size_t>(index.row())];
    if (ev >= stepper_->eventCount()) return {};
    const TraceEvent& e = stepper_->events()[static_cast<std::size_t>(ev)];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case EventColumn:
            return ev + 1;
        case OperationColumn: {
            const int seg = stepper_->segmentOf(ev);
            return seg < 0 ? QVariant() : stepper_->segments()[static_cast<std::size_t>(seg)].label;
        }
        case BlockColumn:
            return qulonglong(e.block);
        case FreeColumn:
            return qulonglong(e.newValue);
        case ThresholdColumn:
            return qulonglong(e.oldValue);
        }
        return {};
    }
    if (role == ReachedRole) return ev <= stepper_->position();
    if (role == EventIndexRole) return ev;
    return {};
}

QVariant ThresholdModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Event", "Operation", "Allocated block", "Free", "Threshold"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace dms
