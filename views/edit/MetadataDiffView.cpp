#include "views/edit/MetadataDiffView.h"

#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/edit/EditSession.h"
#include "models/edit/MetadataDiffModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {
namespace {

QString stateName(int k, int n) {
    if (k == 0) return QObject::tr("as opened");
    if (k == n) return QObject::tr("current (after transaction %1)").arg(k);
    return QObject::tr("after transaction %1").arg(k);
}

QString summaryOf(const MetadataDiff& d) {
    std::uint64_t present[3] = {0, 0, 0}, blocks[4] = {0, 0, 0, 0};
    for (const DeviceDelta& dev : d.devices) {
        ++present[static_cast<int>(dev.presence)];
        for (int k = 0; k < 4; ++k)
            blocks[k] += dev.blocks[k];
    }
    QString s = QObject::tr("<b>%1 blocks changed</b> · devices: %2 in both, %3 left_only, %4 "
                            "right_only<br>mapped blocks: %5 same, %6 different, %7 left_only, "
                            "%8 right_only")
                    .arg(d.changedBlocks.size())
                    .arg(present[0])
                    .arg(present[1])
                    .arg(present[2])
                    .arg(blocks[0])
                    .arg(blocks[1])
                    .arg(blocks[2])
                    .arg(blocks[3]);
    if (d.countsCompared)
        s += QObject::tr(" · reference counts changed: %1 metadata, %2 data")
                 .arg(d.metadataCounts.size())
                 .arg(d.dataCounts.size());
    else
        s += QObject::tr(" · reference counts not compared (the held copy has no space maps)");
    return s;
}

} // namespace

MetadataDiffView::MetadataDiffView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)), model_(new MetadataDiffModel(this)),
      left_(new QComboBox(this)), right_(new QComboBox(this)), pickers_(new QWidget(this)),
      title_(new QLabel(this)), summary_(new QLabel(this)), blocks_(new QListWidget(this)),
      devices_(new QTableView(this)), runs_(new QPlainTextEdit(this)) {
    auto* pick = new QHBoxLayout(pickers_);
    pick->setContentsMargins(0, 0, 0, 0);
    pick->addWidget(new QLabel(tr("Compare"), pickers_));
    pick->addWidget(left_, 1);
    pick->addWidget(new QLabel(tr("with"), pickers_));
    pick->addWidget(right_, 1);
    left_->setToolTip(tr("The left side (thin_delta's --snap1)"));
    right_->setToolTip(tr("The right side (thin_delta's --snap2)"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    devices_->setModel(model_);
    devices_->setSelectionBehavior(QAbstractItemView::SelectRows);
    devices_->setSelectionMode(QAbstractItemView::SingleSelection);
    devices_->verticalHeader()->hide();
    devices_->horizontalHeader()->setStretchLastSection(true);
    runs_->setReadOnly(true);
    runs_->setPlaceholderText(tr("Pick a device to see its runs as thin_delta prints them"));
    runs_->setFont(QFont(QStringLiteral("monospace")));
    blocks_->setToolTip(tr("Metadata blocks whose bytes differ: click one to select it"));

    auto* blockColumn = new QWidget(this);
    auto* bl = new QVBoxLayout(blockColumn);
    bl->setContentsMargins(0, 0, 0, 0);
    bl->addWidget(new QLabel(tr("Blocks changed"), blockColumn));
    bl->addWidget(blocks_, 1);
    auto* deviceColumn = new QSplitter(Qt::Vertical, this);
    deviceColumn->addWidget(devices_);
    deviceColumn->addWidget(runs_);
    deviceColumn->setSizes({300, 160});
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(blockColumn);
    split->addWidget(deviceColumn);
    split->setSizes({180, 700});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pickers_);
    layout->addWidget(title_);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);
    pickers_->hide();
    title_->setText(tr("Nothing compared yet"));

    connect(left_, &QComboBox::currentIndexChanged, this, &MetadataDiffView::pickersChanged);
    connect(right_, &QComboBox::currentIndexChanged, this, &MetadataDiffView::pickersChanged);
    connect(blocks_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (selection_)
            selection_->select(BlockRef::metadata(item->data(Qt::UserRole).toULongLong()), this);
    });
    connect(devices_, &QTableView::clicked, this,
            [this](const QModelIndex& index) { showRuns(index.row()); });
}

void MetadataDiffView::setSelection(BlockSelection* selection) {
    selection_ = selection;
}

void MetadataDiffView::setSession(EditSession* session) {
    if (connection_) disconnect(connection_);
    session_ = session;
    if (session_)
        connection_ = connect(session_, &EditSession::committed, this, [this] { fillPickers(); });
    pickers_->setVisible(session_ != nullptr);
    fillPickers();
}

