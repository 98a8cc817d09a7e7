#pragma once
// The thin superblock as a table: one row per on-disk field (the two 128-byte space-map roots
// split into their four fields), with columns Field, Value, Offset and Meaning. Offsets are byte
// offsets in the superblock block (FORMAT.md §3, §5).

#include "core/thin/ThinSuperblock.h"

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace dms {

class SuperblockModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { FieldColumn, ValueColumn, OffsetColumn, MeaningColumn, ColumnCount };

    explicit SuperblockModel(QObject* parent = nullptr);

    // Shows sb (the live superblock or a held copy); deviceBlocks is the device's size in blocks.
    void setSuperblock(const ThinSuperblock& sb, std::uint64_t deviceBlocks);
    void clear();
    bool isEmpty() const { return rows_.empty(); }
    std::uint64_t location() const { return location_; }

    // The row of a field by its FORMAT.md name, or -1.
    int rowOf(const QString& field) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // One field of any superblock; a dotted name ("a.b") is shown indented under "a".
    struct Row {
        QString field;
        unsigned offset;
        unsigned size;
        QString value;
        QString meaning;
        QVariant raw;
    };
    // Another kind of superblock (dm-cache, dm-era), its rows made by the caller.
    void setRows(std::vector<Row> rows, std::uint64_t location = 0);

private:
    std::vector<Row> rows_;
    std::uint64_t location_ = 0;
};

} // namespace dms
