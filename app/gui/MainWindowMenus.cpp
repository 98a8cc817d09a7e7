// The main window's menus and their actions (File, Go, View, Help), apart from the window's
// document handling in MainWindow.cpp.

#include "app/gui/EditTab.h"
#include "app/gui/MainWindow.h"
#include "app/gui/OpenDeviceDialog.h"
#include "app/gui/RecentFiles.h"
#include "models/BlockSelection.h"
#include "models/NavigationHistory.h"
#include "models/ThinPoolDocument.h"
#include "models/edit/EditSession.h"
#include "views/blockmap/BlockMapView.h"
#include "views/bookmarks/BookmarksView.h"
#include "views/charts/ChartsView.h"
#include "views/edit/InPlaceEditOpener.h"
#include "views/search/BlockSearchView.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace dms {

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Image…"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Device…"), this, &MainWindow::chooseDevice);
    file->addAction(tr("Open De&mo Pool"), this, &MainWindow::openDemo);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    QAction* edit = file->addAction(tr("&Edit a Copy"), this, &MainWindow::editCopy);
    edit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    edit->setToolTip(tr("Edit a copy of this metadata in a transaction you can step through"));
    QAction* editInPlace =
        file->addAction(tr("Open for Edi&ting…"), this, &MainWindow::chooseFileForEditing);
    editInPlace->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    editInPlace->setToolTip(tr("Edit an image file or an inactive pool's metadata device in "
                               "place: opened read-write and exclusive, written only at Commit"));
    file->addAction(tr("&Export Block Map as PNG…"), this, &MainWindow::exportBlockMap);
    file->addAction(tr("Open &Transaction History…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open transaction history"), QString(),
                                         tr("Transaction histories (*.dmshist);;All files (*)"));
        if (path.isEmpty()) return;
        const QString error = charts_->openHistory(path);
        if (!error.isEmpty())
            statusBar()->showMessage(error, 10000);
        else
            tabs_->setCurrentWidget(charts_);
    });
    QAction* compare = file->addAction(tr("&Compare with…"), this, &MainWindow::chooseCompareFile);
    compare->setToolTip(tr("Diff this metadata against another image of the same pool"));
    compareHeldAction_ = file->addAction(tr("Compare &Held Snapshot with Live"), this,
                                         &MainWindow::compareHeldWithLive);
    compareHeldAction_->setEnabled(false);
    rescanAction_ = file->addAction(tr("Re&scan"), this, &MainWindow::startScan);
    rescanAction_->setShortcut(QKeySequence(Qt::Key_F5));
    rescanAction_->setToolTip(tr("Classify every block and check the metadata again"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* go = goMenu_ = menuBar()->addMenu(tr("&Go"));
    goToAction_ = go->addAction(tr("&Go to Block…"), this, &MainWindow::askGoTo);
    goToAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    backAction_ = go->addAction(tr("&Back"), history_, &NavigationHistory::back);
    backAction_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    forwardAction_ = go->addAction(tr("&Forward"), history_, &NavigationHistory::forward);
    forwardAction_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    QAction* find = go->addAction(tr("&Search Blocks…"), this, [this] {
        searchDock_->show();
        searchDock_->raise();
        searchView_->setFocus();
    });
    find->setShortcut(QKeySequence::Find);
    go->addSeparator();
    bookmarkAction_ =
        go->addAction(tr("Bookmark &Selected Block…"), bookmarksView_, &BookmarksView::addCurrent);
    bookmarkAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    auto syncHistory = [this] {
        backAction_->setEnabled(history_->canGoBack());
        forwardAction_->setEnabled(history_->canGoForward());
    };
    connect(history_, &NavigationHistory::changed, this, syncHistory);
    syncHistory();

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    snapshotAction_ = viewMenu_->addAction(tr("Held &Metadata Snapshot"));
    snapshotAction_->setCheckable(true);
    snapshotAction_->setEnabled(false);
    snapshotAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    snapshotAction_->setToolTip(tr("Show the superblock copy at held_root and its devices"));
    connect(snapshotAction_, &QAction::toggled, this, &MainWindow::setShowMetadataSnapshot);
    viewMenu_->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        viewMenu_->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About dmscope"), this, &MainWindow::about);
}

void MainWindow::fillRecentMenu() {
    recentMenu_->clear();
    const QStringList files = RecentFiles::list();
    for (const QString& f : files)
        recentMenu_->addAction(f, this, [this, f] { openPath(f); });
    if (files.isEmpty()) recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), this, [] { RecentFiles::clear(); });
}

