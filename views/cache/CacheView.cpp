#include "views/cache/CacheView.h"

#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/CacheEraDocument.h"
#include "models/CacheEraLoad.h"
#include "models/ThinPoolDocument.h"
#include "models/cache/CacheBlockModel.h"
#include "models/cache/CacheCellClasses.h"
#include "views/common/CellGrid.h"
#include "views/common/MetadataRoleMap.h"
#include "views/common/SwatchLegend.h"

#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {
namespace {

const QColor kClean(0x3f, 0x8f, 0xc8);
const QColor kDirty(0xe8, 0x7a, 0x1e);
const QColor kBad(0xd0, 0x30, 0x30);
const QColor kDiscarded(0x8a, 0x6f, 0xc8);

QWidget* gridPage(QWidget* parent, QLabel* caption, CellGrid* grid, SwatchLegend* legend) {
    auto* page = new QWidget(parent);
    auto* l = new QVBoxLayout(page);
    caption->setWordWrap(true);
    l->addWidget(caption);
    l->addWidget(grid, 1);
    l->addWidget(legend);
    return page;
}

} // namespace

CacheView::CacheView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)), model_(new CacheBlockModel(this)),
      summary_(new QLabel(this)), details_(new QLabel(this)), hover_(new QLabel(this)),
      parts_(new QTabWidget(this)), blockGrid_(new CellGrid(this)), originGrid_(new CellGrid(this)),
      discardGrid_(new CellGrid(this)), blockLegend_(new SwatchLegend(this)),
      originLegend_(new SwatchLegend(this)), discardLegend_(new SwatchLegend(this)),
      originCaption_(new QLabel(this)), discardCaption_(new QLabel(this)),
      policy_(new QLabel(this)), table_(new QTableView(this)), roleMap_(new MetadataRoleMap(this)) {
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    details_->setWordWrap(true);
    hover_->setMinimumHeight(hover_->fontMetrics().height());

    auto* blocksCaption = new QLabel(tr("Every cache block of the mapping array, in order."), this);
    parts_->addTab(gridPage(parts_, blocksCaption, blockGrid_, blockLegend_), tr("Cache blocks"));
    parts_->addTab(gridPage(parts_, originCaption_, originGrid_, originLegend_),
                   tr("By origin region"));
    auto* hintPage = new QWidget(parts_);
    auto* hl = new QVBoxLayout(hintPage);
    policy_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    policy_->setWordWrap(true);
    hl->addWidget(policy_);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 4);
    table_->horizontalHeader()->setStretchLastSection(true);
    hl->addWidget(table_, 1);
    parts_->addTab(hintPage, tr("Hints && policy"));
    parts_->addTab(gridPage(parts_, discardCaption_, discardGrid_, discardLegend_), tr("Discards"));
    parts_->widget(0)->setObjectName(QStringLiteral("blocks"));
    parts_->widget(1)->setObjectName(QStringLiteral("origin"));
    parts_->widget(2)->setObjectName(QStringLiteral("hints"));
    parts_->widget(3)->setObjectName(QStringLiteral("discards"));
    parts_->addTab(roleMap_, tr("Metadata blocks"));
    roleMap_->setObjectName(QStringLiteral("metadata"));
    connect(roleMap_, &MetadataRoleMap::blockClicked, this, [this](quint64 b) {
        if (selection_) selection_->select(BlockRef::metadata(b), this);
    });

    // The maps take the full width; the chosen cache block's details sit below them.
    details_->setMinimumHeight(5 * details_->fontMetrics().lineSpacing());
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(summary_);
    layout->addWidget(parts_, 1);
    layout->addWidget(hover_);
    layout->addWidget(details_);

    blockGrid_->setAggregate(CellGrid::Aggregate::Blend);
    connect(blockGrid_, &CellGrid::itemClicked, this,
            [this](quint64 cb) { chooseCacheBlock(std::uint32_t(cb)); });
    connect(originGrid_, &CellGrid::itemClicked, this, &CacheView::originClicked);
    for (CellGrid* g : {blockGrid_, originGrid_, discardGrid_})
        connect(g, &CellGrid::itemHovered, this, [this, g](qint64 i) { hovered(g, i); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& cur) {
                if (cur.isValid()) chooseCacheBlock(std::uint32_t(cur.row()));
            });
    setDocument(nullptr);
}

CacheView::~CacheView() = default;

void CacheView::setSelection(BlockSelection* selection) {
    if (selection_) disconnect(selection_, nullptr, this, nullptr);
    selection_ = selection;
    if (selection_) connect(selection_, &BlockSelection::currentChanged, this, &CacheView::follow);
}

