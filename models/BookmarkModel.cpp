#include "models/BookmarkModel.h"

#include <QCryptographicHash>
#include <QSettings>

namespace dms {

BookmarkModel::BookmarkModel(QObject* parent) : QAbstractTableModel(parent) {}

QString BookmarkModel::settingsGroup(const QString& identity) {
    // Paths hold '/', which QSettings reads as nesting: key the group by a hash, keep the path
    // inside for people reading the file.
    const QByteArray hash =
        QCryptographicHash::hash(identity.toUtf8(), QCryptographicHash::Sha1).toHex().left(16);
    return QStringLiteral("bookmarks/") + QString::fromLatin1(hash);
}

void BookmarkModel::setIdentity(const QString& identity) {
    beginResetModel();
    identity_ = identity;
    bookmarks_.clear();
    load();
    endResetModel();
}

void BookmarkModel::load() {
    if (identity_.isEmpty()) return;
    QSettings settings;
    settings.beginGroup(settingsGroup(identity_));
    const int n = settings.beginReadArray(QStringLiteral("items"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        Bookmark b;
        b.block.space = settings.value(QStringLiteral("space")).toString() == QLatin1String("data")
                            ? BlockSpace::Data
                            : BlockSpace::Metadata;
        b.block.block = settings.value(QStringLiteral("block")).toULongLong();
        b.name = settings.value(QStringLiteral("name")).toString();
        b.colour = QColor(settings.value(QStringLiteral("colour")).toString());
        b.note = settings.value(QStringLiteral("note")).toString();
        bookmarks_.push_back(b);
    }
    settings.endArray();
}

void BookmarkModel::save() const {
    if (identity_.isEmpty()) return;
    QSettings settings;
    settings.beginGroup(settingsGroup(identity_));
    settings.remove(QString()); // the whole group: rows may have been removed
    settings.setValue(QStringLiteral("identity"), identity_);
    settings.beginWriteArray(QStringLiteral("items"), int(bookmarks_.size()));
    for (int i = 0; i < int(bookmarks_.size()); ++i) {
        const Bookmark& b = bookmarks_[i];
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("space"), b.block.isMetadata() ? QStringLiteral("metadata")
                                                                        : QStringLiteral("data"));
        settings.setValue(QStringLiteral("block"), quint64(b.block.block));
        settings.setValue(QStringLiteral("name"), b.name);
        settings.setValue(QStringLiteral("colour"), b.colour.name());
        settings.setValue(QStringLiteral("note"), b.note);
    }
    settings.endArray();
    settings.sync();
}

void BookmarkModel::add(const Bookmark& b) {
    const int row = count();
    beginInsertRows({}, row, row);
    bookmarks_.push_back(b);
    endInsertRows();
    save();
}

void BookmarkModel::replace(int row, const Bookmark& b) {
    if (row < 0 || row >= count()) return;
    bookmarks_[row] = b;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    save();
}

void BookmarkModel::remove(int row) {
    if (row < 0 || row >= count()) return;
    beginRemoveRows({}, row, row);
    bookmarks_.erase(bookmarks_.begin() + row);
    endRemoveRows();
    save();
}

int BookmarkModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

int BookmarkModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BookmarkModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Bookmark& b = bookmarks_[index.row()];
    if (role == BlockRefRole) return QVariant::fromValue(b.block);
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole) return b.name;
        if (role == Qt::DecorationRole && b.colour.isValid()) return b.colour;
        break;
    case BlockColumn:
        if (role == Qt::DisplayRole) return b.block.describe();
        break;
    case NoteColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) return b.note;
        break;
    default:
        break;
    }
    return {};
}

QVariant BookmarkModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case BlockColumn:
        return tr("Block");
    case NoteColumn:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace dms
