#include "views/blockmap/BlockMapView.h"

#include "models/BlockMapDescriber.h"
#include "models/BlockSelection.h"
#include "models/DataSpaceClassSource.h"
#include "models/MetadataClassSource.h"
#include "models/ThinPoolDocument.h"
#include "views/blockmap/BlockMapOverlay.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

namespace dms {
namespace {

constexpr std::uint64_t kMaxExportPixels = std::uint64_t(4096) * 4096;
constexpr int kMinExportSide = 512;

// 16 -> "16", 1.5625 -> "1.56" (fractional device pixel ratios).
QString blockCountText(double v) {
    const double whole = std::round(v);
    if (std::abs(v - whole) < 1e-6) return QLocale().toString(static_cast<qulonglong>(whole));
    return QLocale().toString(v, 'f', 2);
}

} // namespace

BlockMapView::BlockMapView(QWidget* parent)
    : QWidget(parent), colouringBox_(new QComboBox(this)), layoutBox_(new QComboBox(this)),
      zoomLabel_(new QLabel(this)), canvas_(new BlockMapCanvas(this)),
      legend_(new BlockMapLegend(this)) {
    colouringBox_->addItem(tr("Block type"), int(BlockMapColouring::Type));
    colouringBox_->addItem(tr("Reference count"), int(BlockMapColouring::RefCount));
    colouringBox_->addItem(tr("Owning device"), int(BlockMapColouring::Owner));
    colouringBox_->addItem(tr("Data space map"), int(BlockMapColouring::DataSpace));
    colouringBox_->setToolTip(tr("What the colours show"));
    layoutBox_->addItem(tr("Hilbert"), int(BlockMapLayout::Kind::Hilbert));
    layoutBox_->addItem(tr("Linear"), int(BlockMapLayout::Kind::Linear));
    layoutBox_->setToolTip(tr("Hilbert keeps neighbouring blocks together at every zoom"));
    auto button = [this](const QString& text, const QString& tip, auto slot) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        connect(b, &QToolButton::clicked, canvas_, slot);
        return b;
    };
    auto* bar = new QHBoxLayout();
    bar->addWidget(new QLabel(tr("Colour:"), this));
    bar->addWidget(colouringBox_);
    bar->addWidget(new QLabel(tr("Layout:"), this));
    bar->addWidget(layoutBox_);
    bar->addSpacing(12);
    bar->addWidget(button(QStringLiteral("-"), tr("Zoom out (Ctrl+-)"), &BlockMapCanvas::zoomOut));
    bar->addWidget(button(QStringLiteral("+"), tr("Zoom in (Ctrl++)"), &BlockMapCanvas::zoomIn));
    bar->addWidget(
        button(tr("Fit"), tr("Show the whole map (Ctrl+0)"), &BlockMapCanvas::zoomToFit));
    bar->addWidget(zoomLabel_);
    bar->addStretch(1);

    auto* body = new QHBoxLayout();
    body->addWidget(canvas_, 1);
    body->addWidget(legend_);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addLayout(bar);
    column->addLayout(body, 1);

    connect(colouringBox_, &QComboBox::currentIndexChanged, this, [this] {
        setColouring(static_cast<BlockMapColouring>(colouringBox_->currentData().toInt()));
    });
    connect(layoutBox_, &QComboBox::currentIndexChanged, this, [this] {
        setLayoutKind(static_cast<BlockMapLayout::Kind>(layoutBox_->currentData().toInt()));
    });
    connect(canvas_, &BlockMapCanvas::zoomChanged, this, &BlockMapView::updateZoomLabel);
    connect(canvas_, &BlockMapCanvas::ready, this, [this] {
        updateLegend();
        emit ready();
    });
    connect(canvas_, &BlockMapCanvas::blockClicked, this, [this](std::uint64_t b) {
        const BlockRef ref =
            shownSpace() == BlockSpace::Data ? BlockRef::data(b) : BlockRef::metadata(b);
        selected_ = ref;
        canvas_->setHighlight(b, false);
        if (selection_) selection_->select(ref, this);
    });
    canvas_->setDescriber([this](const BlockMapCanvas::Hit& hit) -> QString {
        if (hit.level == 0) {
            if (colouring_ == BlockMapColouring::DataSpace && dataSource_)
                return BlockMapDescriber::dataBlock(*dataSource_, hit.first);
            if (map_) return BlockMapDescriber::metadataBlock(*map_, hit.first);
            return {};
        }
        std::array<std::uint32_t, BlockClassSource::kMaxClasses> counts{};
        BlockMapTileRenderer(*canvas_->source(), canvas_->layout(), canvas_->pyramid(),
                             canvas_->scheme())
            .addCellCounts(hit.level, hit.cell, counts.data());
        return BlockMapDescriber::cell(canvas_->scheme(), counts.data(), hit.first, hit.blocks,
                                       canvas_->layout().kind() == BlockMapLayout::Kind::Hilbert);
    });
    rebuild();
}

