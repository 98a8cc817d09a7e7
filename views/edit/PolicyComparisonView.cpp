#include "views/edit/PolicyComparisonView.h"

#include "models/BackgroundJob.h"
#include "models/BlockSelection.h"
#include "models/edit/EditSession.h"
#include "views/edit/AllocationStrip.h"

#include "core/spacemap/BlockOpRing.h"

#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>

namespace dms {
namespace {

// The blocks in order; those in `unique` (sorted) in the strip's colour for them.
QString blockList(const std::vector<std::uint64_t>& blocks,
                  const std::vector<std::uint64_t>& unique, std::size_t shown = 32) {
    QStringList parts;
    for (std::size_t i = 0; i < blocks.size() && i < shown; ++i)
        parts << (std::binary_search(unique.begin(), unique.end(), blocks[i])
                      ? QStringLiteral("<b style='color:#9b3dd8'>%1</b>").arg(blocks[i])
                      : QString::number(blocks[i]));
    if (blocks.size() > shown) parts << QStringLiteral("… (%1 in all)").arg(blocks.size());
    return parts.isEmpty() ? QObject::tr("none") : parts.join(QStringLiteral(", "));
}

std::vector<std::uint64_t> onlyIn(const std::vector<std::uint64_t>& a,
                                  const std::vector<std::uint64_t>& b) {
    std::vector<std::uint64_t> sa = a, sb = b, out;
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(out));
    return out;
}

} // namespace

PolicyComparisonView::PolicyComparisonView(QWidget* parent)
    : QWidget(parent), job_(new BackgroundJob(this)), summary_(new QLabel(this)),
      grid_(new QGridLayout) {
    rows_ = {QStringLiteral("events"),  QStringLiteral("ring"),   QStringLiteral("allocated"),
             QStringLiteral("freed"),   QStringLiteral("free"),   QStringLiteral("cursor"),
             QStringLiteral("written"), QStringLiteral("chosen"), QStringLiteral("check")};
    const QStringList labels = {
        tr("Trace events"),          tr("Ring buffer peak"),        tr("Metadata blocks allocated"),
        tr("Metadata blocks freed"), tr("Free metadata blocks"),    tr("Cursor after commit"),
        tr("Blocks written"),        tr("Blocks chosen, in order"), tr("Checker")};
    auto* head0 = new QLabel(tr("<b>Reference</b><br><small>the kernel in ../shared/reference: "
                                "free in the committed map, cursor back to 0 at each "
                                "commit</small>"),
                             this);
    auto* head1 = new QLabel(tr("<b>Mainline</b><br><small>current kernels: free in the "
                                "committed and the live map, cursor kept, wraps "
                                "around</small>"),
                             this);
    for (QLabel* h : {head0, head1})
        h->setWordWrap(true);
    grid_->addWidget(head0, 0, 1);
    grid_->addWidget(head1, 0, 2);
    for (int c = 0; c < 2; ++c) {
        strips_[c] = new AllocationStrip(this);
        grid_->addWidget(strips_[c], 1, c + 1);
        connect(strips_[c], &AllocationStrip::blockClicked, this, [this](std::uint64_t b) {
            if (selection_) selection_->select(BlockRef::metadata(b), this);
        });
    }
    auto* device = new QLabel(tr("Metadata device"), this);
    device->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    grid_->addWidget(device, 1, 0);
    for (int r = 0; r < rows_.size(); ++r) {
        auto* name = new QLabel(labels[r], this);
        name->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        grid_->addWidget(name, r + 2, 0);
        for (int c = 0; c < 2; ++c) {
            auto* cell = new QLabel(this);
            cell->setWordWrap(true);
            cell->setTextInteractionFlags(Qt::TextSelectableByMouse);
            cell->setAlignment(Qt::AlignLeft | Qt::AlignTop);
            grid_->addWidget(cell, r + 2, c + 1);
            cells_[c].push_back(cell);
        }
    }
    grid_->setColumnStretch(1, 1);
    grid_->setColumnStretch(2, 1);
    grid_->setHorizontalSpacing(16);
    summary_->setWordWrap(true);
    auto* legend =
        new QLabel(tr("<small>Strip: <span style='color:#3a7bd5'>■</span> allocated "
                      "· <span style='color:#9b3dd8'>■</span> allocated only under "
                      "this policy · <span style='color:#e08a1e'>■</span> freed. Each "
                      "policy ran on its own scratch copy; nothing was written.</small>"),
                   this);
    legend->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addLayout(grid_);
    layout->addWidget(legend);
    layout->addStretch(1);
    connect(job_, &BackgroundJob::finished, this, &PolicyComparisonView::comparisonReady);
}

void PolicyComparisonView::setSession(EditSession* session) {
    if (session_) disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    if (session_)
        connect(session_, &EditSession::operationsChanged, this, &PolicyComparisonView::recompute);
    recompute();
}

