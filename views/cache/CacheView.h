#pragma once
// The dm-cache tab: the cache blocks as a map (unmapped / clean / dirty: format 1 from the
// mappings' DIRTY flags, format 2 from the dirty bitset), the origin device by region (which
// ranges are cached, which hold dirty blocks), the policy and a lazy table of every cache block
// with its hint, and the discard bitset. The metadata is read on a worker thread when the
// document is set. Clicking a cache block (in a map or the table) shows its origin block, flags,
// hint and the metadata blocks holding its entries, and selects the mapping entry's block in the
// window's BlockSelection (so the inspector shows it). A last tab maps every metadata block by
// role (MetadataRoleMap).

#include "models/cache/CacheContents.h"

#include <QWidget>
#include <memory>

class QLabel;
class QTabWidget;
class QTableView;

namespace dms {

class BackgroundJob;
class BlockSelection;
class CacheBlockModel;
class CellGrid;
class MetadataRoleMap;
class SwatchLegend;
class ThinPoolDocument;
struct BlockRef;

class CacheView : public QWidget {
    Q_OBJECT
public:
    explicit CacheView(QWidget* parent = nullptr);
    ~CacheView() override;

    // Not dm-cache metadata, or nullptr: shows nothing.
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);

    // What was read (null until loaded()).
    std::shared_ptr<const CacheContents> contents() const { return contents_; }
    // Shows cache block cblock's details and selects its mapping entry's metadata block.
    void chooseCacheBlock(std::uint32_t cblock);
    // Shows one of the inner tabs: "blocks", "origin", "hints", "discards", "metadata".
    bool showPart(const QString& name);

    CellGrid* blockGrid() const { return blockGrid_; }
    CellGrid* originGrid() const { return originGrid_; }
    CellGrid* discardGrid() const { return discardGrid_; }
    CacheBlockModel* blockModel() const { return model_; }
    QTableView* blockTable() const { return table_; }
    MetadataRoleMap* metadataMap() const { return roleMap_; }
    QString summaryText() const;
    QString detailsText() const;

signals:
    void loaded();
    // The array block and slot holding the chosen block's entry (for BlockInspector::showSlot).
    void entryChosen(quint64 block, int slot);
    void cacheBlockChosen(quint32 cblock);

private:
    void show(std::shared_ptr<const CacheContents> contents);
    void originClicked(quint64 region);
    void follow(const BlockRef& ref, const QObject* origin);
    void hovered(CellGrid* grid, qint64 item);

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const CacheContents> contents_;
    BlockSelection* selection_ = nullptr;
    BackgroundJob* job_;
    qint64 readMs_ = 0; // how long the worker took to read the metadata
    CacheBlockModel* model_;
    QLabel* summary_;
    QLabel* details_;
    QLabel* hover_;
    QTabWidget* parts_;
    CellGrid* blockGrid_;
    CellGrid* originGrid_;
    CellGrid* discardGrid_;
    SwatchLegend* blockLegend_;
    SwatchLegend* originLegend_;
    SwatchLegend* discardLegend_;
    QLabel* originCaption_;
    QLabel* discardCaption_;
    QLabel* policy_;
    QTableView* table_;
    MetadataRoleMap* roleMap_;
    std::uint64_t regionSize_ = 1;
    std::vector<std::uint32_t> regionCounts_;
};

} // namespace dms
