#include "views/issues/IssuesView.h"

#include "models/BlockSelection.h"
#include "models/IssuesModel.h"
#include "models/ModelRoles.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace dms {

// Sorts on raw values and hides the severities switched off.
class SeverityFilterProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setShown(int severity, bool shown) {
        if (shown_[severity] == shown) return;
        shown_[severity] = shown;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QVariant s = sourceModel()->index(row, 0, parent).data(SeverityRole);
        return !s.isValid() || shown_[std::clamp(s.toInt(), 0, 2)];
    }

private:
    bool shown_[3] = {true, true, true};
};

namespace {

QIcon dot(const QColor& c, qreal dpr) {
    QPixmap pm(QSize(12, 12) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(c);
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pm);
}

} // namespace

IssuesView::IssuesView(QWidget* parent)
    : QWidget(parent), model_(new IssuesModel(this)), proxy_(new SeverityFilterProxy(this)),
      table_(new QTableView(this)), summary_(new QLabel(this)) {
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(RawValueRole);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(IssuesModel::SeverityColumn, Qt::AscendingOrder);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    // One text line per row (the default section size leaves tall rows in some styles).
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_, &QAbstractItemView::activated, this, &IssuesView::activated);
    connect(table_, &QAbstractItemView::doubleClicked, this, &IssuesView::activated);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    const Severity all[3] = {Severity::Fatal, Severity::NonFatal, Severity::Warning};
    for (int i = 0; i < 3; ++i) {
        auto* b = new QToolButton(this);
        b->setCheckable(true);
        b->setChecked(true);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setIcon(dot(IssuesModel::severityColor(all[i]), devicePixelRatioF()));
        b->setToolTip(tr("Show %1 findings").arg(IssuesModel::severityText(all[i])));
        connect(b, &QToolButton::toggled, this, [this, i](bool on) {
            proxy_->setShown(i, on);
            updateSummary();
        });
        toggles_[i] = b;
        bar->addWidget(b);
    }
    bar->addWidget(summary_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_, 1);
    updateSummary();
}

void IssuesView::setDocument(std::shared_ptr<ThinPoolDocument>) {
    setCheckReport(nullptr);
}

void IssuesView::setSelection(BlockSelection* selection) {
    selection_ = selection;
}

void IssuesView::setCheckReport(std::shared_ptr<const CheckReport> report) {
    model_->setCheckReport(std::move(report));
    table_->resizeColumnsToContents();
    // Paths and messages can be long: keep the columns readable, the tooltip has it all.
    for (int c : {int(IssuesModel::PathColumn), int(IssuesModel::FieldColumn)})
        table_->setColumnWidth(c, std::min(table_->columnWidth(c), 260));
    updateSummary();
}

void IssuesView::setSeverityShown(Severity s, bool shown) {
    toggles_[static_cast<int>(s)]->setChecked(shown);
}

int IssuesView::visibleRows() const {
    return proxy_->rowCount();
}

void IssuesView::activated(const QModelIndex& index) {
    if (!selection_ || !index.isValid()) return;
    const QVariant ref = index.data(BlockRefRole);
    if (ref.isValid()) selection_->select(ref.value<BlockRef>(), this);
}

void IssuesView::updateSummary() {
    const auto& report = model_->checkReport();
    const Severity all[3] = {Severity::Fatal, Severity::NonFatal, Severity::Warning};
    for (int i = 0; i < 3; ++i)
        toggles_[i]->setText(QStringLiteral("%1 (%2)")
                                 .arg(IssuesModel::severityText(all[i]))
                                 .arg(report ? report->count(all[i]) : 0));
    if (!report) {
        summary_->setText(tr("No check has run"));
        return;
    }
    QString text = tr("Verdict: %1").arg(QString::fromLatin1(verdictName(report->verdict())));
    if (report->dropped()) text += tr("; %1 more findings were not kept").arg(report->dropped());
    if (visibleRows() != model_->rowCount())
        text += tr("; showing %1 of %2").arg(visibleRows()).arg(model_->rowCount());
    summary_->setText(text);
}

} // namespace dms
