#pragma once
// The pending operations of an edit session as a table: number, description, how many trace
// events the write machinery produced, and the `dmscope-cli edit` words. Reset whenever the
// session's operations change.

#include "models/edit/EditSession.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace dms {

class PendingOpsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NumberColumn, OperationColumn, EventsColumn, CommandColumn, ColumnCount };

    explicit PendingOpsModel(QObject* parent = nullptr);
    void setSession(EditSession* session);
    EditSession* session() const { return session_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    void reload();

    QPointer<EditSession> session_;
    QMetaObject::Connection connection_;
    int rows_ = 0;
};

} // namespace dms
