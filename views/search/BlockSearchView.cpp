#include "views/search/BlockSearchView.h"

#include "core/thin/DataBlockOwners.h"
#include "core/thin/ReferrerSearch.h"
#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/SearchResultsModel.h"
#include "models/ThinPoolDocument.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {
namespace {

std::vector<SearchHit> hitsOf(const DataBlockOwners& owners) {
    std::vector<SearchHit> hits;
    for (const DataBlockUse& u : owners.uses)
        hits.push_back({QObject::tr("thin %1, virtual block %2").arg(u.device).arg(u.virtualBlock),
                        QObject::tr("time %1, in mapping leaf %2").arg(u.time).arg(u.leaf),
                        BlockRef::metadata(u.leaf)});
    for (const std::string& e : owners.errors)
        hits.push_back({QObject::tr("unreadable part of the mapping tree"),
                        QString::fromStdString(e), BlockRef::metadata(0)});
    return hits;
}

std::vector<SearchHit> hitsOf(const std::vector<Referrer>& referrers) {
    std::vector<SearchHit> hits;
    for (const Referrer& r : referrers)
        hits.push_back({QObject::tr("block %1, %2 (%3)")
                            .arg(r.parent)
                            .arg(QString::fromStdString(r.field),
                                 QString::fromLatin1(referrerKindName(r.kind))),
                        QString::fromStdString(r.path), BlockRef::metadata(r.parent)});
    return hits;
}

} // namespace

BlockSearchView::BlockSearchView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)), results_(new SearchResultsModel(this)),
      kind_(new QComboBox(this)), input_(new QLineEdit(this)), go_(new QPushButton(this)),
      status_(new QLabel(this)), table_(new QTableView(this)) {
    kind_->addItem(tr("Which devices map data block"), int(Kind::DataBlockOwners));
    kind_->addItem(tr("Who references metadata block"), int(Kind::MetadataReferrers));
    input_->setPlaceholderText(tr("block number"));
    go_->setText(tr("Search"));
    auto* row = new QHBoxLayout;
    row->addWidget(kind_);
    row->addWidget(input_, 1);
    row->addWidget(go_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(status_);
    layout->addWidget(table_, 1);
    table_->setModel(results_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    setFocusProxy(input_);
    connect(go_, &QPushButton::clicked, this, &BlockSearchView::searchFromInput);
    connect(input_, &QLineEdit::returnPressed, this, &BlockSearchView::searchFromInput);
    connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) {
        if (selection_)
            selection_->select(i.data(SearchResultsModel::BlockRefRole).value<BlockRef>(), this);
    });
    connect(job_, &BackgroundJob::finished, this, &BlockSearchView::searchFinished);
    connect(job_, &BackgroundJob::cancelled, this, [this] { showStatus(tr("Search cancelled")); });
}

void BlockSearchView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    job_->cancel();
    doc_ = std::move(doc);
    results_->clear();
    showStatus(doc_ ? QString() : tr("Nothing open"));
}

void BlockSearchView::setSelection(BlockSelection* selection) {
    selection_ = selection;
    // A selected data block is what the data search asks about next.
    // The selected block is what the search asks about next.
    connect(selection, &BlockSelection::currentChanged, this, [this](const BlockRef& ref) {
        if (isSearching()) return;
        input_->setText(QString::number(ref.block));
        kind_->setCurrentIndex(kind_->findData(
            int(ref.isMetadata() ? Kind::MetadataReferrers : Kind::DataBlockOwners)));
    });
}

void BlockSearchView::searchFromInput() {
    bool ok = false;
    const quint64 block = input_->text().trimmed().toULongLong(&ok, 0);
    if (!ok) {
        showStatus(tr("\"%1\" is not a block number").arg(input_->text()));
        return;
    }
    search(Kind(kind_->currentData().toInt()), block);
}

void BlockSearchView::search(Kind kind, std::uint64_t block) {
    if (!doc_) return;
    results_->clear();
    input_->setText(QString::number(block));
    kind_->setCurrentIndex(kind_->findData(int(kind)));
    auto doc = doc_;
    if (kind == Kind::MetadataReferrers) {
        showStatus(tr("Walking every tree for pointers to metadata block %1…").arg(block));
        job_->start([this, doc, block](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
            QElapsedTimer t;
            t.start();
            ReferrerSearch search(doc->metadata());
            auto found = search.find(block, [&cancel](std::uint64_t, std::uint64_t) {
                return !cancel.load(std::memory_order_relaxed);
            });
            const qint64 ms = t.elapsed();
            const std::uint64_t nodes = search.nodesVisited();
            return [this, found = std::move(found), block, ms, nodes] {
                if (!found) {
                    showStatus(QString::fromStdString(found.error().describe()));
                    return;
                }
                results_->setHits(hitsOf(*found));
                showStatus(tr("Metadata block %1: %2 pointer(s) to it (%3 nodes walked in %4 ms)")
                               .arg(block)
                               .arg(found->size())
                               .arg(nodes)
                               .arg(ms));
            };
        });
        return;
    }
    showStatus(tr("Searching every device's mappings for data block %1…").arg(block));
    job_->start([this, doc, block](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
        QElapsedTimer t;
        t.start();
        auto owners = findDataBlockOwners(doc->metadata(), doc->superblock(), block, &cancel);
        const qint64 ms = t.elapsed();
        return [this, owners = std::move(owners), block, ms] {
            if (!owners) {
                showStatus(QString::fromStdString(owners.error().describe()));
                return;
            }
            results_->setHits(hitsOf(*owners));
            showStatus(tr("Data block %1: mapped %2 times (%3 nodes read in %4 ms)")
                           .arg(block)
                           .arg(owners->uses.size())
                           .arg(owners->nodesRead)
                           .arg(ms));
        };
    });
}

bool BlockSearchView::isSearching() const {
    return job_->isRunning();
}

QString BlockSearchView::statusText() const {
    return status_->text();
}

void BlockSearchView::showStatus(const QString& text) {
    status_->setText(text);
}

} // namespace dms