// Left: the state before the last transaction; right: the current one.
void MetadataDiffView::fillPickers() {
    const int n = session_ ? session_->history().size() : 0;
    {
        const QSignalBlocker bl(left_), br(right_);
        left_->clear();
        right_->clear();
        for (int k = 0; k <= n && session_; ++k) {
            left_->addItem(stateName(k, n), k);
            right_->addItem(stateName(k, n), k);
        }
        left_->setCurrentIndex(std::max(0, n - 1));
        right_->setCurrentIndex(n);
    }
    if (session_ && n > 0)
        pickersChanged();
    else if (session_)
        title_->setText(tr("Commit a transaction to compare states"));
}

void MetadataDiffView::pickersChanged() {
    if (!session_ || left_->currentIndex() < 0 || right_->currentIndex() < 0) return;
    compareStates(left_->currentData().toInt(), right_->currentData().toInt());
}

void MetadataDiffView::compareStates(int a, int b) {
    if (!session_) return;
    const int n = session_->history().size();
    {
        const QSignalBlocker bl(left_), br(right_);
        left_->setCurrentIndex(left_->findData(a));
        right_->setCurrentIndex(right_->findData(b));
    }
    auto sa = session_->stateAt(a);
    auto sb = session_->stateAt(b);
    if (!sa || !sb) {
        showDiff({}, tr("State %1").arg(!sa ? a : b),
                 QString::fromStdString((!sa ? sa : sb).error().describe()));
        return;
    }
    // Only the blocks the transactions in between wrote can differ.
    auto candidates = session_->history().blocksBetween(a, b);
    const QString title = tr("<b>%1</b> → <b>%2</b>").arg(stateName(a, n), stateName(b, n));
    if (candidates.empty()) {
        // Same state: compare the trees anyway (an empty candidate list means "every block").
        candidates.push_back(0);
    }
    run([l = *sa, r = *sb, c = std::move(candidates)] { return MetadataDiffer::compare(l, r, c); },
        title);
}

void MetadataDiffView::compareSources(std::shared_ptr<const BlockSource> left,
                                      std::shared_ptr<const BlockSource> right,
                                      const QString& leftName, const QString& rightName) {
    pickers_->hide();
    run([left, right] { return MetadataDiffer::compare(left, right); },
        tr("<b>%1</b> → <b>%2</b>").arg(leftName.toHtmlEscaped(), rightName.toHtmlEscaped()));
}

void MetadataDiffView::compareHeldWithLive(std::shared_ptr<const BlockSource> source,
                                           const QString& name) {
    pickers_->hide();
    run([source] { return MetadataDiffer::compareHeldWithLive(source); },
        tr("<b>held metadata snapshot</b> → <b>live superblock</b> of %1")
            .arg(name.toHtmlEscaped()));
}

void MetadataDiffView::run(std::function<Expected<MetadataDiff>()> work, const QString& title) {
    title_->setText(title);
    summary_->setText(tr("Comparing…"));
    job_->start([this, work = std::move(work), title](const std::atomic<bool>&) {
        auto result = std::make_shared<Expected<MetadataDiff>>(work());
        return BackgroundJob::Deliver([this, result, title] {
            if (*result)
                showDiff(std::move(**result), title, {});
            else
                showDiff({}, title, QString::fromStdString(result->error().describe()));
        });
    });
}

void MetadataDiffView::showDiff(MetadataDiff diff, const QString& title, const QString& error) {
    blocks_->clear();
    for (std::uint64_t b : diff.changedBlocks) {
        auto* item = new QListWidgetItem(tr("block %1").arg(b), blocks_);
        item->setData(Qt::UserRole, qulonglong(b));
    }
    model_->setDiff(std::move(diff));
    runs_->clear();
    title_->setText(title);
    summary_->setText(error.isEmpty() ? summaryOf(model_->diff())
                                      : tr("<span style='color:#c62828'>Cannot compare: "
                                           "%1</span>")
                                            .arg(error.toHtmlEscaped()));
    emit diffReady();
}

void MetadataDiffView::showRuns(int row) {
    const auto& devices = model_->diff().devices;
    if (row < 0 || row >= static_cast<int>(devices.size())) return;
    QString text;
    for (const MappingRun& r : devices[std::size_t(row)].runs)
        text += QStringLiteral("<%1 begin=\"%2\" length=\"%3\"/>\n")
                    .arg(QLatin1String(mappingRunKindName(r.kind)))
                    .arg(r.begin)
                    .arg(r.length);
    runs_->setPlainText(text.isEmpty() ? tr("(no mappings on either side)") : text);
}

bool MetadataDiffView::isBusy() const {
    return job_->isRunning();
}

const MetadataDiff& MetadataDiffView::diff() const {
    return model_->diff();
}

QString MetadataDiffView::summaryText() const {
    return title_->text() + QLatin1Char('\n') + summary_->text();
}

QString MetadataDiffView::runsText() const {
    return runs_->toPlainText();
}

} // namespace dms
