#pragma once
// The block map: every block of the metadata device (coloured by role, reference count or owning
// thin device) or of the data space map (free, used once, shared), as cells on a Hilbert or
// linear layout, with a legend of the blocks per colour. Follows the window's BlockSelection:
// clicking a cell selects its block, and selecting a block elsewhere centres and outlines it.
//
// The metadata colourings need the BlockMap the main window computes on its worker thread
// (setBlockMap); until it arrives the view says so. The data space map is read from the
// document's bitmaps directly.

#include "models/BlockMapScheme.h"
#include "models/BlockRef.h"
#include "views/blockmap/BlockMapCanvas.h"
#include "views/blockmap/BlockMapLegend.h"

#include <QPointer>
#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;

namespace dms {

class BlockSelection;
class DataSpaceClassSource;
class ThinPoolDocument;

class BlockMapView : public QWidget {
    Q_OBJECT
public:
    explicit BlockMapView(QWidget* parent = nullptr);

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setBlockMap(std::shared_ptr<const BlockMap> map);

    void setColouring(BlockMapColouring colouring);
    BlockMapColouring colouring() const { return colouring_; }
    void setLayoutKind(BlockMapLayout::Kind kind);
    BlockMapLayout::Kind layoutKind() const { return layoutKind_; }

    // The metadata blocks the open transaction of an edit session shadowed, allocated and freed,
    // drawn over the metadata colourings with a legend section (`title` names what they are
    // of); empty marks remove them.
    void setTransactionMarks(BlockMapMarks marks, const QString& title = {});
    const BlockMapMarks& transactionMarks() const { return marks_; }
    const BlockMapLegend* legend() const { return legend_; }

    BlockMapCanvas* canvas() const { return canvas_; }
    // The map is summarised and the legend filled.
    bool isReady() const { return canvas_->isReady(); }
    const std::vector<BlockMapLegend::Entry>& legendEntries() const { return legend_->entries(); }
    // The tooltip text at a viewport point of the canvas (empty where no block is).
    QString toolTipAt(QPoint viewportPos) const;

    // The whole map, one pixel per block (maps of more than 16 M blocks: one pixel per the
    // smallest pyramid cell that fits 4096 x 4096), scaled up to at least 512 pixels wide.
    // Null while the map is still being summarised.
    QImage fullImage() const;
    // fullImage() as a PNG; false with a reason when there is nothing to write or writing fails.
    bool renderFullImage(const QString& file, QString* error = nullptr) const;

signals:
    void ready();

private:
    void rebuild();
    void updateLegend();
    void showMarks();
    void updateZoomLabel(int zoom);
    void follow(const BlockRef& ref, const QObject* origin);
    BlockSpace shownSpace() const;

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const BlockMap> map_;
    std::shared_ptr<const DataSpaceClassSource> dataSource_;
    QString dataError_;
    QPointer<BlockSelection> selection_;
    BlockMapMarks marks_;
    QString marksTitle_;
    std::optional<BlockRef> selected_;
    BlockMapColouring colouring_ = BlockMapColouring::Type;
    BlockMapLayout::Kind layoutKind_ = BlockMapLayout::Kind::Hilbert;
    QComboBox* colouringBox_;
    QComboBox* layoutBox_;
    QLabel* zoomLabel_;
    BlockMapCanvas* canvas_;
    BlockMapLegend* legend_;
};

} // namespace dms
