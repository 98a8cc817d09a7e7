#include "app/gui/MainWindow.h"

#include "models/ByteSize.h"
#include "models/DeviceListModel.h"
#include "models/SpaceMapTotals.h"
#include "models/SuperblockModel.h"
#include "models/ThinPoolDocument.h"
#include "views/common/MessageBanner.h"
#include "views/devices/DeviceListView.h"
#include "views/spacemaps/SpaceMapTotalsView.h"
#include "views/superblock/SuperblockView.h"

#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace dms {
namespace {

enum Page { WelcomePage, DocumentPage };

// A line that tells the user what to do about an error, where there is something to do.
QString hintFor(const Error& e) {
    if (e.kind == ErrorKind::Permission)
        return QObject::tr("Start dmscope with sudo, or copy the metadata into an image file "
                           "with dd and open that.");
    if (e.message.find("dm-cache") != std::string::npos ||
        e.message.find("dm-era") != std::string::npos)
        return QObject::tr("dmscope reads dm-thin pool metadata; dm-cache and dm-era metadata "
                           "are not supported yet.");
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), superblockModel_(new SuperblockModel(this)),
      deviceModel_(new DeviceListModel(this)) {
    buildMenus();
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    banner_ = new MessageBanner(central);
    pages_ = new QStackedWidget(central);
    pages_->addWidget(buildWelcomePage());
    pages_->addWidget(buildDocumentPage());
    layout->addWidget(banner_);
    layout->addWidget(pages_, 1);
    setCentralWidget(central);

    summary_ = new QLabel(this);
    readOnlyBadge_ = new QLabel(tr("read-only"), this);
    readOnlyBadge_->setToolTip(tr("dmscope opened the metadata with O_RDONLY: nothing is written"));
    readOnlyBadge_->setStyleSheet(QStringLiteral(
        "QLabel { background: #dfe9f5; color: #1f3b57; border-radius: 3px; padding: 1px 6px; }"));
    readOnlyBadge_->hide();
    statusBar()->addWidget(summary_, 1);
    statusBar()->addPermanentWidget(readOnlyBadge_);
    summary_->setText(tr("No metadata open"));

    setWindowTitle(QStringLiteral("dmscope"));
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Image…"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Device Path…"), this, &MainWindow::chooseDevice);
    file->addAction(tr("Open De&mo Pool"), this, &MainWindow::openDemo);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    snapshotAction_ = view->addAction(tr("Held &Metadata Snapshot"));
    snapshotAction_->setCheckable(true);
    snapshotAction_->setEnabled(false);
    snapshotAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    snapshotAction_->setToolTip(tr("Show the superblock copy at held_root and its devices"));
    connect(snapshotAction_, &QAction::toggled, this, &MainWindow::setShowMetadataSnapshot);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About dmscope"), this, &MainWindow::about);
}

QWidget* MainWindow::buildWelcomePage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    auto* title = new QLabel(tr("<h2>No metadata open</h2>"), page);
    // Explicit line breaks: a word-wrapped label under an alignment flag gets one line's height.
    auto* text = new QLabel(tr("Open a thin-pool metadata image or device (a _tmeta volume or a dd "
                               "copy of one),<br>or look around the bundled demo pool. Everything "
                               "is opened read-only."),
                            page);
    text->setAlignment(Qt::AlignHCenter);
    auto* openImage = new QPushButton(tr("Open Image…"), page);
    auto* openDemoButton = new QPushButton(tr("Open Demo Pool"), page);
    connect(openImage, &QPushButton::clicked, this, &MainWindow::chooseFile);
    connect(openDemoButton, &QPushButton::clicked, this, &MainWindow::openDemo);
    for (QWidget* w : {static_cast<QWidget*>(title), static_cast<QWidget*>(text),
                       static_cast<QWidget*>(openImage), static_cast<QWidget*>(openDemoButton)})
        layout->addWidget(w, 0, Qt::AlignHCenter);
    layout->addStretch(2);
    return page;
}

QWidget* MainWindow::buildDocumentPage() {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    superblockBox_ = new QGroupBox(tr("Superblock"), splitter);
    superblockView_ = new SuperblockView(superblockBox_);
    superblockView_->setSuperblockModel(superblockModel_);
    (new QVBoxLayout(superblockBox_))->addWidget(superblockView_);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* spaceBox = new QGroupBox(tr("Space maps"), right);
    spaceMaps_ = new SpaceMapTotalsView(spaceBox);
    (new QVBoxLayout(spaceBox))->addWidget(spaceMaps_);
    devicesBox_ = new QGroupBox(tr("Thin devices"), right);
    deviceView_ = new DeviceListView(devicesBox_);
    deviceView_->setDeviceModel(deviceModel_);
    (new QVBoxLayout(devicesBox_))->addWidget(deviceView_);
    rightLayout->addWidget(spaceBox);
    rightLayout->addWidget(devicesBox_, 1);

    splitter->addWidget(superblockBox_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({680, 580});

    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    header_ = new QLabel(page);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header_);
    layout->addWidget(splitter, 1);
    return page;
}

bool MainWindow::openPath(const QString& path) {
    auto doc = ThinPoolDocument::openPath(path);
    if (!doc) {
        showError(tr("Cannot open %1").arg(path), doc.error());
        return false;
    }
    setDocument(std::move(*doc));
    return true;
}

bool MainWindow::openDemo() {
    auto doc = ThinPoolDocument::openDemo();
    if (!doc) {
        showError(tr("Cannot open the demo pool"), doc.error());
        return false;
    }
    setDocument(std::move(*doc));
    return true;
}

