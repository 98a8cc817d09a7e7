#pragma once
// The dm-era tab: a heat map of the era array (the last era each block was written in; color =
// era on a scale from the oldest to current_era, legend below), the archived writesets and the
// live one listed, and "written since era E": the blocks `era_invalidate --written-since E`
// would list (era array >= E, plus the archived writesets of era E and later) highlighted, the
// others dimmed, with their count. The metadata is read on a worker thread when the document is
// set. Clicking a block shows its era and the metadata block holding its era-array entry, and
// selects that block in the window's BlockSelection; clicking a writeset selects its bitset root.
// A second tab maps every metadata block by role (MetadataRoleMap).

#include "models/era/EraContents.h"

#include <QColor>
#include <QWidget>
#include <memory>

class QCheckBox;
class QLabel;
class QSpinBox;
class QTableView;
class QTabWidget;

namespace dms {

class BackgroundJob;
class BlockSelection;
class CellGrid;
class MetadataRoleMap;
class EraWritesetModel;
class SwatchLegend;
class ThinPoolDocument;

class EraView : public QWidget {
    Q_OBJECT
public:
    explicit EraView(QWidget* parent = nullptr);
    ~EraView() override;

    // Not dm-era metadata, or nullptr: shows nothing.
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);

    std::shared_ptr<const EraContents> contents() const { return contents_; }
    // Highlights the blocks written since era (nullopt: plain heat map). Returns how many.
    std::uint64_t setWrittenSince(std::optional<std::uint32_t> era);
    std::optional<std::uint32_t> writtenSince() const { return since_; }
    void chooseBlock(std::uint32_t block);

    // Shows "heatmap" or "metadata" (the metadata block map).
    bool showPart(const QString& name);
    CellGrid* heatMap() const { return grid_; }
    MetadataRoleMap* metadataMap() const { return roleMap_; }
    EraWritesetModel* writesetModel() const { return writesets_; }
    QString summaryText() const;
    QString detailsText() const;
    QString sinceText() const;
    QStringList legendLabels() const;

signals:
    void loaded();
    // The array block and slot holding the chosen block's entry (for BlockInspector::showSlot).
    void entryChosen(quint64 block, int slot);
    void blockChosen(quint32 block);

private:
    void show(std::shared_ptr<const EraContents> contents);
    void repaintMap();
    // Era -> palette index: 0 never written, then up to kScale steps from the oldest era.
    std::uint8_t classOf(std::uint32_t era) const;

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const EraContents> contents_;
    BlockSelection* selection_ = nullptr;
    BackgroundJob* job_;
    qint64 readMs_ = 0; // how long the worker took to read the metadata
    EraWritesetModel* writesets_;
    CellGrid* grid_;
    SwatchLegend* legend_;
    QLabel* summary_;
    QLabel* details_;
    QLabel* hover_;
    QLabel* sinceLabel_;
    QCheckBox* sinceBox_;
    QSpinBox* sinceEra_;
    QTableView* table_;
    MetadataRoleMap* roleMap_;
    QTabWidget* parts_;
    std::optional<std::uint32_t> since_;
    std::uint32_t minEra_ = 1; // the oldest era written (> 0)
    std::uint32_t step_ = 1;   // eras per color step
    std::uint32_t steps_ = 1;  // colour steps in use
    QColor scaleColour(std::uint32_t step) const;
};

} // namespace dms
