// The main window's dm-cache and dm-era parts: their tabs, and which of the other tabs apply to
// the kind of metadata open. The space maps, b-trees, inspector, dump and issues work on all
// three kinds; the block map, charts, devices and the edit copy are thin's.

#include "app/gui/MainWindow.h"

#include "app/gui/EditTab.h"
#include "models/CacheEraDocument.h"
#include "models/ThinPoolDocument.h"
#include "views/blockmap/BlockMapView.h"
#include "views/cache/CacheView.h"
#include "views/charts/ChartsView.h"
#include "views/era/EraView.h"
#include "views/inspector/BlockInspector.h"
#include "views/search/BlockSearchView.h"

#include <QAction>
#include <QTabWidget>

namespace dms {

void MainWindow::buildCacheEraTabs() {
    cacheView_ = new CacheView(tabs_);
    cacheView_->setObjectName(QStringLiteral("cache"));
    cacheView_->setSelection(selection_);
    tabs_->setTabVisible(tabs_->addTab(cacheView_, tr("Cache")), false);
    eraView_ = new EraView(tabs_);
    eraView_->setObjectName(QStringLiteral("era"));
    eraView_->setSelection(selection_);
    tabs_->setTabVisible(tabs_->addTab(eraView_, tr("Era")), false);
}

// Called once the docks exist: a chosen cache or era block's entry is selected in the inspector.
void MainWindow::connectCacheEraToInspector() {
    connect(cacheView_, &CacheView::entryChosen, inspector_, &BlockInspector::showSlot);
    connect(eraView_, &EraView::entryChosen, inspector_, &BlockInspector::showSlot);
}

void MainWindow::showKindInViews() {
    const bool thin = !doc_ || doc_->isThin();
    const auto& ce = doc_ ? doc_->cacheEra() : nullptr;
    const bool cache = ce && ce->isCache();
    const bool era = ce && ce->isEra();
    cacheView_->setDocument(cache ? doc_ : nullptr);
    eraView_->setDocument(era ? doc_ : nullptr);
    const QString thinOnly = thin ? QString()
                                  : tr("Thin-pool metadata only: this is %1. See the %2 tab.")
                                        .arg(ce->kindText(), cache ? tr("Cache") : tr("Era"));
    for (QWidget* w : {static_cast<QWidget*>(blockMap_), static_cast<QWidget*>(charts_)}) {
        const int i = tabs_->indexOf(w);
        tabs_->setTabEnabled(i, thin);
        tabs_->setTabToolTip(i, thinOnly);
    }
    // The search finds thin devices and walks thin trees.
    searchView_->setEnabled(thin);
    searchView_->setToolTip(thinOnly);
    tabs_->setTabVisible(tabs_->indexOf(cacheView_), cache);
    tabs_->setTabVisible(tabs_->indexOf(eraView_), era);
    if (!thin && !tabs_->isTabEnabled(tabs_->currentIndex()))
        tabs_->setCurrentWidget(cache ? static_cast<QWidget*>(cacheView_) : eraView_);
    if (editTab_) {
        const int i = tabs_->indexOf(editTab_);
        tabs_->setTabEnabled(i, thin);
        tabs_->setTabToolTip(i, thinOnly);
    }
}

bool MainWindow::showCacheEraPart(const QString& viewSlashPart) {
    const QString view = viewSlashPart.section(QLatin1Char('/'), 0, 0);
    const QString part = viewSlashPart.section(QLatin1Char('/'), 1);
    QWidget* w = view == QLatin1String("cache") ? static_cast<QWidget*>(cacheView_)
                 : view == QLatin1String("era") ? static_cast<QWidget*>(eraView_)
                                                : nullptr;
    if (!w || !tabs_->isTabVisible(tabs_->indexOf(w))) return false;
    const bool shown = w == cacheView_ ? cacheView_->showPart(part) : eraView_->showPart(part);
    if (shown) tabs_->setCurrentWidget(w);
    return shown;
}

QString MainWindow::cacheEraSummary() const {
    const CacheEraDocument& ce = *doc_->cacheEra();
    if (ce.isCache()) {
        const CacheSuperblock& sb = ce.cache();
        return tr("dm-cache format %1 · %2 cache blocks · policy %3 · %4")
            .arg(sb.version)
            .arg(sb.cacheBlocks)
            .arg(QString::fromStdString(sb.policy()))
            .arg(sb.cleanShutdown() ? tr("clean shutdown") : tr("no clean shutdown"));
    }
    const EraSuperblock& sb = ce.era();
    return tr("dm-era · %1 blocks · current era %2").arg(sb.nrBlocks).arg(sb.currentEra);
}

} // namespace dms