void BlockMapView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    if (doc != doc_) {
        map_.reset();
        selected_.reset();
        canvas_->setHighlight(std::nullopt, false);
    }
    doc_ = std::move(doc);
    dataSource_.reset();
    dataError_.clear();
    rebuild();
}

void BlockMapView::setTransactionMarks(BlockMapMarks marks, const QString& title) {
    marks_ = std::move(marks);
    marksTitle_ = title.isEmpty() ? tr("This transaction") : title;
    showMarks();
}

// Marks are metadata blocks: not drawn over the data space map.
void BlockMapView::showMarks() {
    const bool shown = shownSpace() == BlockSpace::Metadata && !marks_.empty();
    canvas_->setMarks(shown ? marks_ : BlockMapMarks{});
    std::vector<BlockMapLegend::MarkRow> rows;
    if (shown) {
        const QColor cell = QColor::fromRgb(blockmap::emptyColour(palette()));
        for (int k = 0; k < BlockMapMarks::KindCount; ++k) {
            const auto kind = static_cast<BlockMapMarks::Kind>(k);
            rows.push_back({blockmap::markSwatch(kind, cell, devicePixelRatioF()),
                            tr(blockmap::markName(kind)), marks_.count(kind)});
        }
    }
    legend_->setMarkRows(marksTitle_, std::move(rows));
}

void BlockMapView::setBlockMap(std::shared_ptr<const BlockMap> map) {
    map_ = std::move(map);
    if (colouring_ != BlockMapColouring::DataSpace) rebuild();
}

void BlockMapView::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (!selection_) return;
    connect(selection_, &BlockSelection::currentChanged, this, &BlockMapView::follow);
    connect(selection_, &BlockSelection::cleared, this, [this] {
        selected_.reset();
        canvas_->setHighlight(std::nullopt, false);
    });
    if (const auto current = selection_->current()) follow(*current, nullptr);
}

void BlockMapView::follow(const BlockRef& ref, const QObject* origin) {
    selected_ = ref;
    if (ref.space == shownSpace())
        canvas_->setHighlight(ref.block, origin != this);
    else
        canvas_->setHighlight(std::nullopt, false);
}

BlockSpace BlockMapView::shownSpace() const {
    return colouring_ == BlockMapColouring::DataSpace ? BlockSpace::Data : BlockSpace::Metadata;
}

void BlockMapView::setColouring(BlockMapColouring colouring) {
    colouringBox_->setCurrentIndex(colouringBox_->findData(int(colouring)));
    if (colouring == colouring_) return;
    colouring_ = colouring;
    rebuild();
}

void BlockMapView::setLayoutKind(BlockMapLayout::Kind kind) {
    layoutBox_->setCurrentIndex(layoutBox_->findData(int(kind)));
    if (kind == layoutKind_) return;
    layoutKind_ = kind;
    rebuild();
}