void MainWindow::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Metadata Image"), QString(),
        tr("Metadata images (*.img *.bin *.meta *.tmeta *.raw);;All files (*)"));
    if (!path.isEmpty()) openPath(path);
}

void MainWindow::chooseFileForEditing() {
    QFileDialog dialog(this, tr("Open for Editing (in place)"));
    dialog.setFileMode(QFileDialog::ExistingFile);
    dialog.setNameFilters({tr("Metadata images (*.img *.bin *.meta *.tmeta *.raw)"),
                           tr("All files, and devices in /dev (*)")});
    dialog.setLabelText(QFileDialog::Accept, tr("Edit in Place"));
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        openForEditing(dialog.selectedFiles().first());
}

void MainWindow::ensureEditTab() {
    if (editTab_) return;
    editTab_ = new EditTab(tabs_);
    editTab_->setObjectName(QStringLiteral("edit"));
    editTab_->setSelection(selection_);
    tabs_->addTab(editTab_, tr("Edit"));
    connect(editTab_, &EditTab::committed, this, &MainWindow::showCommittedCopy);
    wireEditHistory();
}

bool MainWindow::openForEditing(const QString& path,
                                std::function<int(const EditOpenProblem&)> ask) {
    if (editTab_ && editTab_->session() && editTab_->session()->hasPendingOperations() &&
        QMessageBox::question(this, tr("Pending operations"),
                              tr("%1 has operations that were not committed. Discard them?")
                                  .arg(editTab_->session()->displayName())) != QMessageBox::Yes)
        return false;
    InPlaceEditOpener opener(this, deviceMapper_);
    if (ask)
        opener.setAsk([ask](const EditOpenProblem& p) {
            return static_cast<EditOpenProblemDialog::Choice>(ask(p));
        });
    auto session = opener.open(path);
    if (!session) {
        if (session.error().kind != ErrorKind::Usage || session.error().message != "cancelled")
            showError(tr("Cannot edit %1").arg(path), session.error());
        return false;
    }
    const bool inPlace = (*session)->isInPlace();
    auto doc = ThinPoolDocument::openSource(
        (*session)->committedSource(), (inPlace ? path : tr("%1 (edited copy)").arg(path)), false);
    if (!doc) {
        showError(tr("%1 is not thin-pool metadata").arg(path), doc.error());
        return false;
    }
    ensureEditTab();
    editTab_->setSession(std::move(*session));
    charts_->setEditSession(editTab_->session());
    showingCurrentState();
    setDocument(std::move(*doc));
    tabs_->setCurrentWidget(editTab_);
    return true;
}

void MainWindow::exportBlockMap() {
    if (!doc_) return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Block Map"), QStringLiteral("blockmap.png"), tr("PNG images (*.png)"));
    if (file.isEmpty()) return;
    QString error;
    if (!blockMap_->renderFullImage(file, &error))
        QMessageBox::warning(this, tr("Export Block Map"),
                             tr("Cannot write %1: %2").arg(file, error));
}

void MainWindow::chooseDevice() {
    OpenDeviceDialog dialog(deviceMapper_, this);
    const int answer = dialog.exec();
    deviceMapper_ = dialog.deviceMapper(); // keep the helper: one password prompt per session
    if (answer == QDialog::Accepted && dialog.choice()) openDevice(*dialog.choice());
}

void MainWindow::askGoTo() {
    if (!doc_) return;
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, tr("Go to Block"),
        tr("Metadata block (37, 0x25) or data block (d 1200), of %1 metadata blocks:")
            .arg(doc_->deviceBlocks()),
        QLineEdit::Normal, QString(), &ok);
    if (ok) goToBlock(text);
}

void MainWindow::about() {
    QMessageBox::about(this, tr("About dmscope"),
                       tr("<h3>dmscope %1</h3><p>An inspector for device-mapper thin-pool "
                          "metadata: superblock, space maps, btrees and every block, read from "
                          "images or devices without writing a byte.</p>")
                           .arg(QApplication::applicationVersion()));
}

} // namespace dms
