#include "models/edit/TransactionHistoryModel.h"

#include "core/thin/ThinSuperblock.h"

namespace dms {

TransactionHistoryModel::TransactionHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void TransactionHistoryModel::setSession(EditSession* session) {
    if (connection_) disconnect(connection_);
    session_ = session;
    if (session_)
        connection_ =
            connect(session_, &EditSession::committed, this, &TransactionHistoryModel::reload);
    reload();
}

void TransactionHistoryModel::reload() {
    beginResetModel();
    rows_ = session_ ? session_->history().size() : 0;
    free_.assign(static_cast<std::size_t>(rows_), {});
    for (int i = 0; i < rows_; ++i)
        for (const BlockChange& c : session_->history().at(i).blocks)
            if (c.block == 0 && c.after.size() == kBlockSize) {
                const ThinSuperblock sb =
                    ThinSuperblock::decode(Block::borrowed(0, c.after.data()));
                auto& f = free_[static_cast<std::size_t>(i)];
                f.metadata = sb.metadataSpaceMap.nrBlocks - sb.metadataSpaceMap.nrAllocated;
                f.data = sb.dataSpaceMap.nrBlocks - sb.dataSpaceMap.nrAllocated;
            }
    endResetModel();
}

int TransactionHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : rows_;
}

int TransactionHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransactionHistoryModel::data(const QModelIndex& index, int role) const {
    if (!session_ || !index.isValid() || index.row() >= rows_ ||
        index.row() >= session_->history().size())
        return {};
    const Transaction& t = session_->history().at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1;
        case TimeColumn:
            return t.time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        case OperationsColumn:
            return t.operations.join(QStringLiteral("; "));
        case BlocksColumn:
            return qulonglong(t.blocks.size());
        case MetadataFreeColumn:
        case DataFreeColumn: {
            const auto& f = free_[static_cast<std::size_t>(index.row())];
            const auto& v = index.column() == MetadataFreeColumn ? f.metadata : f.data;
            return v ? QVariant(qulonglong(*v)) : QVariant(QStringLiteral("?"));
        }
        }
    }
    if (role == Qt::ToolTipRole) return t.operations.join(QLatin1Char('\n'));
    return {};
}

QVariant TransactionHistoryModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {
        "#", "Time", "Operations", "Blocks written", "Metadata free", "Data free"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace dms
