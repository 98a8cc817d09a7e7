#include "models/cache/CacheBlockModel.h"

#include "models/BlockRef.h"
#include "models/ModelRoles.h"

#include <QColor>
#include <QFontDatabase>

namespace dms {

CacheBlockModel::CacheBlockModel(QObject* parent) : QAbstractTableModel(parent) {}

void CacheBlockModel::setContents(std::shared_ptr<const CacheContents> contents) {
    beginResetModel();
    contents_ = std::move(contents);
    fetched_ = 0;
    // Views (and QAbstractItemModelTester) ask for more while the reset is being announced;
    // rows are inserted only once it is over.
    busy_ = true;
    endResetModel();
    busy_ = false;
}

QString CacheBlockModel::stateName(CacheContents::State s) {
    switch (s) {
    case CacheContents::Unmapped:
        return tr("unmapped");
    case CacheContents::Clean:
        return tr("clean");
    case CacheContents::Dirty:
        return tr("dirty");
    case CacheContents::Unreadable:
        return tr("unreadable");
    }
    return {};
}

QString CacheBlockModel::hintText(const CacheContents& c, std::uint32_t cblock) {
    if (!c.hasHints()) return QString();
    const QByteArray bytes(reinterpret_cast<const char*>(c.hint(cblock)), int(c.hintWidth()));
    return QString::fromLatin1(bytes.toHex(' '));
}

QModelIndex CacheBlockModel::indexOfCacheBlock(std::uint32_t cblock) {
    if (!contents_ || cblock >= contents_->cacheBlocks()) return {};
    if (int(cblock) >= fetched_) {
        const int want = std::min<int>(int(contents_->cacheBlocks()),
                                       (int(cblock) / kFetchRows + 1) * kFetchRows);
        busy_ = true;
        beginInsertRows({}, fetched_, want - 1);
        fetched_ = want;
        endInsertRows();
        busy_ = false;
    }
    return index(int(cblock), 0);
}

int CacheBlockModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : fetched_;
}

int CacheBlockModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool CacheBlockModel::canFetchMore(const QModelIndex& parent) const {
    return !busy_ && !parent.isValid() && contents_ && fetched_ < int(contents_->cacheBlocks());
}

void CacheBlockModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    const int want = std::min<int>(int(contents_->cacheBlocks()), fetched_ + kFetchRows);
    busy_ = true; // no nested fetch from the insert signals
    beginInsertRows({}, fetched_, want - 1);
    fetched_ = want;
    endInsertRows();
    busy_ = false;
}

QVariant CacheBlockModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !contents_)
        return {};
    const CacheContents& c = *contents_;
    const auto cb = std::uint32_t(index.row());
    const CacheContents::State st = c.state(cb);
    const std::uint64_t m = c.mapping(cb);
    const bool valid = st == CacheContents::Clean || st == CacheContents::Dirty;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CacheBlockColumn:
            return cb;
        case StateColumn:
            return stateName(st);
        case OriginColumn:
            return valid ? QVariant::fromValue<quint64>(CacheContents::originOf(m)) : QVariant();
        case FlagsColumn: {
            if (st == CacheContents::Unreadable) return QVariant();
            const std::uint32_t f = CacheContents::flagsOf(m);
            QStringList words;
            if (f & CacheSuperblock::kMappingValid) words << QStringLiteral("VALID");
            if (f & CacheSuperblock::kMappingDirty) words << QStringLiteral("DIRTY");
            if (c.format() == 2 && c.dirtyBit(cb)) words << tr("dirty bit");
            return words.isEmpty() ? QStringLiteral("0") : words.join(QLatin1Char(' '));
        }
        case HintColumn:
            return hintText(c, cb);
        case MetadataBlockColumn:
            return QVariant::fromValue<quint64>(c.mappingBlockOf(cb));
        }
        break;
    case Qt::ForegroundRole:
        if (index.column() == StateColumn && st == CacheContents::Dirty)
            return QColor(0xc0, 0x50, 0x10);
        if (index.column() == StateColumn && st == CacheContents::Unreadable)
            return QColor(0xc0, 0x20, 0x20);
        break;
    case Qt::FontRole:
        if (index.column() == HintColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    case RawValueRole:
        if (index.column() == CacheBlockColumn) return cb;
        if (index.column() == OriginColumn && valid)
            return QVariant::fromValue<quint64>(CacheContents::originOf(m));
        if (index.column() == StateColumn) return int(st);
        return QVariant::fromValue<quint64>(m);
    case BlockRefRole:
        if (const std::uint64_t b = c.mappingBlockOf(cb))
            return QVariant::fromValue(BlockRef::metadata(b));
        break;
    }
    return {};
}

QVariant CacheBlockModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case CacheBlockColumn:
        return tr("Cache block");
    case StateColumn:
        return tr("State");
    case OriginColumn:
        return tr("Origin block");
    case FlagsColumn:
        return tr("Flags");
    case HintColumn:
        return tr("Hint");
    case MetadataBlockColumn:
        return tr("Mapping entry in block");
    }
    return {};
}

} // namespace dms
