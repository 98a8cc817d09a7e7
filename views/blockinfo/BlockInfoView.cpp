#include "views/blockinfo/BlockInfoView.h"

#include "core/thin/ReferrerSearch.h"
#include "models/BlockInfoModel.h"
#include "models/BlockSelection.h"
#include "models/ModelRoles.h"
#include "models/ThinPoolDocument.h"

#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QTableView>
#include <QVBoxLayout>
#include <mutex>
#include <thread>
#include <utility>

namespace dms {

// How a worker thread hands its result to the view: the view may be gone when the walk ends, so
// the worker posts only while holding the lock, and the view's destructor clears the pointer
// under it (events already posted to a deleted object are discarded by Qt).
struct BlockInfoView::Mailbox {
    std::mutex mutex;
    BlockInfoView* view = nullptr;

    template <typename F> void post(F&& f) {
        std::lock_guard lock(mutex);
        if (view) QMetaObject::invokeMethod(view, std::forward<F>(f), Qt::QueuedConnection);
    }
};

BlockInfoView::BlockInfoView(QWidget* parent)
    : QWidget(parent), model_(new BlockInfoModel(this)), title_(new QLabel(this)),
      table_(new QTableView(this)), mailbox_(std::make_shared<Mailbox>()) {
    mailbox_->view = this;
    table_->setModel(model_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    // One text line per row (the default section size leaves tall rows in some styles).
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    table_->horizontalHeader()->setSectionResizeMode(BlockInfoModel::PropertyColumn,
                                                     QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_, &QAbstractItemView::activated, this, &BlockInfoView::activated);
    connect(table_, &QAbstractItemView::doubleClicked, this, &BlockInfoView::activated);
    connect(model_, &QAbstractItemModel::modelReset, this,
            [this] { table_->resizeColumnToContents(BlockInfoModel::PropertyColumn); });
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(table_, 1);
    title_->setText(tr("No block selected"));
}

BlockInfoView::~BlockInfoView() {
    cancelSearch();
    std::lock_guard lock(mailbox_->mutex);
    mailbox_->view = nullptr;
}

void BlockInfoView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    cancelSearch();
    doc_ = std::move(doc);
    model_->setDocument(doc_);
    title_->setText(doc_ ? tr("No block selected") : tr("No metadata open"));
}

void BlockInfoView::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (!selection_) return;
    connect(selection_, &BlockSelection::currentChanged, this,
            [this](const BlockRef& ref, const QObject*) { showBlock(ref); });
    connect(selection_, &BlockSelection::cleared, this, [this] {
        cancelSearch();
        model_->setBlock(std::nullopt);
        title_->setText(tr("No block selected"));
    });
    if (selection_->current()) showBlock(*selection_->current());
}

void BlockInfoView::setBlockMap(std::shared_ptr<const BlockMap> map) {
    model_->setBlockMap(std::move(map));
}

bool BlockInfoView::searching() const {
    return searching_;
}

void BlockInfoView::showBlock(const BlockRef& ref) {
    if (!doc_) return;
    if (model_->block() == ref) return;
    cancelSearch();
    model_->setBlock(ref);
    title_->setText(tr("<b>%1</b>").arg(ref.describe()));
    startSearch(ref);
}

void BlockInfoView::cancelSearch() {
    if (cancel_) cancel_->store(true);
    cancel_.reset();
    ++generation_;
    searching_ = false;
}

void BlockInfoView::startSearch(const BlockRef& ref) {
    if (ref.isMetadata() && ref.block >= doc_->deviceBlocks()) return;
    if (!doc_->isThin()) {
        // The referrer search walks thin trees; cache and era blocks are mapped by role, with
        // what points at each, in the Cache / Era tab's metadata block map.
        model_->setReferrerStatus(
            tr("see the Metadata blocks map of the %1 tab")
                .arg(doc_->kind() == MetadataKind::Cache ? tr("Cache") : tr("Era")));
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    cancel_ = cancel;
    const std::uint64_t gen = generation_;
    searching_ = true;
    std::shared_ptr<ThinPoolDocument> doc = doc_;
    std::shared_ptr<Mailbox> box = mailbox_;
    if (ref.isMetadata()) {
        model_->setReferrerStatus(tr("searching…"));
    } else {
        model_->setDataBlockStatus(tr("searching…"));
        // The data-block walk cannot be cancelled: one at a time, the latest request waits.
        if (dataRunning_) {
            dataPending_ = ref;
            return;
        }
        dataRunning_ = true;
    }
    // Detached: the document and the mailbox are shared, so the thread owns what it uses; a
    // cancelled referrer search ends within 16 nodes.
    std::thread([doc, box, cancel, gen, ref] {
        if (ref.isMetadata()) {
            int lastPercent = -1;
            auto progress = [&](std::uint64_t done, std::uint64_t total) {
                const int percent =
                    total ? int(std::min<std::uint64_t>(99, done * 100 / total)) : 0;
                if (percent != lastPercent) {
                    lastPercent = percent;
                    box->post([box, gen, percent] {
                        BlockInfoView* v = box->view;
                        if (v && v->generation_ == gen)
                            v->model_->setReferrerStatus(tr("searching… %1%").arg(percent));
                    });
                }
                return !cancel->load();
            };
            auto found = ReferrerSearch(doc->metadata()).find(ref.block, progress);
            if (cancel->load()) return;
            auto result = std::make_shared<decltype(found)>(std::move(found));
            box->post([box, gen, ref, result] {
                BlockInfoView* v = box->view;
                if (!v || v->generation_ != gen) return;
                v->searching_ = false;
                if (*result)
                    v->model_->setReferrers(ref.block, std::move(**result));
                else
                    v->model_->setReferrerStatus(
                        QString::fromStdString(result->error().describe()));
                emit v->searchFinished();
            });
        } else {
            auto users = findDataBlockUsers(doc->metadata(), ref.block);
            auto result = std::make_shared<decltype(users)>(std::move(users));
            box->post([box, gen, ref, result] {
                BlockInfoView* v = box->view;
                if (!v) return;
                v->dataRunning_ = false;
                if (v->generation_ != gen) {
                    auto next = std::exchange(v->dataPending_, std::nullopt);
                    if (next && v->model_->block() == *next) v->startSearch(*next);
                    return;
                }
                v->dataPending_.reset();
                v->searching_ = false;
                if (*result)
                    v->model_->setDataBlockUsers(ref.block, std::move(**result));
                else
                    v->model_->setDataBlockStatus(
                        QString::fromStdString(result->error().describe()));
                emit v->searchFinished();
            });
        }
    }).detach();
}

void BlockInfoView::activated(const QModelIndex& index) {
    if (!selection_ || !index.isValid()) return;
    const QVariant ref = index.data(BlockRefRole);
    if (ref.isValid() && ref.value<BlockRef>() != model_->block())
        selection_->select(ref.value<BlockRef>(), this);
}

} // namespace dms