// A mapping array block selected elsewhere (inspector, b-trees, space maps): its cache blocks
// are pointed at in the map.
void CacheView::follow(const BlockRef& ref, const QObject* origin) {
    if (origin == this || !contents_ || !ref.isMetadata()) return;
    const auto range = contents_->cacheBlocksIn(ref.block);
    if (!range) return;
    blockGrid_->setCurrentItem(range->first);
    hover_->setText(tr("metadata block %1 holds the mappings of cache blocks %2..%3")
                        .arg(ref.block)
                        .arg(range->first)
                        .arg(range->second));
}

void CacheView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    job_->cancel();
    roleMap_->setRoles(nullptr);
    show(nullptr);
    if (!doc_ || !doc_->cacheEra() || !doc_->cacheEra()->isCache()) {
        summary_->setText(tr("No dm-cache metadata open"));
        return;
    }
    summary_->setText(tr("Reading the mapping, hint and discard arrays…"));
    startCacheEraLoad(
        *job_, doc_->cacheEra(),
        [](const CacheEraDocument& ce, const std::atomic<bool>* cancel) {
            return CacheContents::load(ce.reader(), ce.cache(), cancel);
        },
        [this](std::shared_ptr<const CacheContents> contents, qint64 ms,
               std::shared_ptr<const CacheEraBlockRoles> roles) {
            readMs_ = ms;
            roleMap_->setRoles(std::move(roles));
            show(std::move(contents));
        });
}

void CacheView::show(std::shared_ptr<const CacheContents> contents) {
    contents_ = std::move(contents);
    model_->setContents(contents_);
    details_->setText(tr("Click a cache block to see its mapping."));
    hover_->clear();
    const QColor unmapped = palette().color(QPalette::AlternateBase).darker(112);
    const QColor none = palette().color(QPalette::AlternateBase).darker(106);
    blockLegend_->setEntries({{unmapped, tr("unmapped")},
                              {kClean, tr("clean")},
                              {kDirty, tr("dirty")},
                              {kBad, tr("unreadable")}});
    originLegend_->setEntries(
        {{none, tr("not cached")}, {kClean, tr("cached, clean")}, {kDirty, tr("holds dirty")}});
    discardLegend_->setEntries({{unmapped, tr("not discarded")}, {kDiscarded, tr("discarded")}});
    if (!contents_) {
        blockGrid_->clear();
        originGrid_->clear();
        discardGrid_->clear();
        policy_->clear();
        return;
    }
    const CacheContents& c = *contents_;
    const CacheSuperblock& sb = doc_->cacheEra()->cache();
    blockGrid_->setCells(cacheBlockClasses(c), {unmapped, kClean, kDirty, kBad});
    OriginRegions regions = originRegionClasses(c);
    regionSize_ = regions.regionSize;
    regionCounts_ = std::move(regions.cachedBlocks);
    originGrid_->setCells(std::move(regions.classes), {none, kClean, kDirty});
    originCaption_->setText(
        c.originExtent() == 0
            ? tr("No origin block is cached.")
            : tr("Origin blocks 0..%1 (the highest cached one; the metadata does not store the "
                 "origin's size), %2 origin block(s) per square.")
                  .arg(c.originExtent() - 1)
                  .arg(regionSize_));
    discardGrid_->setCells(discardClasses(c), {unmapped, kDiscarded});
    discardCaption_->setText(
        sb.discardRoot == 0
            ? tr("No discard bitset.")
            : tr("%1 discard blocks of %2 sectors; %3 discarded (dm-cache skips promoting them).")
                  .arg(c.discardBlocks())
                  .arg(sb.discardBlockSize)
                  .arg(c.discardedCount()));
    policy_->setText(
        tr("Policy <b>%1</b> version %2.%3.%4 · hint width %5 bytes%6 · policy_hint_size field %7")
            .arg(QString::fromStdString(sb.policy()).toHtmlEscaped())
            .arg(sb.policyVersion[0])
            .arg(sb.policyVersion[1])
            .arg(sb.policyVersion[2])
            .arg(c.hintWidth())
            .arg(c.hasHints() ? tr(" (from the hint array's blocks)") : tr(", no hint array"))
            .arg(sb.policyHintSize));
    QString text =
        tr("dm-cache format %1 · %2 cache blocks of %3 sectors · %4 mapped · %5 dirty (%6) · "
           "%7 unmapped")
            .arg(c.format())
            .arg(c.cacheBlocks())
            .arg(sb.dataBlockSize)
            .arg(c.valid())
            .arg(c.dirty())
            .arg(c.format() == 2 ? tr("from the dirty bitset") : tr("from the mapping flags"))
            .arg(c.cacheBlocks() - c.valid());
    text += tr(" · read in %1 ms").arg(readMs_);
    if (!c.errors().empty())
        text += tr(" · <span style='color:#c03030'>%1 read error(s): %2</span>")
                    .arg(c.errors().size())
                    .arg(QString::fromStdString(c.errors().front()).toHtmlEscaped());
    summary_->setText(text);
    emit loaded();
}

