#pragma once
// The dmscope main window: opens a thin-pool (or dm-cache, dm-era) metadata image, device or the
// demo pool read-only and
// shows it through dockable views that share one block selection. Long work (classifying every
// block, the check, usage counts) runs on a worker thread with progress and Cancel in the status
// bar. Anything that goes wrong is shown in a banner inside the window (never a modal dialog), and
// the window stays usable.

#include "core/Error.h"
#include "models/BlockRef.h"

#include <QMainWindow>
#include <functional>
#include <memory>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;

namespace dms {

class BlockSelection;
class BookmarkModel;
class CacheView;
class EraView;
class BookmarksView;
class DeviceMapper;
struct DeviceChoice;
struct EditOpenProblem;
class ChartsView;
class DumpView;
class EditTab;
class BlockMapView;
class BlockInspector;
class BtreeBrowser;
class BlockInfoView;
class IssuesView;
class SpaceMapBrowser;
class BlockSearchView;
class DeviceListModel;
class MessageBanner;
class MetadataDiffView;
class TransactionBanner;
class NavigationHistory;
class OverviewPage;
class PoolScan;
class SpaceMapTotalsView;
class SuperblockModel;
class TaskProgressWidget;
class ThinPoolDocument;
struct PoolScanResult;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Each returns false after showing what went wrong; a document already open stays open.
    bool openPath(const QString& path);
    bool openDemo();
    // A device picked in the Open Device dialog: an active pool's metadata is read with O_DIRECT,
    // through a reserved metadata snapshot when asked (released when the view closes).
    bool openDevice(const DeviceChoice& choice);
    // How the window reaches the kernel's device-mapper (the helper once started; recorded
    // devices in tests). Null: libdevmapper directly, as root.
    void setDeviceMapper(std::shared_ptr<DeviceMapper> dm) { deviceMapper_ = std::move(dm); }
    bool setShowMetadataSnapshot(bool held);
    // Selects a block typed as in Go to block ("37", "d 1200"); false if it is not a block here.
    bool goToBlock(const QString& address);
    // Starts editing a copy of the open metadata in the Edit tab (the original is never written);
    // false, with the reason shown, when no copy can be made.
    bool editCopy();
    // Shows state k of the edit session's history in every view (0 = as opened, n = current):
    // a read-only document over EditSession::stateAt(k), under a banner saying so. False, with
    // the reason shown, when there is no such state.
    bool showTransactionState(int k);
    // File > Compare with…: the open metadata (left) against another image of the same pool
    // (right), in the Diff dock; false with the reason shown when it cannot be opened.
    bool compareWith(const QString& path);
    // The held metadata snapshot against the live superblock of the open metadata.
    bool compareHeldWithLive();
    // The transaction state the views show (-1: no edit session or the current state).
    int shownTransactionState() const { return shownState_; }
    TransactionBanner* transactionBanner() const { return transactionBanner_; }
    MetadataDiffView* compareView() const { return compareView_; }
    // Opens a file or block device for editing in place (read-write, O_EXCL; nothing written
    // until Commit) and shows it with the Edit tab. When it cannot be opened the user is told why
    // and offered the way on (InPlaceEditOpener; `ask`, answering an EditOpenProblemDialog::Choice,
    // replaces the dialog in tests). False when nothing was opened.
    bool openForEditing(const QString& path,
                        std::function<int(const EditOpenProblem&)> ask = nullptr);
    // Brings a central view to the front by name: overview, blockmap, spacemaps, btrees, charts,
    // dump, cache, era; a part of the cache or era view as cache/blocks, cache/origin,
    // cache/hints, cache/discards, cache/metadata, era/heatmap, era/metadata.
    bool showView(const QString& name);

    bool saveScreenshot(const QString& file);

