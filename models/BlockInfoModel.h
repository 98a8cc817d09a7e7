#pragma once
// What one selected block is, as a two-column table (property, value). For a metadata block: the
// type its header says (found by which checksum it carries, and the node flags), its role and owner
// from the block map when one is set, stored vs computed checksum, the self block number check,
// the metadata space map's count against the references found, then one row per referrer (the
// parent slot pointing at it, with its path; BlockRefRole selects the parent). For a data block:
// its data space-map count and the thin devices mapping it.
//
// Cheap work only (one block, one bitmap, one refcount lookup); the referrer and data-block
// searches are full walks and come in precomputed through setReferrers()/setDataBlockUsers().

#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/BlockMap.h"
#include "core/thin/ReferrerSearch.h"
#include "models/BlockRef.h"
#include "models/ThinPoolDocument.h"

#include <QAbstractTableModel>
#include <memory>
#include <optional>
#include <vector>

namespace dms {

class BlockInfoModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { PropertyColumn, ValueColumn, ColumnCount };

    explicit BlockInfoModel(QObject* parent = nullptr);
    ~BlockInfoModel() override;

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setBlockMap(std::shared_ptr<const BlockMap> map);
    // The block to describe; nullopt shows nothing.
    void setBlock(std::optional<BlockRef> ref);
    std::optional<BlockRef> block() const { return ref_; }

    // Referrers of the current metadata block (ignored when `block` is not the current one).
    void setReferrers(std::uint64_t block, std::vector<Referrer> referrers);
    // "searching… 40%", "cancelled", an error: shown in place of the referrer rows.
    void setReferrerStatus(const QString& status);
    // Thin devices mapping the current data block (ignored when it is not the current one).
    void setDataBlockUsers(std::uint64_t block, std::vector<RmapRun> users);
    void setDataBlockStatus(const QString& status);
    const std::optional<std::vector<Referrer>>& referrers() const { return referrers_; }

    // The row whose property is `name` ("type", "checksum", ...), or -1. Names are stable keys
    // (FieldNameRole of column 0).
    int rowOf(const QString& key) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString key;      // stable name, FieldNameRole
        QString property; // shown
        QString value;
        QString tooltip;
        std::optional<BlockRef> target; // BlockRefRole
        bool problem = false;           // shown in the error colour
        std::optional<quint64> raw;
    };

    void rebuild();
    void addMetadataRows(std::uint64_t b);
    void addDataRows(std::uint64_t b);
    void add(Row row) { rows_.push_back(std::move(row)); }

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const BlockMap> map_;
    std::optional<SpaceMapReader> metadataSm_;
    std::optional<SpaceMapReader> dataSm_;
    std::optional<BlockRef> ref_;
    std::optional<std::vector<Referrer>> referrers_;
    QString referrerStatus_;
    std::optional<std::vector<RmapRun>> users_;
    QString usersStatus_;
    std::vector<Row> rows_;
};

} // namespace dms
