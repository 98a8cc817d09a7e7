#include "views/era/EraView.h"

#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/CacheEraDocument.h"
#include "models/CacheEraLoad.h"
#include "models/ModelRoles.h"
#include "models/ThinPoolDocument.h"
#include "models/era/EraWritesetModel.h"
#include "views/common/CellGrid.h"
#include "views/common/MetadataRoleMap.h"
#include "views/common/SwatchLegend.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {
namespace {

// A perceptually ordered scale (viridis), old eras dark, recent ones bright.
const QColor kScale[] = {QColor(0x44, 0x01, 0x54), QColor(0x48, 0x28, 0x78),
                         QColor(0x3e, 0x49, 0x89), QColor(0x31, 0x68, 0x8e),
                         QColor(0x26, 0x82, 0x8e), QColor(0x1f, 0x9e, 0x89),
                         QColor(0x35, 0xb7, 0x79), QColor(0x6e, 0xce, 0x58),
                         QColor(0xb5, 0xde, 0x2b), QColor(0xfd, 0xe7, 0x25)};
constexpr std::uint32_t kSteps = std::size(kScale);
const QColor kBad(0xd0, 0x30, 0x30);

} // namespace

EraView::EraView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)), writesets_(new EraWritesetModel(this)),
      grid_(new CellGrid(this)), legend_(new SwatchLegend(this)), summary_(new QLabel(this)),
      details_(new QLabel(this)), hover_(new QLabel(this)), sinceLabel_(new QLabel(this)),
      sinceBox_(new QCheckBox(tr("Highlight blocks written since era"), this)),
      sinceEra_(new QSpinBox(this)), table_(new QTableView(this)),
      roleMap_(new MetadataRoleMap(this)), parts_(new QTabWidget(this)) {
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_->setWordWrap(true);
    details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    hover_->setMinimumHeight(hover_->fontMetrics().height());
    sinceLabel_->setWordWrap(true);
    sinceEra_->setRange(0, 0);

    table_->setModel(writesets_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);

    auto* sinceBar = new QHBoxLayout;
    sinceBar->addWidget(sinceBox_);
    sinceBar->addWidget(sinceEra_);
    sinceBar->addStretch(1);

    auto* left = new QWidget(this);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addLayout(sinceBar);
    ll->addWidget(grid_, 1);
    ll->addWidget(legend_);
    // Below the heat map (which takes the full width): the writesets, and the chosen block.
    auto* right = new QWidget(this);
    auto* rl = new QHBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    auto* tableColumn = new QVBoxLayout;
    tableColumn->addWidget(new QLabel(tr("<b>Writesets</b>"), right));
    tableColumn->addWidget(table_, 1);
    auto* textColumn = new QVBoxLayout;
    textColumn->addWidget(sinceLabel_);
    textColumn->addWidget(details_, 1);
    rl->addLayout(tableColumn, 3);
    rl->addLayout(textColumn, 2);
    right->setMinimumHeight(10 * fontMetrics().lineSpacing());
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    parts_->addTab(left, tr("Heat map"));
    parts_->addTab(roleMap_, tr("Metadata blocks"));
    left->setObjectName(QStringLiteral("heatmap"));
    roleMap_->setObjectName(QStringLiteral("metadata"));
    connect(roleMap_, &MetadataRoleMap::blockClicked, this, [this](quint64 b) {
        if (selection_) selection_->select(BlockRef::metadata(b), this);
    });
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(parts_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(0, 5);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(summary_);
    layout->addWidget(splitter, 1);
    layout->addWidget(hover_);

    auto sinceChanged = [this] {
        setWrittenSince(sinceBox_->isChecked() ? std::optional<std::uint32_t>(sinceEra_->value())
                                               : std::nullopt);
    };
    connect(sinceBox_, &QCheckBox::toggled, this, sinceChanged);
    connect(sinceEra_, &QSpinBox::valueChanged, this, sinceChanged);
    connect(grid_, &CellGrid::itemClicked, this,
            [this](quint64 b) { chooseBlock(std::uint32_t(b)); });
    connect(grid_, &CellGrid::itemHovered, this, [this](qint64 i) {
        if (i < 0 || !contents_) {
            hover_->clear();
            return;
        }
        const auto b = std::uint32_t(i);
        const quint64 k = grid_->itemsPerCell();
        hover_->setText(tr("block %1: era %2%3")
                            .arg(b)
                            .arg(contents_->era(b))
                            .arg(k > 1 ? tr(" (this square: blocks %1..%2, latest era shown)")
                                             .arg(b)
                                             .arg(b + k - 1)
                                       : QString()));
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& cur) {
                const QVariant ref = cur.data(BlockRefRole);
                if (selection_ && ref.isValid()) selection_->select(ref.value<BlockRef>(), this);
            });
    setDocument(nullptr);
}

EraView::~EraView() = default;

void EraView::setSelection(BlockSelection* selection) {
    selection_ = selection;
}

void EraView::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    job_->cancel();
    roleMap_->setRoles(nullptr);
    show(nullptr);
    if (!doc_ || !doc_->cacheEra() || !doc_->cacheEra()->isEra()) {
        summary_->setText(tr("No dm-era metadata open"));
        return;
    }
    summary_->setText(tr("Reading the era array and the writesets…"));
    startCacheEraLoad(
        *job_, doc_->cacheEra(),
        [](const CacheEraDocument& ce, const std::atomic<bool>* cancel) {
            return EraContents::load(ce.reader(), ce.era(), cancel);
        },
        [this](std::shared_ptr<const EraContents> contents, qint64 ms,
               std::shared_ptr<const CacheEraBlockRoles> roles) {
            readMs_ = ms;
            roleMap_->setRoles(std::move(roles));
            show(std::move(contents));
        });
}

