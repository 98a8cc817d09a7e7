#pragma once
// The cache blocks of dm-cache metadata as a lazy table (rows are fetched 4096 at a time, so a
// million cache blocks cost nothing until scrolled to): cache block, state (unmapped / clean /
// dirty), origin block, mapping flags, the policy hint (hex) and the metadata block holding the
// mapping entry. BlockRefRole is that block; RawValueRole of the first column the cache block.

#include "models/cache/CacheContents.h"

#include <QAbstractTableModel>
#include <memory>

namespace dms {

class CacheBlockModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        CacheBlockColumn,
        StateColumn,
        OriginColumn,
        FlagsColumn,
        HintColumn,
        MetadataBlockColumn,
        ColumnCount
    };
    static constexpr int kFetchRows = 4096;

    explicit CacheBlockModel(QObject* parent = nullptr);

    // nullptr: empty.
    void setContents(std::shared_ptr<const CacheContents> contents);
    const CacheContents* contents() const { return contents_.get(); }
    // Fetches up to cblock and returns its row.
    QModelIndex indexOfCacheBlock(std::uint32_t cblock);

    static QString stateName(CacheContents::State s);
    static QString hintText(const CacheContents& c, std::uint32_t cblock);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    std::shared_ptr<const CacheContents> contents_;
    int fetched_ = 0;
    bool busy_ = false; // resetting or inserting: fetchMore waits
};

} // namespace dms
