#include "views/btree/BtreeBrowser.h"

#include "core/btree/BtreeLookup.h"
#include "models/BlockSelection.h"
#include "models/BtreeModel.h"
#include "models/CacheEraDocument.h"
#include "models/ThinPoolDocument.h"
#include "views/btree/BtreeTreeView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QVBoxLayout>

namespace dms {

BtreeBrowser::BtreeBrowser(QWidget* parent)
    : QWidget(parent), chooser_(new QComboBox(this)), summary_(new QLabel(this)),
      view_(new BtreeTreeView(this)), model_(new BtreeModel(this)) {
    auto* top = new QHBoxLayout;
    auto* label = new QLabel(tr("&Tree:"), this);
    label->setBuddy(chooser_);
    top->addWidget(label);
    top->addWidget(chooser_, 1);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);

    view_->setModel(model_);
    QHeaderView* h = view_->header();
    h->setStretchLastSection(false);
    const QFontMetrics fm(view_->font());
    h->resizeSection(BtreeModel::EntryColumn,
                     fm.horizontalAdvance(QStringLiteral("vblocks 10000000..10000255")) +
                         5 * view_->indentation());
    h->setSectionResizeMode(BtreeModel::ValueColumn, QHeaderView::Stretch);
    h->resizeSection(BtreeModel::BlockColumn, fm.horizontalAdvance(QStringLiteral("40000000 ")));
    setFocusProxy(view_);

    connect(chooser_, &QComboBox::activated, this, &BtreeBrowser::onTreeChosen);
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BtreeBrowser::onCurrentRowChanged);
    connect(model_, &QAbstractItemModel::modelReset, this, &BtreeBrowser::updateSummary);
}

BtreeBrowser::~BtreeBrowser() = default;

void BtreeBrowser::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    trees_.clear();
    chooser_->clear();
    if (!doc_) {
        model_->clear();
        return;
    }
    trees_ = doc_->cacheEra() ? doc_->cacheEra()->btreeRoots()
                              : BtreeRoot::ofSuperblock(doc_->superblock());
    for (const BtreeRoot& r : trees_)
        chooser_->addItem(r.title());
    showTree(trees_.front());
}

void BtreeBrowser::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_)
        connect(selection_, &BlockSelection::currentChanged, this, &BtreeBrowser::follow);
}

void BtreeBrowser::showTree(const BtreeRoot& root) {
    if (!doc_) return;
    auto it = std::find(trees_.begin(), trees_.end(), root);
    if (it == trees_.end()) {
        // A device's own tree: offered until another document is opened.
        trees_.push_back(root);
        chooser_->addItem(root.title());
        it = trees_.end() - 1;
    }
    chooser_->setCurrentIndex(static_cast<int>(it - trees_.begin()));
    model_->setTree(doc_->metadata().reader(), root);
    const QModelIndex first = model_->index(0, 0);
    if (model_->canFetchMore(first)) model_->fetchMore(first);
    view_->expand(first);
    following_ = true; // showing a tree is not the user picking its root
    view_->setCurrentIndex(first);
    following_ = false;
}

bool BtreeBrowser::showDeviceTree(std::uint64_t id) {
    if (!doc_) return false;
    const ThinSuperblock& sb = doc_->superblock();
    auto hit = btreeLookup(doc_->metadata().reader(), sb.dataMappingRoot, id, 8);
    if (!hit || !*hit) return false;
    showTree({BtreeKind::MappingBottom, loadLe64((*hit)->value()), id});
    return true;
}

BtreeRoot BtreeBrowser::currentTree() const {
    return model_->root();
}

void BtreeBrowser::onTreeChosen(int comboIndex) {
    if (comboIndex >= 0 && std::size_t(comboIndex) < trees_.size())
        showTree(trees_[std::size_t(comboIndex)]);
}

void BtreeBrowser::onCurrentRowChanged() {
    const QModelIndex cur = view_->currentIndex();
    if (following_ || !cur.isValid()) return;
    if (selection_) selection_->select(cur.data(BtreeModel::BlockRefRole).value<BlockRef>(), this);
    if (cur.data(BtreeModel::RowKindRole).toInt() != BtreeModel::NodeRow)
        emit entrySelected(cur.data(BtreeModel::NodeBlockRole).value<quint64>(),
                           cur.data(BtreeModel::SlotRole).toInt());
}

void BtreeBrowser::follow(const BlockRef& ref, const QObject* origin) {
    if (origin == this || !ref.isMetadata() || !doc_) return;
    const QModelIndex cur = view_->currentIndex();
    if (cur.isValid() && cur.data(BtreeModel::NodeBlockRole).value<quint64>() == ref.block) return;
    QModelIndex at = model_->indexOfFetchedNode(ref.block);
    if (!at.isValid()) {
        // The root of another tree we offer: switch to it.
        for (const BtreeRoot& r : trees_) {
            if (r.block == ref.block) {
                showTree(r);
                return;
            }
        }
        return;
    }
    following_ = true;
    view_->setCurrentIndex(at);
    view_->scrollTo(at);
    following_ = false;
}

QString BtreeBrowser::summaryText() const {
    return summary_->text();
}

void BtreeBrowser::updateSummary() {
    if (!model_->hasTree()) {
        summary_->clear();
        return;
    }
    const BtreeRoot r = model_->root();
    QString text = tr("%1 · root block %2").arg(r.title()).arg(r.block);
    if (auto h = btreeHeight(doc_->metadata().reader(), r.block); h.ok())
        text += tr(" · height %1").arg(*h);
    const QModelIndex root = model_->index(0, BtreeModel::ValueColumn);
    text += QStringLiteral(" · ") + root.data().toString();
    summary_->setText(text);
}

} // namespace dms
