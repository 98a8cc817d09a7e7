#include "models/era/EraWritesetModel.h"

#include "models/BlockRef.h"
#include "models/ModelRoles.h"

namespace dms {

EraWritesetModel::EraWritesetModel(QObject* parent) : QAbstractTableModel(parent) {}

void EraWritesetModel::setContents(std::shared_ptr<const EraContents> contents) {
    beginResetModel();
    contents_ = std::move(contents);
    endResetModel();
}

int EraWritesetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !contents_ ? 0 : int(contents_->writesets().size());
}

int EraWritesetModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EraWritesetModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EraWritesetSummary& w = contents_->writesets()[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case EraColumn:
            return w.era;
        case KindColumn:
            return w.live ? tr("current (live)") : tr("archived");
        case BitsColumn:
            return w.nrBits;
        case SetColumn:
            return w.error.empty() ? QVariant::fromValue<quint64>(w.bitsSet)
                                   : QVariant(tr("unreadable"));
        case RootColumn:
            return QVariant::fromValue<quint64>(w.root);
        }
        break;
    case Qt::ToolTipRole:
        if (!w.error.empty()) return QString::fromStdString(w.error);
        break;
    case RawValueRole:
        switch (index.column()) {
        case EraColumn:
            return w.era;
        case BitsColumn:
            return w.nrBits;
        case SetColumn:
            return QVariant::fromValue<quint64>(w.bitsSet);
        case RootColumn:
            return QVariant::fromValue<quint64>(w.root);
        default:
            return w.live;
        }
    case BlockRefRole:
        if (w.root) return QVariant::fromValue(BlockRef::metadata(w.root));
        break;
    }
    return {};
}

QVariant EraWritesetModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case EraColumn:
        return tr("Era");
    case KindColumn:
        return tr("Writeset");
    case BitsColumn:
        return tr("nr_bits");
    case SetColumn:
        return tr("Blocks written");
    case RootColumn:
        return tr("Bitset root");
    }
    return {};
}

} // namespace dms
