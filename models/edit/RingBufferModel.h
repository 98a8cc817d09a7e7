#pragma once
// The metadata space map's block-op ring buffer at the event stepper's current position: one row
// per slot (1025: 1024 ops, one slot kept empty so that full and empty differ), each with its
// queued op (INC/DEC of a block, or of a range under the mainline policy), and the begin/end
// cursors and fill level.

#include "models/edit/EventStepper.h"

#include <QAbstractListModel>
#include <QPointer>

namespace dms {

class RingBufferModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        QueuedRole = Qt::UserRole + 1, // bool
        IsDecRole,                     // bool
        FirstBlockRole,                // qulonglong
        EndBlockRole,                  // qulonglong, exclusive
        IsBeginRole,                   // the ring's begin cursor is at this slot
        IsEndRole,                     // the ring's end cursor is at this slot
        PushedAtRole,                  // event index (0-based) that queued it, -1 if none
    };

    explicit RingBufferModel(QObject* parent = nullptr);
    void setStepper(EventStepper* stepper);
    EventStepper* stepper() const { return stepper_; }

    std::uint32_t fill() const;
    std::uint32_t beginCursor() const;
    std::uint32_t endCursor() const;
    // "INC 17", "DEC 40..43"; empty for a free slot.
    QString slotLabel(int slot) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void ringChanged();

private:
    void refresh();

    QPointer<EventStepper> stepper_;
    QMetaObject::Connection connections_[2];
};

} // namespace dms
