#include "app/gui/MainWindow.h"

#include "app/gui/BlockAddress.h"
#include "app/gui/EditTab.h"
#include "app/gui/OpenDeviceDialog.h"
#include "app/gui/OverviewPage.h"
#include "app/gui/RecentFiles.h"
#include "core/FileBlockSource.h"
#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/MetadataSnapshotLease.h"
#include "core/devmapper/SnapshotRecords.h"
#include "models/BlockSelection.h"
#include "models/BookmarkModel.h"
#include "models/CacheEraDocument.h"
#include "models/DeviceListModel.h"
#include "models/NavigationHistory.h"
#include "models/PoolListModel.h"
#include "models/PoolScan.h"
#include "models/ThinPoolDocument.h"
#include "models/edit/EditSession.h"
#include "models/edit/EventStepper.h"
#include "views/blockinfo/BlockInfoView.h"
#include "views/blockmap/BlockMapView.h"
#include "views/bookmarks/BookmarksView.h"
#include "views/btree/BtreeBrowser.h"
#include "views/charts/ChartsView.h"
#include "views/common/MessageBanner.h"
#include "views/common/TaskProgressWidget.h"
#include "views/devices/DeviceListView.h"
#include "views/dump/DumpView.h"
#include "views/edit/EditModePanel.h"
#include "views/inspector/BlockInspector.h"
#include "views/issues/IssuesView.h"
#include "views/search/BlockSearchView.h"
#include "views/spacemaps/SpaceMapBrowser.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace dms {
namespace {

enum Page { WelcomePage, DocumentPage };

// A line that tells the user what to do about an error, where there is something to do.
QString hintFor(const Error& e) {
    if (e.kind == ErrorKind::Permission)
        return QObject::tr("Start dmscope with sudo, or copy the metadata into an image file "
                           "with dd and open that.");
    return {};
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), selection_(new BlockSelection(this)),
      history_(new NavigationHistory(selection_, this)), bookmarks_(new BookmarkModel(this)),
      scan_(new PoolScan(this)) {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    banner_ = new MessageBanner(central);
    pages_ = new QStackedWidget(central);
    pages_->addWidget(buildWelcomePage());
    tabs_ = new QTabWidget(pages_);
    tabs_->setDocumentMode(true);
    overview_ = new OverviewPage(tabs_);
    overview_->setObjectName(QStringLiteral("overview"));
    tabs_->addTab(overview_, tr("Overview"));
    blockMap_ = new BlockMapView(tabs_);
    blockMap_->setObjectName(QStringLiteral("blockmap"));
    tabs_->addTab(blockMap_, tr("Block map"));
    spaceMapBrowser_ = new SpaceMapBrowser(tabs_);
    spaceMapBrowser_->setObjectName(QStringLiteral("spacemaps"));
    tabs_->addTab(spaceMapBrowser_, tr("Space maps"));
    btreeBrowser_ = new BtreeBrowser(tabs_);
    btreeBrowser_->setObjectName(QStringLiteral("btrees"));
    tabs_->addTab(btreeBrowser_, tr("B-trees"));
    charts_ = new ChartsView(tabs_);
    charts_->setObjectName(QStringLiteral("charts"));
    tabs_->addTab(charts_, tr("Charts"));
    dump_ = new DumpView(tabs_);
    dump_->setObjectName(QStringLiteral("dump"));
    tabs_->addTab(dump_, tr("Dump"));
    buildCacheEraTabs();
    pages_->addWidget(tabs_);
    layout->addWidget(banner_);
    layout->addWidget(pages_, 1);
    setCentralWidget(central);

    summary_ = new QLabel(this);
    selectedLabel_ = new QLabel(this);
    progress_ = new TaskProgressWidget(this);
    modeBadge_ = new QLabel(tr("read-only"), this);
    modeBadge_->setToolTip(tr("dmscope opened the metadata with O_RDONLY: nothing is written"));
    modeBadge_->setStyleSheet(QStringLiteral(
        "QLabel { background: #dfe9f5; color: #1f3b57; border-radius: 3px; padding: 1px 6px; }"));
    modeBadge_->hide();
    statusBar()->addWidget(summary_, 1);
    statusBar()->addWidget(selectedLabel_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(modeBadge_);
    summary_->setText(tr("No metadata open"));

    buildDocks();
    buildMenus();
    connect(selection_, &BlockSelection::currentChanged, this,
            [this](const BlockRef& ref) { showSelection(ref); });
    connect(scan_, &PoolScan::progress, this,
            [this](PoolScan::Phase phase, quint64 done, quint64 total) {
                progress_->showProgress(PoolScan::phaseName(phase), done, total);
            });
    connect(scan_, &PoolScan::finished, this, &MainWindow::onScanFinished);
    connect(scan_, &PoolScan::cancelled, this, [this] {
        progress_->finish();
        statusBar()->showMessage(tr("Scan cancelled: the block map and issues are not shown"),
                                 5000);
        emit scanCancelled();
    });
    connect(progress_, &TaskProgressWidget::cancelRequested, scan_, &PoolScan::cancel);

    setAcceptDrops(true);
    setWindowTitle(QStringLiteral("dmscope"));
    resize(1440, 900);
    const QSettings settings;
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    warnAboutAbandonedSnapshots();
}

// A dmscope that died while it held a pool's metadata snapshot left a record: say so, with what
// releases it (the pool keeps the snapshot, and its metadata blocks, until then).
void MainWindow::warnAboutAbandonedSnapshots() {
    QStringList pools;
    for (const SnapshotRecord& r : SnapshotRecords().list())
        if (!r.ownerAlive)
            pools << tr("%1 (held at block %2 by dmscope pid %3)")
                         .arg(QString::fromStdString(r.pool))
                         .arg(r.heldRoot)
                         .arg(r.pid);
    if (pools.isEmpty()) return;
    banner_->showMessage(MessageBanner::Severity::Warning, tr("A metadata snapshot was left held"),
                         tr("%1. Release it with: dmscope-cli release-snap POOL (as root).")
                             .arg(pools.join(QStringLiteral(", "))));
}

MainWindow::~MainWindow() {
    // The edit tab's stepper reloads as the tab goes: the block map may be gone by then.
    if (editTab_) disconnect(editTab_->panel()->stepper(), nullptr, blockMap_, nullptr);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (editTab_ && editTab_->session() && editTab_->session()->hasPendingOperations() &&
        QMessageBox::question(this, tr("Pending operations"),
                              editTab_->session()->isInPlace()
                                  ? tr("%1 has operations that were not committed; nothing of "
                                       "them was written. Close and discard them?")
                                        .arg(editTab_->session()->displayName())
                                  : tr("The edit copy has operations that were not committed. "
                                       "Close and discard them?")) != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings().setValue(QStringLiteral("window/state"), saveState());
    scan_->cancel();
    QMainWindow::closeEvent(event);
}

QDockWidget* MainWindow::addDock(const QString& title, const QString& objectName, QWidget* widget,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName); // saveState() needs it
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks() {
    overview_->deviceView()->setSelection(selection_);
    spaceMapBrowser_->setSelection(selection_);
    blockMap_->setSelection(selection_);
    charts_->setSelection(selection_);
    dump_->setSelection(selection_);
    btreeBrowser_->setSelection(selection_);
    blockInfo_ = new BlockInfoView(this);
    blockInfo_->setSelection(selection_);
    QDockWidget* infoDock =
        addDock(tr("Block"), QStringLiteral("block-info"), blockInfo_, Qt::RightDockWidgetArea);
    inspector_ = new BlockInspector(this);
    inspector_->setSelection(selection_);
    QDockWidget* inspectorDock =
        addDock(tr("Inspector"), QStringLiteral("inspector"), inspector_, Qt::RightDockWidgetArea);
    tabifyDockWidget(infoDock, inspectorDock);
    infoDock->raise();
    connect(btreeBrowser_, &BtreeBrowser::entrySelected, inspector_, &BlockInspector::showSlot);
    connectCacheEraToInspector();
    issues_ = new IssuesView(this);
    issues_->setSelection(selection_);
    QDockWidget* issuesDock =
        addDock(tr("Issues"), QStringLiteral("issues"), issues_, Qt::BottomDockWidgetArea);
    bookmarksView_ = new BookmarksView(this);
    bookmarksView_->setModel(bookmarks_);
    bookmarksView_->setSelection(selection_);
    QDockWidget* bookmarksDock = addDock(tr("Bookmarks"), QStringLiteral("bookmarks"),
                                         bookmarksView_, Qt::BottomDockWidgetArea);
    searchView_ = new BlockSearchView(this);
    searchView_->setSelection(selection_);
    searchDock_ =
        addDock(tr("Search"), QStringLiteral("search"), searchView_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(issuesDock, searchDock_);
    tabifyDockWidget(issuesDock, bookmarksDock);
    issuesDock->raise();
    resizeDocks({issuesDock}, {220}, Qt::Vertical);
    resizeDocks({infoDock}, {540}, Qt::Horizontal);
}

QWidget* MainWindow::buildWelcomePage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(1);
    auto* title = new QLabel(tr("<h2>No metadata open</h2>"), page);
    // Explicit line breaks: a word-wrapped label under an alignment flag gets one line's height.
    auto* text = new QLabel(tr("Open a thin-pool, dm-cache or dm-era metadata image or device (a "
                               "_tmeta or _cmeta volume or a dd copy of one),<br>drop one here, or "
                               "look around the bundled demo pool. Everything is opened "
                               "read-only."),
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

bool MainWindow::openPath(const QString& path) {
    auto doc = ThinPoolDocument::openPath(path);
    if (!doc) {
        showError(tr("Cannot open %1").arg(path), doc.error());
        return false;
    }
    RecentFiles::add(path);
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

namespace {

// What a live pool's document holds: the connection to the kernel and the reserved snapshot,
// released (lease first) when the document goes.
struct LiveHold {
    std::shared_ptr<DeviceMapper> dm;
    std::unique_ptr<MetadataSnapshotLease> lease;
    ~LiveHold() { lease.reset(); }
};

} // namespace

bool MainWindow::openDevice(const DeviceChoice& c) {
    if (!c.pool) return openPath(c.path);
    const std::string path = c.path.toStdString();
    auto* helper = dynamic_cast<HelperClient*>(deviceMapper_.get());
    auto src = helper ? helper->openSource(path, DeviceAccess::ReadOnlyDirect)
                      : FileBlockSource::open(path, OpenMode::ReadOnlyDirect);
    if (!src) {
        showError(tr("Cannot open %1").arg(c.path), src.error());
        return false;
    }
    auto hold = std::make_shared<LiveHold>();
    hold->dm = deviceMapper_;
    if (c.metadataSnapshot) {
        if (!deviceMapper_) deviceMapper_ = hold->dm = makeSystemDeviceMapper();
        auto lease = MetadataSnapshotLease::acquire(*deviceMapper_, *c.pool, SnapshotRecords());
        if (!lease) {
            showError(tr("Cannot reserve a metadata snapshot of pool %1")
                          .arg(QString::fromStdString(c.pool->name)),
                      lease.error());
            return false;
        }
        hold->lease = std::move(*lease);
    }
    auto doc = ThinPoolDocument::openSource(std::shared_ptr<const BlockSource>(std::move(*src)),
                                            c.path, false);
    if (!doc) {
        showError(tr("Cannot open %1").arg(c.path), doc.error());
        return false;
    }
    const QString status = PoolListModel::statusSummary(*c.pool);
    (*doc)->setLiveNote(
        hold->lease
            ? tr("Metadata of the active pool %1, read through a metadata snapshot held at block "
                 "%2 (released when this view closes). Kernel status: %3.")
                  .arg(QString::fromStdString(c.pool->name))
                  .arg(hold->lease->heldRoot())
                  .arg(status)
            : tr("Metadata of the active pool %1, which the kernel may change while you look: "
                 "what is shown can be inconsistent. Open it with a metadata snapshot for a "
                 "consistent view. Kernel status: %2.")
                  .arg(QString::fromStdString(c.pool->name), status));
    (*doc)->setKernelStatus(c.pool->status);
    (*doc)->holdWhileOpen(hold);
    RecentFiles::add(c.path);
    setDocument(std::move(*doc));
    if (hold->lease) setShowMetadataSnapshot(true);
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
    showDocumentInViews();
    startScan(); // the devices and their usage are those of the other superblock now
    return true;
}

bool MainWindow::goToBlock(const QString& address) {
    if (!doc_) return false;
    const auto ref = parseBlockAddress(address);
    if (!ref) {
        statusBar()->showMessage(tr("\"%1\" is not a block: try 37, 0x25 or d 1200").arg(address),
                                 5000);
        return false;
    }
    const std::uint64_t limit = ref->isMetadata()
                                    ? doc_->deviceBlocks()
                                    : doc_->metadata().superblock().dataSpaceMap.nrBlocks;
    if (limit == 0) {
        statusBar()->showMessage(tr("This metadata has no data blocks to go to"), 5000);
        return false;
    }
    if (ref->block >= limit) {
        statusBar()->showMessage(
            tr("%1 is beyond the last block (%2)").arg(ref->describe()).arg(limit - 1), 5000);
        return false;
    }
    selection_->select(*ref, this);
    return true;
}

bool MainWindow::editCopy() {
    if (!doc_) return false;
    if (!doc_->isThin()) {
        showError(tr("The edit copy is for thin-pool metadata"),
                  makeError(ErrorKind::Usage,
                            "dm-cache metadata is edited with dmscope-cli edit (set-dirty, "
                            "clear-dirty, invalidate, set-needs-check, clear-needs-check)"));
        return false;
    }
    // An edited copy or an earlier transaction of one has no file of its own: its blocks are
    // copied into a temporary file.
    auto session = doc_->isDemo() ? EditSession::editCopyOf(*doc_->source(), doc_->displayName())
                   : QFileInfo::exists(doc_->displayName())
                       ? EditSession::editCopyOfFile(doc_->displayName())
                       : EditSession::editCopyOf(*doc_->source(), doc_->displayName(), false);
    if (!session) {
        showError(tr("Cannot make an edit copy of %1").arg(doc_->displayName()), session.error());
        return false;
    }
    ensureEditTab();
    editTab_->setSession(std::move(*session));
    charts_->setEditSession(editTab_->session());
    showingCurrentState();
    tabs_->setCurrentWidget(editTab_);
    return true;
}

// After a commit the window shows the committed copy, so every view sees the edit.
void MainWindow::showCommittedCopy() {
    EditSession* s = editTab_ ? editTab_->session() : nullptr;
    if (!s) return;
    auto doc = ThinPoolDocument::openSource(
        s->committedSource(),
        (s->isInPlace() ? tr("%1 (editing in place)") : tr("%1 (edited copy)"))
            .arg(s->displayName()),
        false);
    if (!doc) {
        showError(tr("Cannot show the committed copy"), doc.error());
        return;
    }
    setDocument(std::move(*doc));
    showingCurrentState();
    tabs_->setCurrentWidget(editTab_);
}

bool MainWindow::showView(const QString& name) {
    if (name.contains(QLatin1Char('/'))) return showCacheEraPart(name);
    for (int i = 0; i < tabs_->count(); ++i)
        if (tabs_->widget(i)->objectName() == name) {
            tabs_->setCurrentIndex(i);
            return true;
        }
    return false;
}

void MainWindow::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    scanResult_.reset();
    selection_->clear();
    bookmarks_->setIdentity(doc_->identity());
    searchView_->setDocument(doc_->isThin() ? doc_ : nullptr); // referrers: thin trees
    issues_->setDocument(doc_);
    showDocumentInViews();
    banner_->clearMessage();
    refresh();
    startScan();
}

// The views that show the superblock being looked at (live or held copy) take the document
// again whenever that changes.
void MainWindow::showDocumentInViews() {
    blockInfo_->setDocument(doc_);
    blockMap_->setDocument(doc_);
    spaceMapBrowser_->setDocument(doc_);
    btreeBrowser_->setDocument(doc_);
    inspector_->setDocument(doc_);
    charts_->setDocument(doc_ && doc_->isThin() ? doc_ : nullptr);
    dump_->setDocument(doc_);
    showKindInViews();
    if (scanResult_) {
        charts_->setBlockMap(scanResult_->blockMap);
        blockInfo_->setBlockMap(scanResult_->blockMap);
        inspector_->setBlockMap(scanResult_->blockMap);
        inspector_->setBlockMap(scanResult_->blockMap);
    }
}

void MainWindow::startScan() {
    scanResult_.reset();
    if (doc_) scan_->start(doc_);
}

void MainWindow::onScanFinished(std::shared_ptr<const PoolScanResult> result) {
    scanResult_ = std::move(result);
    progress_->finish();
    overview_->setCountedDataTotals(scanResult_->dataTotals);
    blockInfo_->setBlockMap(scanResult_->blockMap);
    inspector_->setBlockMap(scanResult_->blockMap);
    blockMap_->setBlockMap(scanResult_->blockMap);
    charts_->setBlockMap(scanResult_->blockMap);
    issues_->setCheckReport(scanResult_->checkReport);
    if (scanResult_->usage) overview_->deviceModel()->setUsage(*scanResult_->usage);
    const double ms = 1000 * (scanResult_->classifySeconds + scanResult_->checkSeconds +
                              scanResult_->usageSeconds);
    statusBar()->showMessage(
        doc_ && !doc_->isThin()
            ? tr("Checked in %1 ms").arg(ms, 0, 'f', 0)
            : tr("Scanned in %1 ms: every block classified, checked, usage counted")
                  .arg(ms, 0, 'f', 0),
        5000);
    emit scanFinished();
}

void MainWindow::refresh() {
    const ThinPoolDocument& d = *doc_;
    const ThinSuperblock& sb = d.superblock();
    const bool held = d.showingMetadataSnapshot();
    QString deviceWords;
    if (auto error = overview_->showDocument(d)) {
        deviceWords = tr("devices unreadable");
        showError(tr("The device list of %1 cannot be read").arg(d.displayName()), *error);
    } else {
        const int n = overview_->deviceModel()->rowCount();
        deviceWords = n == 1 ? tr("1 thin device") : tr("%1 thin devices").arg(n);
    }
    if (const auto& damage = d.superblockDamage(); damage && !banner_->hasMessage())
        showError(tr("The superblock of %1 is damaged: its fields are shown as stored")
                      .arg(d.displayName()),
                  *damage);
    if (auto t = d.truncation(); t && !banner_->hasMessage())
        banner_->showMessage(MessageBanner::Severity::Warning, tr("Truncated image"), *t);
    if (!d.liveNote().isEmpty() && !banner_->hasMessage()) {
        QString note = d.liveNote();
        if (auto mismatch = d.transactionMismatch())
            note += QStringLiteral(" ") + tr("Transaction-id mismatch: %1.")
                                              .arg(QString::fromStdString(mismatch->describe()));
        banner_->showMessage(MessageBanner::Severity::Warning, tr("Live pool"), note);
    }
    const bool needsCheck = d.isThin() ? sb.needsCheck() : d.cacheEra()->needsCheck();
    if (needsCheck && !banner_->hasMessage())
        banner_->showMessage(
            MessageBanner::Severity::Warning, tr("NEEDS_CHECK is set"),
            tr("The kernel found a problem with this metadata and will not use the pool "
               "read-write until it is checked and repaired. The Issues view lists what the "
               "check finds."));

    QStringList words = d.isThin() ? QStringList{tr("transaction %1").arg(sb.transactionId),
                                                 tr("time %1").arg(sb.time), deviceWords}
                                   : QStringList{cacheEraSummary()};
    if (d.metadata().hasMetadataSnapshot())
        words << tr("metadata snapshot held at block %1").arg(d.metadata().superblock().heldRoot);
    if (needsCheck) words << tr("NEEDS_CHECK set");
    summary_->setText(words.join(QStringLiteral(" · ")));
    // The view itself is read-only; an in-place edit session writes the same file at Commit.
    const EditSession* editing = editTab_ ? editTab_->session() : nullptr;
    const bool inPlace =
        editing && editing->isInPlace() && editing->committedSource() == d.source();
    modeBadge_->setText(inPlace ? tr("editing in place") : tr("read-only"));
    modeBadge_->setToolTip(inPlace ? tr("Opened read-write and exclusive: Commit writes it")
                                   : tr("dmscope opened the metadata with O_RDONLY: nothing is "
                                        "written"));
    modeBadge_->setVisible(true);
    setWindowTitle(QStringLiteral("%1%2 (%3) — dmscope")
                       .arg(d.displayName(), held ? tr(" [metadata snapshot]") : QString(),
                            modeBadge_->text()));
    pages_->setCurrentIndex(DocumentPage);
    syncSnapshotAction();
}

void MainWindow::showSelection(const BlockRef& ref) {
    selectedLabel_->setText(tr("selected: %1").arg(ref.describe()));
}

void MainWindow::syncSnapshotAction() {
    const QSignalBlocker block(snapshotAction_);
    snapshotAction_->setEnabled(doc_ && doc_->metadata().hasMetadataSnapshot());
    compareHeldAction_->setEnabled(doc_ && doc_->metadata().hasMetadataSnapshot());
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
    if (!modeBadge_->isHidden()) s += QStringLiteral(" · ") + modeBadge_->text();
    return s;
}

QString MainWindow::progressText() const {
    return progress_->text();
}

SuperblockModel* MainWindow::superblockModel() const {
    return overview_->superblockModel();
}

DeviceListModel* MainWindow::deviceModel() const {
    return overview_->deviceModel();
}

SpaceMapTotalsView* MainWindow::spaceMapView() const {
    return overview_->spaceMapView();
}

bool MainWindow::saveScreenshot(const QString& file) {
    return grab().save(file, "PNG");
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile()) return;
    event->acceptProposedAction();
    openPath(urls.first().toLocalFile());
}

} // namespace dms
