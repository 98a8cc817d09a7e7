#pragma once
// The bookmarks of one opened image or device: a block with a name, a colour and a note. They
// are kept in the user's settings under the document's identity (its canonical path), so they
// come back when the same image or device is opened again, after a restart too.

#include "models/BlockRef.h"

#include <QAbstractTableModel>
#include <QColor>
#include <vector>

namespace dms {

struct Bookmark {
    BlockRef block;
    QString name;
    QColor colour;
    QString note;
};

class BookmarkModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, BlockColumn, NoteColumn, ColumnCount };
    enum Role { BlockRefRole = Qt::UserRole + 40 };

    explicit BookmarkModel(QObject* parent = nullptr);

    // Loads the bookmarks stored for identity; an empty identity means no document (no rows).
    void setIdentity(const QString& identity);
    const QString& identity() const { return identity_; }

    void add(const Bookmark& b);
    void replace(int row, const Bookmark& b);
    void remove(int row);
    const Bookmark& bookmark(int row) const { return bookmarks_[row]; }
    int count() const { return int(bookmarks_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The settings group a document's bookmarks live in.
    static QString settingsGroup(const QString& identity);

private:
    void load();
    void save() const;

    QString identity_;
    std::vector<Bookmark> bookmarks_;
};

} // namespace dms