std::uint8_t EraView::classOf(std::uint32_t era) const {
    if (era == 0) return 0;
    const std::uint32_t from = era < minEra_ ? 0 : era - minEra_;
    return std::uint8_t(1 + std::min(kSteps - 1, from / step_));
}

// Few eras are spread over the whole scale, so that neighbouring eras are told apart.
QColor EraView::scaleColour(std::uint32_t step) const {
    if (steps_ <= 1) return kScale[kSteps - 1];
    return kScale[std::min(kSteps - 1, step * (kSteps - 1) / (steps_ - 1))];
}

void EraView::show(std::shared_ptr<const EraContents> contents) {
    contents_ = std::move(contents);
    writesets_->setContents(contents_);
    details_->setText(tr("Click a block to see its era."));
    since_.reset();
    sinceBox_->setChecked(false);
    sinceLabel_->clear();
    if (!contents_) {
        grid_->clear();
        legend_->setEntries({});
        return;
    }
    const EraContents& c = *contents_;
    minEra_ = 0;
    for (std::uint32_t e : c.eras())
        if (e > 0 && (minEra_ == 0 || e < minEra_)) minEra_ = e;
    if (minEra_ == 0) minEra_ = 1;
    const std::uint32_t top = std::max(c.maxEra(), c.currentEra());
    const std::uint32_t span = top >= minEra_ ? top - minEra_ + 1 : 1;
    step_ = (span + kSteps - 1) / kSteps;
    steps_ = std::min(kSteps, (span + step_ - 1) / step_);
    QList<QPair<QColor, QString>> legend{
        {palette().color(QPalette::AlternateBase).darker(112), tr("era 0 (not written); eras:")}};
    for (std::uint32_t i = 0; i < kSteps && minEra_ + i * step_ <= top; ++i) {
        const std::uint32_t a = minEra_ + i * step_;
        const std::uint32_t b = std::min(top, a + step_ - 1);
        legend.append(
            {scaleColour(i), a == b ? QString::number(a) : QStringLiteral("%1-%2").arg(a).arg(b)});
    }
    legend_->setEntries(legend);
    sinceEra_->setRange(0, int(std::max(top, c.currentEra())));
    sinceEra_->setValue(int(std::min(c.currentEra(), std::max(minEra_, 1u))));
    repaintMap();
    std::uint64_t written = 0;
    for (std::uint32_t e : c.eras())
        written += e != 0;
    std::size_t archived = 0;
    for (const auto& w : c.writesets())
        archived += !w.live;
    QString text = tr("dm-era · %1 blocks of %2 sectors · current era %3 · %4 block(s) written "
                      "in era 1 or later (highest era in the array %5) · %6 archived writeset(s)%7")
                       .arg(c.nrBlocks())
                       .arg(doc_->cacheEra()->era().dataBlockSize)
                       .arg(c.currentEra())
                       .arg(written)
                       .arg(c.maxEra())
                       .arg(archived)
                       .arg(archived < c.writesets().size() ? tr(" and the live one") : QString());
    text += tr(" · read in %1 ms").arg(readMs_);
    if (!c.errors().empty())
        text += tr(" · <span style='color:#c03030'>%1 read error(s): %2</span>")
                    .arg(c.errors().size())
                    .arg(QString::fromStdString(c.errors().front()).toHtmlEscaped());
    summary_->setText(text);
    emit loaded();
}