void CacheView::chooseCacheBlock(std::uint32_t cb) {
    if (!contents_ || cb >= contents_->cacheBlocks()) return;
    const CacheContents& c = *contents_;
    const CacheContents::State st = c.state(cb);
    const std::uint64_t m = c.mapping(cb);
    QString text =
        tr("<b>Cache block %1</b><br>state: %2<br>").arg(cb).arg(CacheBlockModel::stateName(st));
    if (st == CacheContents::Clean || st == CacheContents::Dirty)
        text += tr("origin block: %1<br>").arg(CacheContents::originOf(m));
    if (st != CacheContents::Unreadable)
        text += tr("mapping value: 0x%1 (flags %2%3)<br>")
                    .arg(m, 0, 16)
                    .arg(CacheContents::flagsOf(m))
                    .arg(c.format() == 2 ? tr(", dirty bit %1").arg(c.dirtyBit(cb) ? 1 : 0)
                                         : QString());
    if (c.hasHints())
        text += tr("hint: %1 (in block %2)<br>")
                    .arg(CacheBlockModel::hintText(c, cb))
                    .arg(c.hintBlockOf(cb));
    const std::uint64_t block = c.mappingBlockOf(cb);
    text += tr("mapping entry: metadata block %1, slot %2").arg(block).arg(cb % 509);
    details_->setText(text);
    blockGrid_->setCurrentItem(cb);
    if (selection_ && block) selection_->select(BlockRef::metadata(block), this);
    if (block) emit entryChosen(block, int(cb % 509));
    emit cacheBlockChosen(cb);
}

void CacheView::originClicked(quint64 region) {
    if (!contents_) return;
    const std::uint64_t first = region * regionSize_;
    const std::uint64_t last = first + regionSize_ - 1;
    for (std::uint32_t cb = 0; cb < contents_->cacheBlocks(); ++cb) {
        const auto st = contents_->state(cb);
        if (st != CacheContents::Clean && st != CacheContents::Dirty) continue;
        const std::uint64_t o = CacheContents::originOf(contents_->mapping(cb));
        if (o >= first && o <= last) {
            chooseCacheBlock(cb);
            return;
        }
    }
    details_->setText(tr("Origin blocks %1..%2: nothing cached").arg(first).arg(last));
}

void CacheView::hovered(CellGrid* grid, qint64 item) {
    if (item < 0 || !contents_) {
        hover_->clear();
        return;
    }
    const auto i = quint64(item);
    const quint64 k = grid->itemsPerCell();
    const QString span = k > 1 ? tr(" (this square: %1..%2)").arg(i).arg(i + k - 1) : QString();
    if (grid == blockGrid_) {
        const auto cb = std::uint32_t(i);
        QString t =
            tr("cache block %1: %2").arg(cb).arg(CacheBlockModel::stateName(contents_->state(cb)));
        if (contents_->state(cb) == CacheContents::Clean ||
            contents_->state(cb) == CacheContents::Dirty)
            t += tr(" -> origin %1").arg(CacheContents::originOf(contents_->mapping(cb)));
        hover_->setText(t + span);
    } else if (grid == originGrid_) {
        hover_->setText(tr("origin blocks %1..%2: %3 cached")
                            .arg(i * regionSize_)
                            .arg((i + 1) * regionSize_ - 1)
                            .arg(i < regionCounts_.size() ? regionCounts_[i] : 0));
    } else {
        hover_->setText(tr("discard block %1: %2")
                            .arg(i)
                            .arg(contents_->discarded(i) ? tr("discarded") : tr("not discarded")) +
                        span);
    }
}

bool CacheView::showPart(const QString& name) {
    for (int i = 0; i < parts_->count(); ++i)
        if (parts_->widget(i)->objectName() == name) {
            parts_->setCurrentIndex(i);
            return true;
        }
    return false;
}

QString CacheView::summaryText() const {
    return summary_->text();
}

QString CacheView::detailsText() const {
    return details_->text();
}

} // namespace dms
