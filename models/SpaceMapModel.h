#pragma once
// One space map (metadata or data) as a lazy tree: a row per index entry (the bitmap's block,
// nr_free, none_free_before and whether the bitmap validates), and below it the bitmap's entries
// as runs of equal counts ("blocks 16320-16399: value 1, count 1"), a value of 3 resolved through
// the refcount tree. Nothing is read until a row is expanded, and runs arrive in pages of
// kRunsPerFetch, so a data space map of 1 G blocks is browsable. A bitmap that does not validate
// is shown with its error and has one error row below it; the other bitmaps stay browsable. An
// index that cannot be read at all is one top-level error row.

#include "core/spacemap/SpaceMapReader.h"
#include "models/ThinPoolDocument.h"

#include <QAbstractItemModel>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace dms {

class SpaceMapModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,           // "bitmap 3: blocks 48960-65279" / "blocks 48960-49010 (51)"
        BlockColumn,          // index rows: the bitmap's metadata block; runs: the first block
        ValueColumn,          // runs: the 2-bit bitmap value (3 = look in the refcount tree)
        CountColumn,          // runs: the reference count
        NrFreeColumn,         // index rows: nr_free
        NoneFreeBeforeColumn, // index rows: none_free_before
        StatusColumn,         // "ok" or the error
        ColumnCount
    };
    static constexpr int kRunsPerFetch = 1024;

    explicit SpaceMapModel(QObject* parent = nullptr);
    ~SpaceMapModel() override;

    // The live superblock's space map of that kind (the held copy has none). nullptr clears.
    void setSpaceMap(std::shared_ptr<ThinPoolDocument> doc, SpaceMapKind kind);
    void clear();
    SpaceMapKind kind() const { return kind_; }
    // Set when the index could not be read (the model then has one error row).
    const std::optional<Error>& openError() const { return openError_; }
    // nr_blocks of the shown map, 0 when none.
    std::uint64_t nrBlocks() const;

    // The index entry row covering block b (a block of this map), or an invalid index.
    QModelIndex indexEntryFor(std::uint64_t block) const;
    // The run row holding block b, fetching the bitmap and its pages up to it; the index entry
    // row when the bitmap is unreadable; invalid beyond the map.
    QModelIndex runFor(std::uint64_t block);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Run {
        std::uint64_t begin = 0;
        std::uint64_t length = 0;
        std::uint32_t count = 0;
        std::uint8_t value = 0;
        bool countKnown = true; // false: value 3 whose count could not be read
    };
    struct Bitmap {
        std::vector<Run> runs;
        std::size_t shown = 0;           // runs inserted as rows so far
        std::optional<Error> error;      // the bitmap itself failed: one error row
        std::optional<Error> countError; // the refcount tree failed for its value-3 entries
    };

    bool isIndexRow(const QModelIndex& index) const { return index.internalId() == 0; }
    std::uint64_t entryCount(std::size_t i) const; // entries the bitmap of index entry i holds
    std::unique_ptr<Bitmap> loadBitmap(std::size_t i) const;
    const Error* bitmapError(std::size_t i) const; // validates once, cached
    QVariant indexData(std::size_t i, int column, int role) const;
    QVariant runData(const Bitmap& bm, int row, int column, int role) const;
    QVariant errorData(const Error& e, int column, int role) const;

    std::shared_ptr<ThinPoolDocument> doc_;
    SpaceMapKind kind_ = SpaceMapKind::Metadata;
    std::optional<SpaceMapReader> reader_;
    std::optional<Error> openError_;
    std::vector<std::unique_ptr<Bitmap>> bitmaps_; // per index entry, once fetched
    // Per index entry: 0 not validated yet, 1 ok, 2 failed (the error in failures_).
    mutable std::vector<std::uint8_t> validated_;
    mutable std::unordered_map<std::size_t, Error> failures_;
};

} // namespace dms
