#include "views/charts/ChartsView.h"

#include "core/thin/BlockMap.h"
#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

namespace dms {

ChartsView::ChartsView(QWidget* parent)
    : QWidget(parent), statsJob_(new BackgroundJob(this)), deviceJob_(new BackgroundJob(this)),
      kind_(new QComboBox(this)), log_(new QCheckBox(tr("Log scale"), this)),
      dpi_(new QSpinBox(this)), export_(new QToolButton(this)), status_(new QLabel(this)),
      view_(new QChartView(this)) {
    for (ChartKind k : allChartKinds())
        kind_->addItem(chartKindLabel(k), int(k));
    dpi_->setRange(48, 1200);
    dpi_->setValue(192);
    dpi_->setSuffix(tr(" dpi"));
    dpi_->setToolTip(tr("Resolution of PNG exports and copies"));
    export_->setText(tr("Export…"));
    export_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(export_);
    menu->addAction(tr("PNG image…"), this,
                    [this] { exportWithDialog(ChartExporter::Format::Png); });
    menu->addAction(tr("SVG drawing…"), this,
                    [this] { exportWithDialog(ChartExporter::Format::Svg); });
    menu->addAction(tr("PDF page…"), this,
                    [this] { exportWithDialog(ChartExporter::Format::Pdf); });
    menu->addAction(tr("CSV figures…"), this,
                    [this] { exportWithDialog(ChartExporter::Format::Csv); });
    menu->addSeparator();
    menu->addAction(tr("Copy image and figures"), this, [this] {
        if (!data_.isEmpty()) ChartExporter::copyToClipboard(data_, exportOptions());
    });
    export_->setMenu(menu);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    view_->setRenderHint(QPainter::Antialiasing);

    auto* bar = new QHBoxLayout;
    bar->addWidget(kind_, 1);
    bar->addWidget(log_);
    bar->addWidget(dpi_);
    bar->addWidget(export_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(view_, 1);
    layout->addWidget(status_);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(log_, &QCheckBox::toggled, this, [this] { rebuild(); });
    showStatus(tr("No pool open"));
    rebuild();
}

ChartsView::~ChartsView() = default;

void ChartsView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    inputs_.reset();
    deviceTimes_.reset();
    device_.reset();
    blockMap_.reset();
    statsJob_->cancel();
    deviceJob_->cancel();
    rebuild();
    if (!doc_) {
        showStatus(tr("No pool open"));
        return;
    }
    showStatus(tr("Computing the figures…"));
    statsJob_->start([this, doc = doc_](const std::atomic<bool>&) -> BackgroundJob::Deliver {
        QElapsedTimer t;
        t.start();
        auto in = std::make_shared<const ChartInputs>(
            ChartInputs::compute(doc->metadata(), doc->superblock(), doc->displayName()));
        const qint64 ms = t.elapsed();
        return [this, in, ms] {
            inputs_ = in;
            showStatus(tr("Figures of %1 computed in %2 ms").arg(in->poolName).arg(ms));
            rebuild();
            if (device_) startDeviceJob();
        };
    });
}

void ChartsView::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &BlockSelection::currentChanged, this, &ChartsView::onSelectionChanged);
}

void ChartsView::setBlockMap(std::shared_ptr<const BlockMap> map) {
    blockMap_ = std::move(map);
}

void ChartsView::onSelectionChanged(const BlockRef& ref, const QObject* origin) {
    if (origin == this || !blockMap_ || !ref.isMetadata() || ref.block >= blockMap_->size()) return;
    // A block of one device's mapping tree: follow that device. Shared or other blocks leave
    // the chart as it is.
    const BlockOwner owner = blockMap_->owner(ref.block);
    if (owner.kind == BlockOwner::Kind::Device) setSelectedDevice(owner.device);
}

void ChartsView::setSelectedDevice(std::optional<std::uint64_t> devId) {
    if (devId == device_) return;
    device_ = devId;
    deviceTimes_.reset();
    deviceJob_->cancel();
    if (device_ && doc_ && inputs_)
        startDeviceJob();
    else
        rebuild();
}

