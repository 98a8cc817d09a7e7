#include "views/charts/ChartsView.h"

#include "core/thin/BlockMap.h"
#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/ThinPoolDocument.h"
#include "models/charts/TransactionFigures.h"
#include "models/charts/TransactionFrames.h"
#include "models/edit/EditSession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
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
      historyJob_(new BackgroundJob(this)), framesJob_(new BackgroundJob(this)),
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
    menu->addSeparator();
    framesAction_ = menu->addAction(tr("Frames, one PNG per transaction…"), this,
                                    &ChartsView::exportFramesWithDialog);
    framesAction_->setEnabled(false);
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
    connect(framesJob_, &BackgroundJob::cancelled, this,
            [this] { emit framesExported(0, tr("cancelled")); });
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
    return statsJob_->isRunning() || deviceJob_->isRunning() || historyJob_->isRunning();
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
    const bool transactions = kind() == ChartKind::Transactions;
    log_->setEnabled(!transactions);
    framesAction_->setEnabled(history_ != nullptr);
    if (transactions ? !figures_ : !inputs_) {
        data_ = ChartData{};
        auto* empty = new QChart;
        empty->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        empty->setTitle(transactions ? tr("Computing…")
                        : doc_       ? tr("Computing…")
                                     : tr("No pool open"));
        QChart* old = view_->chart();
        view_->setChart(empty);
        delete old;
        export_->setEnabled(false);
        return;
    }
    if (transactions) {
        data_ = buildTransactionsChart(*figures_);
    } else {
        ChartOptions opts;
        opts.logScale = log_->isChecked();
        if (deviceTimes_ && device_ && deviceTimes_->devId == *device_)
            opts.device = &*deviceTimes_;
        data_ = buildChart(kind(), *inputs_, opts);
    }
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

void ChartsView::setEditSession(EditSession* session) {
    if (session_) disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    if (!session_) {
        setHistory(nullptr, nullptr, {});
        return;
    }
    connect(session_, &EditSession::committed, this, &ChartsView::readSessionHistory);
    readSessionHistory();
}

void ChartsView::readSessionHistory() {
    if (!session_) return;
    // A copy: the session's history grows with each commit while the worker reads this one.
    setHistory(std::make_shared<const TransactionHistory>(session_->history()),
               session_->committedSource(), session_->displayName());
}

QString ChartsView::openHistory(const QString& path) {
    auto h = loadChartableHistory(path);
    if (!h) return QString::fromStdString(h.error().describe());
    if (session_) disconnect(session_, nullptr, this, nullptr);
    session_ = nullptr;
    auto history = std::make_shared<const TransactionHistory>(std::move(*h));
    setHistory(history, history->image(), QFileInfo(path).fileName());
    setKind(ChartKind::Transactions);
    return {};
}

void ChartsView::setHistory(std::shared_ptr<const TransactionHistory> history,
                            std::shared_ptr<const BlockSource> latest, const QString& name) {
    historyJob_->cancel();
    history_ = std::move(history);
    historyLatest_ = std::move(latest);
    historyName_ = name;
    figures_.reset();
    updateKinds();
    if (history_) {
        showStatus(tr("Reading %n transaction(s)…", nullptr, history_->size()));
        historyJob_->start([this, h = history_, latest = historyLatest_,
                            name](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
            QElapsedTimer t;
            t.start();
            auto f = std::make_shared<const TransactionFigures>(
                TransactionFigures::compute(*h, latest, name, &cancel));
            const qint64 ms = t.elapsed();
            return [this, f, ms] {
                figures_ = f;
                showStatus(tr("%n transaction(s) read in %1 ms", nullptr, int(f->states.size()) - 1)
                               .arg(ms));
                if (kind() == ChartKind::Transactions) rebuild();
            };
        });
    }
    rebuild();
}

// The transactions chart is offered while there is a history.
void ChartsView::updateKinds() {
    const int at = kind_->findData(int(ChartKind::Transactions));
    if (history_ && at < 0) {
        kind_->addItem(chartKindLabel(ChartKind::Transactions), int(ChartKind::Transactions));
    } else if (!history_ && at >= 0) {
        const QSignalBlocker block(kind_);
        const bool shown = kind_->currentIndex() == at;
        kind_->removeItem(at);
        if (shown) kind_->setCurrentIndex(0);
    }
}

void ChartsView::exportFrames(const QString& dir) {
    if (!history_) {
        emit framesExported(0, tr("no transaction history"));
        return;
    }
    showStatus(tr("Writing %n frame(s) to %1…", nullptr, history_->size() + 1).arg(dir));
    framesJob_->start([this, h = history_, latest = historyLatest_,
                       dir](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
        QElapsedTimer t;
        t.start();
        const TransactionFrames frames(*h, latest, {});
        auto written = frames.writeAll(dir, [&cancel](int, int) { return !cancel.load(); });
        const qint64 ms = t.elapsed();
        const int n = written ? *written : 0;
        const QString error =
            written ? QString() : QString::fromStdString(written.error().describe());
        return [this, n, error, dir, ms] {
            showStatus(error.isEmpty()
                           ? tr("Wrote %n frame(s) to %1 in %2 ms", nullptr, n).arg(dir).arg(ms)
                           : error);
            emit framesExported(n, error);
        };
    });
}

void ChartsView::exportFramesWithDialog() {
    if (!history_) return;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export one PNG frame per transaction into"), QString());
    if (!dir.isEmpty()) exportFrames(dir);
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