    // State, for tests and later tools.
    const ThinPoolDocument* document() const { return doc_.get(); }
    QString bannerText() const; // error or warning shown, empty if none
    bool showsError() const;
    QString statusText() const; // the status bar's words, including "read-only"
    SuperblockModel* superblockModel() const;
    DeviceListModel* deviceModel() const;
    SpaceMapTotalsView* spaceMapView() const;
    QAction* metadataSnapshotAction() const { return snapshotAction_; }
    BlockSelection* selection() const { return selection_; }
    NavigationHistory* history() const { return history_; }
    BookmarkModel* bookmarkModel() const { return bookmarks_; }
    PoolScan* scan() const { return scan_; }
    BlockSearchView* searchView() const { return searchView_; }
    BlockInfoView* blockInfoView() const { return blockInfo_; }
    IssuesView* issuesView() const { return issues_; }
    SpaceMapBrowser* spaceMapBrowser() const { return spaceMapBrowser_; }
    BtreeBrowser* btreeBrowser() const { return btreeBrowser_; }
    BlockMapView* blockMapView() const { return blockMap_; }
    EditTab* editTab() const { return editTab_; }
    ChartsView* chartsView() const { return charts_; }
    DumpView* dumpView() const { return dump_; }
    BlockInspector* inspector() const { return inspector_; }
    CacheView* cacheView() const { return cacheView_; }
    EraView* eraView() const { return eraView_; }
    QTabWidget* tabs() const { return tabs_; }
    // The last finished scan of the open document, or null.
    const PoolScanResult* scanResult() const { return scanResult_.get(); }
    QString progressText() const;

signals:
    void scanFinished();
    void scanCancelled();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* widget,
                         Qt::DockWidgetArea area);
    QWidget* buildWelcomePage();
    void fillRecentMenu();
    void chooseFile();
    void chooseFileForEditing();
    void ensureEditTab();
    void exportBlockMap();
    void showCommittedCopy();
    void wireEditHistory();
    void updateTransactionMarks();
    void showingCurrentState(); // no banner, the open transaction's marks
    void chooseCompareFile();
    QDockWidget* compareDock();
    void chooseDevice();
    void askGoTo();
    void about();
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void refresh();
    void startScan();
    void showDocumentInViews();
    void warnAboutAbandonedSnapshots();
    void onScanFinished(std::shared_ptr<const PoolScanResult> result);
    void showSelection(const BlockRef& ref);
    void syncSnapshotAction();
    void showError(const QString& headline, const Error& e);
    // MainWindowCacheEra.cpp: the dm-cache and dm-era tabs, and which tabs apply to the kind of
    // metadata open (thin-only ones are disabled with the reason as tooltip).
    void buildCacheEraTabs();
    void connectCacheEraToInspector();
    void showKindInViews();
    bool showCacheEraPart(const QString& viewSlashPart);
    QString cacheEraSummary() const;

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const PoolScanResult> scanResult_;
    std::shared_ptr<DeviceMapper> deviceMapper_; // the kernel, once reached (helper or direct)
    BlockSelection* selection_;
    NavigationHistory* history_;
    BookmarkModel* bookmarks_;
    PoolScan* scan_;
    MessageBanner* banner_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    OverviewPage* overview_ = nullptr;
    BookmarksView* bookmarksView_ = nullptr;
    BlockInfoView* blockInfo_ = nullptr;
    IssuesView* issues_ = nullptr;
    SpaceMapBrowser* spaceMapBrowser_ = nullptr;
    BtreeBrowser* btreeBrowser_ = nullptr;
    BlockMapView* blockMap_ = nullptr;
    EditTab* editTab_ = nullptr;
    ChartsView* charts_ = nullptr;
    DumpView* dump_ = nullptr;
    BlockInspector* inspector_ = nullptr;
    CacheView* cacheView_ = nullptr;
    EraView* eraView_ = nullptr;
    BlockSearchView* searchView_ = nullptr;
    QDockWidget* searchDock_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    TaskProgressWidget* progress_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* selectedLabel_ = nullptr;
    QLabel* modeBadge_ = nullptr;
    QAction* snapshotAction_ = nullptr;
    QAction* backAction_ = nullptr;
    QAction* forwardAction_ = nullptr;
    QAction* goToAction_ = nullptr;
    QAction* bookmarkAction_ = nullptr;
    QAction* rescanAction_ = nullptr;
    QAction* compareHeldAction_ = nullptr;
    QMenu* goMenu_ = nullptr;
    TransactionBanner* transactionBanner_ = nullptr;
    MetadataDiffView* compareView_ = nullptr;
    QDockWidget* compareDock_ = nullptr;
    int shownState_ = -1;
};

} // namespace dms
