#pragma once
// The transactions committed in an edit session, one row each (number, time, operations, blocks
// written), for stepping back and forward through them: state k is the metadata after row k-1
// (EditSession::stateAt). Reset when the session commits. The free counts are those of the
// superblock the transaction wrote (its after-image of block 0).

#include "models/edit/EditSession.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <optional>

namespace dms {

class TransactionHistoryModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NumberColumn,
        TimeColumn,
        OperationsColumn,
        BlocksColumn,
        MetadataFreeColumn,
        DataFreeColumn,
        ColumnCount
    };

    explicit TransactionHistoryModel(QObject* parent = nullptr);
    void setSession(EditSession* session);
    // Re-reads the session's history (after it was changed other than by a commit).
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    struct FreeCounts {
        std::optional<std::uint64_t> metadata, data;
    };

    QPointer<EditSession> session_;
    QMetaObject::Connection connection_;
    int rows_ = 0;
    std::vector<FreeCounts> free_;
};

} // namespace dms