bool PolicyComparisonView::isComputing() const {
    return job_->isRunning();
}

void PolicyComparisonView::recompute() {
    comparison_.reset();
    if (!session_) {
        job_->cancel();
        summary_->setText(tr("Nothing is being edited."));
        return;
    }
    if (!session_->hasPendingOperations()) {
        job_->cancel();
        summary_->setText(tr("Add operations: they are run under both policies here."));
        for (int c = 0; c < 2; ++c) {
            for (QLabel* l : cells_[c])
                l->clear();
            strips_[c]->setBlocks(0, {}, {}, {});
        }
        return;
    }
    summary_->setText(tr("Running %n operation(s) under both policies…", nullptr,
                         int(session_->operations().size())));
    std::vector<EditOperation> ops;
    for (const PendingOperation& p : session_->operations())
        ops.push_back(p.op);
    auto source = session_->committedSource();
    const auto threshold = session_->threshold();
    job_->start([this, ops, source, threshold](const std::atomic<bool>&) {
        EditScript script = [&ops](ThinPoolEditor& ed) -> Status {
            for (const EditOperation& op : ops)
                if (Status s = op.apply(ed); !s) {
                    Error e = s.error();
                    e.message = op.describe().toStdString() + ": " + e.message;
                    return e;
                }
            return Status::success();
        };
        auto result =
            std::make_shared<PolicyComparison>(comparePolicies(source, script, threshold));
        return BackgroundJob::Deliver([this, result] { show(std::move(*result)); });
    });
}

void PolicyComparisonView::show(PolicyComparison c) {
    comparison_ = std::move(c);
    const PolicyOutcome& r = comparison_->reference;
    const PolicyOutcome& m = comparison_->mainline;
    const std::uint64_t n = session_ ? session_->committedSource()->blockCount() : 0;
    showOutcome(0, r, m, n);
    showOutcome(1, m, r, n);
    QString line;
    if (r.allocated == m.allocated) {
        line = tr("Both policies chose the same %n block(s) in the same order", nullptr,
                  int(r.allocated.size()));
        line += r.commits.size() > 1 ? tr(".") : tr(": they only part after a commit.");
    } else {
        std::size_t k = 0;
        while (k < r.allocated.size() && k < m.allocated.size() && r.allocated[k] == m.allocated[k])
            ++k;
        line = tr("The policies part at allocation %1: reference took block %2, mainline block %3.")
                   .arg(k + 1)
                   .arg(k < r.allocated.size() ? QString::number(r.allocated[k]) : tr("none"))
                   .arg(k < m.allocated.size() ? QString::number(m.allocated[k]) : tr("none"));
    }
    line +=
        QLatin1Char(' ') + (r.passes() && m.passes() ? tr("Both results pass the checker.")
                                                     : tr("Not both results pass the checker."));
    summary_->setText(line);
}

void PolicyComparisonView::showOutcome(int column, const PolicyOutcome& o,
                                       const PolicyOutcome& other, std::uint64_t deviceBlocks) {
    auto set = [&](const char* row, const QString& text) {
        cells_[column][std::size_t(rows_.indexOf(QLatin1String(row)))]->setText(text);
    };
    set("events", QString::number(o.events));
    set("ring", tr("%1 of %2 slots").arg(o.peakRingFill).arg(BlockOpRing::kMaxOps));
    set("allocated", QString::number(o.allocated.size()));
    set("freed", QString::number(o.freed.size()));
    set("free", tr("%1 → %2").arg(o.freeBefore).arg(o.freeAfter));
    set("cursor", QString::number(o.cursorAfter));
    set("written", QString::number(o.blocksWritten));
    const std::vector<std::uint64_t> unique = onlyIn(o.allocated, other.allocated);
    set("chosen", blockList(o.allocated, unique));
    QString check;
    if (o.error)
        check = tr("✗ the edit failed: %1").arg(QString::fromStdString(o.error->describe()));
    else if (o.passes())
        check = tr("✓ passes");
    else if (o.check)
        check = tr("✗ %1: %2")
                    .arg(QString::fromLatin1(verdictName(o.check->verdict())),
                         o.check->findings().empty()
                             ? QString()
                             : QString::fromStdString(o.check->findings().front().describe()));
    set("check", check);
    strips_[column]->setBlocks(deviceBlocks, o.allocated, o.freed, unique);
}

QString PolicyComparisonView::cellText(const QString& row, int column) const {
    const int r = rows_.indexOf(row);
    if (r < 0 || column < 0 || column > 1) return {};
    return cells_[column][std::size_t(r)]->text();
}

QString PolicyComparisonView::summaryText() const {
    return summary_->text();
}

} // namespace dms