void EraView::repaintMap() {
    if (!contents_) return;
    const EraContents& c = *contents_;
    QVector<QColor> colors{palette().color(QPalette::AlternateBase).darker(112)};
    for (std::uint32_t i = 0; i < kSteps; ++i)
        colors << scaleColour(i);
    colors << kBad;
    const auto bad = std::uint8_t(kSteps + 1);
    std::vector<std::uint8_t> classes(c.nrBlocks(), 0);
    if (!since_) {
        for (std::uint32_t b = 0; b < c.nrBlocks(); ++b)
            classes[b] = c.readable(b) ? classOf(c.era(b)) : bad;
    } else {
        const std::vector<std::uint8_t> marked = c.writtenSince(*since_);
        for (std::uint32_t b = 0; b < c.nrBlocks(); ++b)
            classes[b] = !c.readable(b) ? bad
                         : marked[b]
                             ? std::max<std::uint8_t>(1, classOf(std::max(c.era(b), *since_)))
                             : 0;
    }
    grid_->setCells(std::move(classes), colors);
}

std::uint64_t EraView::setWrittenSince(std::optional<std::uint32_t> era) {
    since_ = era;
    if (era) {
        const QSignalBlocker a(sinceBox_), b(sinceEra_);
        sinceBox_->setChecked(true);
        sinceEra_->setValue(int(*era));
    }
    repaintMap();
    if (!contents_ || !era) {
        sinceLabel_->clear();
        return 0;
    }
    std::uint64_t n = 0;
    for (std::uint8_t m : contents_->writtenSince(*era))
        n += m;
    sinceLabel_->setText(tr("%1 block(s) written since era %2: what <tt>era_invalidate "
                            "--written-since %2</tt> lists (era array &gt;= %2, and the "
                            "archived writesets of era %2 and later)")
                             .arg(n)
                             .arg(*era));
    return n;
}

void EraView::chooseBlock(std::uint32_t b) {
    if (!contents_ || b >= contents_->nrBlocks()) return;
    const std::uint64_t block = contents_->eraArrayBlockOf(b);
    QString text = tr("<b>Block %1</b><br>era: %2%3<br>")
                       .arg(b)
                       .arg(contents_->era(b))
                       .arg(contents_->readable(b) ? QString() : tr(" (unreadable)"));
    QStringList in;
    for (const EraWritesetSummary& w : contents_->writesets())
        if (!w.words.empty() && b < w.nrBits && ((w.words[b / 64] >> (b % 64)) & 1))
            in << (w.live ? tr("%1 (live)").arg(w.era) : QString::number(w.era));
    text += tr("set in the writesets of era: %1<br>")
                .arg(in.isEmpty() ? tr("none") : in.join(QStringLiteral(", ")));
    text += tr("era-array entry: metadata block %1, slot %2").arg(block).arg(b % 1018);
    details_->setText(text);
    grid_->setCurrentItem(b);
    if (selection_ && block) selection_->select(BlockRef::metadata(block), this);
    if (block) emit entryChosen(block, int(b % 1018));
    emit blockChosen(b);
}

bool EraView::showPart(const QString& name) {
    for (int i = 0; i < parts_->count(); ++i)
        if (parts_->widget(i)->objectName() == name) {
            parts_->setCurrentIndex(i);
            return true;
        }
    return false;
}

QString EraView::summaryText() const {
    return summary_->text();
}

QString EraView::detailsText() const {
    return details_->text();
}

QString EraView::sinceText() const {
    return sinceLabel_->text();
}

QStringList EraView::legendLabels() const {
    return legend_->labels();
}

} // namespace dms
