#include "views/spacemaps/SpaceMapBrowser.h"

#include "models/BlockSelection.h"
#include "models/ModelRoles.h"
#include "models/RefCountTreeModel.h"
#include "models/SpaceMapModel.h"
#include "models/ThinPoolDocument.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace dms {
namespace {

QTreeView* makeTree(QAbstractItemModel* model, QWidget* parent) {
    auto* t = new QTreeView(parent);
    t->setModel(model);
    t->setUniformRowHeights(true); // fast with many rows
    t->setAlternatingRowColors(true);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->header()->setStretchLastSection(true);
    return t;
}

} // namespace

SpaceMapBrowser::SpaceMapBrowser(QWidget* parent)
    : QWidget(parent), bitmaps_(new SpaceMapModel(this)), refcounts_(new RefCountTreeModel(this)),
      kindBox_(new QComboBox(this)), summary_(new QLabel(this)), tabs_(new QTabWidget(this)) {
    kindBox_->addItem(tr("Metadata space map"), int(SpaceMapKind::Metadata));
    kindBox_->addItem(tr("Data space map"), int(SpaceMapKind::Data));
    connect(kindBox_, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bitmapTree_ = makeTree(bitmaps_, this);
    refTree_ = makeTree(refcounts_, this);
    bitmapTree_->header()->resizeSection(SpaceMapModel::NameColumn, 260);
    refTree_->header()->resizeSection(RefCountTreeModel::NameColumn, 300);
    tabs_->addTab(bitmapTree_, tr("Bitmaps"));
    tabs_->addTab(refTree_, tr("Refcount tree"));
    // Moving the current row (mouse or keys) selects its block; following sets it guarded.
    for (QTreeView* t : {bitmapTree_, refTree_})
        connect(t->selectionModel(), &QItemSelectionModel::currentChanged, this,
                [this](const QModelIndex& current) { picked(current); });

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(kindBox_);
    bar->addWidget(summary_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(tabs_, 1);
    reload();
}

void SpaceMapBrowser::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    // dm-cache and dm-era metadata have a metadata space map only.
    const bool thin = !doc_ || doc_->isThin();
    kindBox_->setEnabled(thin);
    kindBox_->setToolTip(thin ? QString()
                              : tr("dm-cache and dm-era metadata have no data space map"));
    if (!thin && kind() != SpaceMapKind::Metadata) {
        setKind(SpaceMapKind::Metadata); // reloads
        return;
    }
    reload();
}

void SpaceMapBrowser::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &BlockSelection::currentChanged, this, &SpaceMapBrowser::follow);
}

SpaceMapKind SpaceMapBrowser::kind() const {
    return static_cast<SpaceMapKind>(kindBox_->currentData().toInt());
}

void SpaceMapBrowser::setKind(SpaceMapKind kind) {
    kindBox_->setCurrentIndex(kind == SpaceMapKind::Metadata ? 0 : 1);
}

void SpaceMapBrowser::reload() {
    const SpaceMapKind k = kind();
    bitmaps_->setSpaceMap(doc_, k);
    refcounts_->setSpaceMap(doc_, k);
    if (!doc_) {
        summary_->setText(tr("No metadata open"));
        return;
    }
    const ThinSuperblock& sb = doc_->metadata().superblock();
    const SpaceMapRoot& root = k == SpaceMapKind::Metadata ? sb.metadataSpaceMap : sb.dataSpaceMap;
    QString text = tr("nr_blocks %1, nr_allocated %2, %3 %4, ref_count_root %5")
                       .arg(root.nrBlocks)
                       .arg(root.nrAllocated)
                       .arg(k == SpaceMapKind::Metadata ? tr("index block") : tr("index root"))
                       .arg(root.bitmapRoot)
                       .arg(root.refCountRoot);
    if (const auto& e = bitmaps_->openError())
        text += tr(" — the index cannot be read: %1").arg(QString::fromStdString(e->describe()));
    summary_->setText(text);
    refTree_->expandToDepth(0);
}

void SpaceMapBrowser::picked(const QModelIndex& index) {
    if (following_ || !selection_ || !index.isValid()) return;
    const QVariant ref = index.data(BlockRefRole);
    if (ref.isValid()) selection_->select(ref.value<BlockRef>(), this);
}

void SpaceMapBrowser::follow(const BlockRef& ref, const QObject* origin) {
    if (origin == this) return;
    // Metadata blocks are looked up in the metadata map, data blocks in the data map.
    if (ref.isMetadata() != (kind() == SpaceMapKind::Metadata)) return;
    // A bitmap the user has not opened is only pointed at; an opened one shows the run.
    QModelIndex at = bitmaps_->indexEntryFor(ref.block);
    if (!at.isValid()) return;
    if (bitmapTree_->isExpanded(at)) at = bitmaps_->runFor(ref.block);
    following_ = true;
    bitmapTree_->setCurrentIndex(at);
    bitmapTree_->scrollTo(at);
    following_ = false;
}

} // namespace dms