void ChartsView::startDeviceJob() {
    auto doc = doc_;
    const std::uint64_t dev = *device_;
    showStatus(tr("Counting the mapping times of device %1…").arg(dev));
    deviceJob_->start([this, doc, dev](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
        auto times = std::make_shared<DeviceMappingTimes>(
            ChartInputs::computeDevice(doc->metadata(), doc->superblock(), dev, &cancel));
        return [this, times] {
            deviceTimes_ = std::move(*times);
            showStatus(tr("Device %1: %2 mappings")
                           .arg(deviceTimes_->devId)
                           .arg(deviceTimes_->histogram.total));
            rebuild();
        };
    });
}

void ChartsView::setKind(ChartKind kind) {
    kind_->setCurrentIndex(kind_->findData(int(kind)));
}

ChartKind ChartsView::kind() const {
    return ChartKind(kind_->currentData().toInt());
}

void ChartsView::setLogScale(bool on) {
    log_->setChecked(on);
}

bool ChartsView::isComputing() const {
    return statsJob_->isRunning() || deviceJob_->isRunning();
}

QString ChartsView::statusText() const {
    return status_->text();
}

void ChartsView::showStatus(const QString& text) {
    status_->setText(text);
}

ChartExporter::Options ChartsView::exportOptions() const {
    ChartExporter::Options o;
    o.dpi = dpi_->value();
    // Exports are for reports: the light theme whatever the window's palette.
    o.theme = ChartFactory::Theme::Light;
    return o;
}

void ChartsView::rebuild() {
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    if (!inputs_) {
        data_ = ChartData{};
        auto* empty = new QChart;
        empty->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        empty->setTitle(doc_ ? tr("Computing…") : tr("No pool open"));
        QChart* old = view_->chart();
        view_->setChart(empty);
        delete old;
        export_->setEnabled(false);
        return;
    }
    ChartOptions opts;
    opts.logScale = log_->isChecked();
    if (deviceTimes_ && device_ && deviceTimes_->devId == *device_) opts.device = &*deviceTimes_;
    data_ = buildChart(kind(), *inputs_, opts);
    QChart* chart =
        ChartFactory::create(data_, dark ? ChartFactory::Theme::Dark : ChartFactory::Theme::Light);
    QChart* old = view_->chart();
    view_->setChart(chart);
    delete old;
    connectClicks();
    export_->setEnabled(true);
    if (!data_.problems.isEmpty())
        showStatus(tr("Damaged metadata, figures partial: %1").arg(data_.problems.front()));
    emit chartUpdated();
}

void ChartsView::connectClicks() {
    const ChartKind k = data_.kind;
    if (k != ChartKind::BitmapFree && k != ChartKind::Devices) return;
    for (auto* series : view_->chart()->series()) {
        auto* bars = qobject_cast<QAbstractBarSeries*>(series);
        if (!bars) continue;
        connect(bars, &QAbstractBarSeries::clicked, this, [this, k](int index, QBarSet* set) {
            if (!inputs_ || index < 0) return;
            if (k == ChartKind::Devices) {
                if (std::size_t(index) >= inputs_->stats.devices.size()) return;
                const std::uint64_t dev = inputs_->stats.devices[std::size_t(index)].id;
                setSelectedDevice(dev);
                emit deviceActivated(dev);
                return;
            }
            // A bitmap's bar: select the bitmap block (a metadata block in both space maps).
            const bool metadata = set->label() == QLatin1String("metadata");
            const auto& index_ = metadata ? inputs_->metadataIndex : inputs_->dataIndex;
            if (selection_ && std::size_t(index) < index_.size())
                selection_->select(BlockRef::metadata(index_[std::size_t(index)].blocknr), this);
        });
    }
}

QString ChartsView::exportTo(const QString& path) {
    if (data_.isEmpty()) return tr("no chart to export");
    return ChartExporter::exportToFile(data_, path, exportOptions());
}

void ChartsView::exportWithDialog(ChartExporter::Format format) {
    if (data_.isEmpty()) return;
    const QString suffix = ChartExporter::formatName(format).toLower();
    const QString suggested = chartKindName(data_.kind) + QLatin1Char('.') + suffix;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"), suggested,
        tr("%1 files (*.%2)").arg(ChartExporter::formatName(format), suffix));
    if (path.isEmpty()) return;
    const QString error = ChartExporter::exportToFile(data_, path, format, exportOptions());
    showStatus(error.isEmpty() ? tr("Exported %1").arg(path) : error);
}

} // namespace dms
