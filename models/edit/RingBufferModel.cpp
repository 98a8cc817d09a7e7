#include "models/edit/RingBufferModel.h"

#include "models/edit/EventStepper.h"

namespace dms {

RingBufferModel::RingBufferModel(QObject* parent) : QAbstractListModel(parent) {}

void RingBufferModel::setStepper(EventStepper* stepper) {
    for (auto& c : connections_)
        if (c) disconnect(c);
    stepper_ = stepper;
    if (stepper_) {
        connections_[0] =
            connect(stepper_, &EventStepper::positionChanged, this, &RingBufferModel::refresh);
        connections_[1] =
            connect(stepper_, &EventStepper::eventsReloaded, this, &RingBufferModel::refresh);
    }
    refresh();
}

void RingBufferModel::refresh() {
    emit dataChanged(index(0), index(rowCount() - 1));
    emit ringChanged();
}

std::uint32_t RingBufferModel::fill() const {
    return stepper_ ? stepper_->ringFill() : 0;
}
std::uint32_t RingBufferModel::beginCursor() const {
    return stepper_ ? stepper_->state().ringBegin : 0;
}
std::uint32_t RingBufferModel::endCursor() const {
    return stepper_ ? stepper_->state().ringEnd : 0;
}

QString RingBufferModel::slotLabel(int slot) const {
    if (!stepper_ || slot < 0 || slot >= rowCount()) return {};
    const EventStepper::RingSlot& s = stepper_->ring()[static_cast<std::size_t>(slot)];
    if (!s.queued) return {};
    const QString kind = s.type == BlockOpType::Dec ? QStringLiteral("DEC") : QStringLiteral("INC");
    if (s.end > s.begin + 1)
        return QStringLiteral("%1 %2..%3").arg(kind).arg(s.begin).arg(s.end - 1);
    return QStringLiteral("%1 %2").arg(kind).arg(s.begin);
}

int RingBufferModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(BlockOpRing::kSlots);
}

QVariant RingBufferModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const int row = index.row();
    const EventStepper::RingSlot empty;
    const EventStepper::RingSlot& s =
        stepper_ ? stepper_->ring()[static_cast<std::size_t>(row)] : empty;
    switch (role) {
    case Qt::DisplayRole:
        return slotLabel(row);
    case Qt::ToolTipRole:
        return s.queued ? QStringLiteral("slot %1: %2 (queued by event %3)")
                              .arg(row)
                              .arg(slotLabel(row))
                              .arg(s.pushedAt + 1)
                        : QStringLiteral("slot %1: free").arg(row);
    case QueuedRole:
        return s.queued;
    case IsDecRole:
        return s.queued && s.type == BlockOpType::Dec;
    case FirstBlockRole:
        return qulonglong(s.begin);
    case EndBlockRole:
        return qulonglong(s.end);
    case IsBeginRole:
        return std::uint32_t(row) == beginCursor();
    case IsEndRole:
        return std::uint32_t(row) == endCursor();
    case PushedAtRole:
        return s.queued ? s.pushedAt : -1;
    }
    return {};
}

QHash<int, QByteArray> RingBufferModel::roleNames() const {
    auto r = QAbstractListModel::roleNames();
    r.insert(QueuedRole, "queued");
    r.insert(IsDecRole, "isDec");
    r.insert(FirstBlockRole, "firstBlock");
    r.insert(EndBlockRole, "endBlock");
    r.insert(IsBeginRole, "isBegin");
    r.insert(IsEndRole, "isEnd");
    r.insert(PushedAtRole, "pushedAt");
    return r;
}

} // namespace dms