void BlockMapView::rebuild() {
    const bool data = colouring_ == BlockMapColouring::DataSpace;
    const QString title = data ? tr("Data space map") : tr("Metadata blocks");
    if (!doc_ && !map_) {
        canvas_->showMessage(tr("No pool open."));
        legend_->setNote(title, {});
        return;
    }
    std::shared_ptr<const BlockClassSource> source;
    BlockMapScheme scheme;
    if (data) {
        if (!dataSource_ && dataError_.isEmpty() && doc_) {
            auto opened = DataSpaceClassSource::open(doc_);
            if (opened)
                dataSource_ = *opened;
            else
                dataError_ = QString::fromStdString(opened.error().describe());
        }
        if (!dataSource_) {
            canvas_->showMessage(tr("The data space map cannot be read: %1").arg(dataError_));
            legend_->setNote(title, {});
            return;
        }
        source = dataSource_;
        scheme = BlockMapScheme::forDataSpace();
    } else {
        if (!map_) {
            canvas_->showMessage(tr("Classifying the metadata blocks..."));
            legend_->setNote(title, tr("waiting for the block index"));
            return;
        }
        source = std::make_shared<MetadataClassSource>(map_, colouring_);
        scheme = colouring_ == BlockMapColouring::RefCount ? BlockMapScheme::forRefCount()
                 : colouring_ == BlockMapColouring::Owner  ? BlockMapScheme::forOwners(*map_)
                                                           : BlockMapScheme::forType();
    }
    canvas_->setSource(std::move(source), std::move(scheme), layoutKind_);
    legend_->setNote(title, tr("summarising..."));
    showMarks();
    const bool sameSpace = selected_ && selected_->space == shownSpace();
    canvas_->setHighlight(sameSpace ? std::optional(selected_->block) : std::nullopt, sameSpace);
}

void BlockMapView::updateLegend() {
    const BlockMapPyramid* pyramid = canvas_->pyramid();
    if (!pyramid) return;
    const BlockMapScheme& scheme = canvas_->scheme();
    std::vector<BlockMapLegend::Entry> entries;
    for (unsigned c = 0; c < scheme.classCount(); ++c)
        entries.push_back(
            {scheme.classes()[c].name, scheme.colourOfClass(c), pyramid->totals()[c]});
    const QLocale locale;
    const bool data = colouring_ == BlockMapColouring::DataSpace;
    QString title = (data ? tr("Data space map: %1 blocks") : tr("Metadata device: %1 blocks"))
                        .arg(locale.toString(quint64(canvas_->layout().blocks())));
    if (data) {
        const auto& t = pyramid->totals();
        const quint64 used = t[BitmapClassSource::UsedOnce] + t[BitmapClassSource::SharedByTwo] +
                             t[BitmapClassSource::SharedByMore];
        title += QLatin1Char('\n') + tr("%1 used").arg(locale.toString(used));
    }
    legend_->setEntries(title, std::move(entries));
}

void BlockMapView::updateZoomLabel(int zoom) {
    // Zoom counts device pixels; the label speaks of the pixels the user sees (HiDPI: dpr^2
    // device pixels each).
    const double scale = std::ldexp(1.0, zoom) / devicePixelRatioF();
    if (scale >= 1)
        zoomLabel_->setText(tr("1 block = %1 px").arg(scale, 0, 'g', 3));
    else
        zoomLabel_->setText(tr("1 px = %1 blocks").arg(blockCountText(1.0 / (scale * scale))));
}

QString BlockMapView::toolTipAt(QPoint viewportPos) const {
    return canvas_->toolTipAt(viewportPos);
}

QImage BlockMapView::fullImage() const {
    if (!canvas_->isReady()) return {};
    const BlockMapLayout& layout = canvas_->layout();
    unsigned k = 0;
    while (std::uint64_t(layout.levelWidth(k)) * layout.levelHeight(k) > kMaxExportPixels)
        ++k;
    QImage img =
        BlockMapTileRenderer(*canvas_->source(), layout, canvas_->pyramid(), canvas_->scheme())
            .renderLevel(k, palette().color(QPalette::Window).rgb());
    if (img.isNull() || img.width() >= kMinExportSide) return img;
    const int factor = (kMinExportSide + img.width() - 1) / img.width();
    return img.scaled(img.size() * factor, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

bool BlockMapView::renderFullImage(const QString& file, QString* error) const {
    const QImage img = fullImage();
    if (img.isNull()) {
        if (error) *error = tr("The block map is not ready yet.");
        return false;
    }
    if (!img.save(file, "PNG")) {
        if (error) *error = tr("Cannot write %1.").arg(file);
        return false;
    }
    return true;
}

} // namespace dms