bool MainWindow::setShowMetadataSnapshot(bool held) {
    if (!doc_) {
        showError(tr("No metadata open"),
                  makeError(ErrorKind::Usage, "open an image before asking for its snapshot"));
        syncSnapshotAction();
        return false;
    }
    if (held == doc_->showingMetadataSnapshot()) return true;
    if (Status s = doc_->showMetadataSnapshot(held); !s) {
        showError(tr("Cannot show the metadata snapshot of %1").arg(doc_->displayName()),
                  s.error());
        syncSnapshotAction();
        return false;
    }
    banner_->clearMessage();
    refresh();
    return true;
}

void MainWindow::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    banner_->clearMessage();
    refresh();
}

void MainWindow::refresh() {
    const ThinPoolDocument& d = *doc_;
    const ThinSuperblock& sb = d.superblock();
    const bool held = d.showingMetadataSnapshot();
    superblockModel_->setSuperblock(sb, d.deviceBlocks());
    superblockBox_->setTitle(
        held ? tr("Metadata snapshot: the superblock copy at block %1").arg(sb.location)
             : tr("Superblock (block 0)"));

    QString deviceWords;
    auto devices = d.metadata().devices(sb);
    if (devices) {
        deviceModel_->setDevices(*devices, sb.dataBlockSize);
        devicesBox_->setTitle(tr("Thin devices (%1)").arg(devices->size()));
        deviceWords =
            devices->size() == 1 ? tr("1 thin device") : tr("%1 thin devices").arg(devices->size());
    } else {
        deviceModel_->clear();
        devicesBox_->setTitle(tr("Thin devices (unreadable)"));
        deviceWords = tr("devices unreadable");
        showError(tr("The device list of %1 cannot be read").arg(d.displayName()), devices.error());
    }

    // The snapshot copy stores no space maps (zeroed roots); the live ones are the pool's.
    const ThinSuperblock& live = d.metadata().superblock();
    spaceMaps_->setTotals(
        SpaceMapTotals::count(d.metadata(), live.dataSpaceMap, SpaceMapKind::Data),
        std::uint64_t(live.dataBlockSize) * 512,
        SpaceMapTotals::count(d.metadata(), live.metadataSpaceMap, SpaceMapKind::Metadata),
        held ? tr("The snapshot copy stores no space maps; these are the live superblock's.")
             : QString());

    if (auto t = d.truncation(); t && !banner_->hasMessage())
        banner_->showMessage(MessageBanner::Severity::Warning, tr("Truncated image"), *t);

    QStringList words{tr("transaction %1").arg(sb.transactionId), tr("time %1").arg(sb.time),
                      deviceWords};
    if (d.metadata().hasMetadataSnapshot())
        words << tr("metadata snapshot held at block %1").arg(d.metadata().superblock().heldRoot);
    if (sb.needsCheck()) words << tr("NEEDS_CHECK set");
    summary_->setText(words.join(QStringLiteral(" · ")));
    readOnlyBadge_->setVisible(d.isReadOnly());
    header_->setText(tr("<b>%1</b> (read-only) · %2 metadata, %3 blocks of 4 KiB%4")
                         .arg(d.displayName().toHtmlEscaped())
                         .arg(formatByteSize(d.metadata().reader().source().byteSize()))
                         .arg(d.deviceBlocks())
                         .arg(held ? tr(" · showing the held metadata snapshot") : QString()));
    setWindowTitle(QStringLiteral("%1%2 (read-only) — dmscope")
                       .arg(d.displayName(), held ? tr(" [metadata snapshot]") : QString()));
    pages_->setCurrentIndex(DocumentPage);
    syncSnapshotAction();
}

void MainWindow::syncSnapshotAction() {
    const QSignalBlocker block(snapshotAction_);
    snapshotAction_->setEnabled(doc_ && doc_->metadata().hasMetadataSnapshot());
    snapshotAction_->setChecked(doc_ && doc_->showingMetadataSnapshot());
}

void MainWindow::showError(const QString& headline, const Error& e) {
    QString detail = QString::fromStdString(e.describe());
    if (const QString hint = hintFor(e); !hint.isEmpty()) detail += QLatin1Char('\n') + hint;
    banner_->showMessage(MessageBanner::Severity::Error, headline, detail);
}

QString MainWindow::bannerText() const {
    return banner_->text();
}

bool MainWindow::showsError() const {
    return banner_->hasMessage() && banner_->severity() == MessageBanner::Severity::Error;
}

QString MainWindow::statusText() const {
    QString s = summary_->text();
    if (!readOnlyBadge_->isHidden()) s += QStringLiteral(" · ") + readOnlyBadge_->text();
    return s;
}

bool MainWindow::saveScreenshot(const QString& file) {
    return grab().save(file, "PNG");
}

void MainWindow::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Metadata Image"), QString(),
        tr("Metadata images (*.img *.bin *.meta *.tmeta *.raw);;All files (*)"));
    if (!path.isEmpty()) openPath(path);
}

void MainWindow::chooseDevice() {
    bool ok = false;
    const QString path =
        QInputDialog::getText(this, tr("Open Device"),
                              tr("Metadata device or image path (e.g. /dev/mapper/vg-pool_tmeta):"),
                              QLineEdit::Normal, QStringLiteral("/dev/mapper/"), &ok);
    if (ok && !path.trimmed().isEmpty()) openPath(path.trimmed());
}

void MainWindow::about() {
    QMessageBox::about(this, tr("About dmscope"),
                       tr("<h3>dmscope %1</h3><p>An inspector for device-mapper thin-pool "
                          "metadata: superblock, space maps and thin devices, read from images "
                          "or devices without writing a byte.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace dms
