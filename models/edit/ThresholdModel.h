#pragma once
// The metadata space map's low-free-space threshold at the event stepper's position: its value
// (set through the edit session, which re-applies the pending operations), the free count the
// kernel checks it against (committed free minus allocated this transaction), armed or fired,
// and one row per time it fired in the stepper's events (the event, its operation, the block
// whose allocation fired it, the free count then).

#include "models/edit/EventStepper.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <optional>

namespace dms {

class ThresholdModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        EventColumn,
        OperationColumn,
        BlockColumn,
        FreeColumn,
        ThresholdColumn,
        ColumnCount
    };
    enum Role { ReachedRole = Qt::UserRole + 1, EventIndexRole };

    explicit ThresholdModel(QObject* parent = nullptr);
    void setStepper(EventStepper* stepper);

    // The session's threshold (none: not set).
    std::optional<std::uint64_t> threshold() const;
    void setThreshold(std::optional<std::uint64_t> value);
    // At the stepper's position.
    std::uint64_t freeCount() const;
    bool armed() const;
    int firesSoFar() const;
    // Event indexes (0-based) of every ThresholdFired event loaded.
    const std::vector<int>& fires() const { return fires_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

signals:
    void stateChanged();

private:
    void reload();
    void moved();

    QPointer<EventStepper> stepper_;
    QMetaObject::Connection connections_[2];
    std::vector<int> fires_;
};

} // namespace dms
