#include "models/edit/PendingOpsModel.h"

#include "models/edit/EditSession.h"

namespace dms {

PendingOpsModel::PendingOpsModel(QObject* parent) : QAbstractTableModel(parent) {}

void PendingOpsModel::setSession(EditSession* session) {
    if (connection_) disconnect(connection_);
    session_ = session;
    if (session_)
        connection_ =
            connect(session_, &EditSession::operationsChanged, this, &PendingOpsModel::reload);
    reload();
}

void PendingOpsModel::reload() {
    beginResetModel();
    rows_ = session_ ? static_cast<int>(session_->operations().size()) : 0;
    endResetModel();
}

int PendingOpsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}

int PendingOpsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PendingOpsModel::data(const QModelIndex& index, int role) const {
    if (!session_ || !index.isValid() || index.row() >= rows_ ||
        index.row() >= static_cast<int>(session_->operations().size()))
        return {};
    const PendingOperation& p = session_->operations()[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1;
        case OperationColumn:
            return p.op.describe();
        case EventsColumn:
            return static_cast<qulonglong>(p.events.size());
        case CommandColumn:
            return p.op.command();
        }
    }
    if (role == Qt::ToolTipRole) return p.op.command();
    if (role == Qt::TextAlignmentRole &&
        (index.column() == NumberColumn || index.column() == EventsColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant PendingOpsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case OperationColumn:
        return tr("Operation");
    case EventsColumn:
        return tr("Events");
    case CommandColumn:
        return tr("Command");
    }
    return {};
}

} // namespace dms
