#include "views/edit/PendingOpsView.h"

#include "models/edit/EditSession.h"
#include "models/edit/PendingOpsModel.h"
#include "views/edit/CommitProgressDialog.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {

PendingOpsView::PendingOpsView(QWidget* parent)
    : QWidget(parent), model_(new PendingOpsModel(this)), table_(new QTableView(this)),
      status_(new QLabel(this)), undo_(new QPushButton(tr("&Undo"), this)),
      clear_(new QPushButton(tr("C&lear"), this)), commit_(new QPushButton(tr("&Commit…"), this)),
      abort_(new QPushButton(tr("&Abort"), this)) {
    table_->setModel(model_);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(PendingOpsModel::OperationColumn,
                                                     QHeaderView::Stretch);
    table_->setColumnHidden(PendingOpsModel::CommandColumn, true);
    undo_->setShortcut(QKeySequence::Undo);
    undo_->setToolTip(tr("Undo the last operation (Ctrl+Z)"));
    commit_->setToolTip(tr("Write the pending operations into the copy as one transaction"));
    abort_->setToolTip(tr("Discard every pending operation"));
    status_->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {undo_, clear_, commit_, abort_})
        buttons->addWidget(b);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    connect(undo_, &QPushButton::clicked, this, &PendingOpsView::undo);
    connect(clear_, &QPushButton::clicked, this, &PendingOpsView::clear);
    connect(commit_, &QPushButton::clicked, this, &PendingOpsView::commit);
    connect(abort_, &QPushButton::clicked, this, &PendingOpsView::abort);
    confirm_ = [this](const QString& text) {
        return QMessageBox::question(this, tr("Commit"), text,
                                     QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };
    update();
}

void PendingOpsView::setSession(EditSession* session) {
    if (session_) disconnect(session_, nullptr, this, nullptr);
    session_ = session;
    model_->setSession(session);
    if (session_) connect(session_, &EditSession::operationsChanged, this, &PendingOpsView::update);
    status_->clear();
    update();
}

void PendingOpsView::update() {
    const bool pending = session_ && session_->hasPendingOperations();
    for (QPushButton* b : {undo_, clear_, commit_, abort_})
        b->setEnabled(pending);
}

QString PendingOpsView::commitQuestion() const {
    if (!session_) return {};
    QString text = tr("This permanently modifies %1:").arg(commitTargetText());
    for (const PendingOperation& p : session_->operations())
        text += QStringLiteral("\n  • ") + p.op.describe();
    return text;
}

QString PendingOpsView::commitTargetText() const {
    if (!session_) return {};
    if (session_->isInPlace())
        return tr("%1 itself (editing in place)").arg(session_->commitTarget());
    return session_->copyPath().isEmpty() ? session_->displayName() + tr(" (copy in memory)")
                                          : session_->copyPath();
}

void PendingOpsView::report(const QString& message, bool error) {
    status_->setText(message);
    status_->setStyleSheet(error ? QStringLiteral("font-weight: bold;") : QString());
    if (error) emit failed(message);
}

void PendingOpsView::undo() {
    if (!session_) return;
    if (Status s = session_->undoLast(); !s)
        report(QString::fromStdString(s.error().message), true);
}

void PendingOpsView::clear() {
    if (!session_) return;
    if (Status s = session_->clear(); !s) report(QString::fromStdString(s.error().message), true);
}

void PendingOpsView::abort() {
    if (!session_ || !session_->hasPendingOperations()) return;
    const auto n = session_->operations().size();
    if (Status s = session_->abort(); !s) {
        report(QString::fromStdString(s.error().message), true);
        return;
    }
    report(tr("Aborted: %n operation(s) discarded, nothing written.", nullptr, int(n)), false);
}

void PendingOpsView::commit() {
    if (!session_ || !session_->hasPendingOperations()) return;
    if (!confirm_(commitQuestion())) return;
    CommitProgressDialog progress(commitTargetText(), this);
    if (progressHook_) progressHook_(progress);
    EditSession::WrittenCommit written;
    EditSession* session = session_;
    progress.run([&] { written = session->writeCommit(progress.observer()); });
    if (Status s = session_->finishCommit(std::move(written)); !s) {
        const QString why = tr("Commit failed: %1").arg(QString::fromStdString(s.error().message));
        progress.finish(why, false);
        report(why, true);
        return;
    }
    const int t = session_->history().size() - 1;
    const QString done = tr("Committed transaction %1 (%2 blocks written).")
                             .arg(t + 1)
                             .arg(session_->history().at(t).blocks.size());
    progress.finish(done, true);
    report(done, false);
    emit committed(t);
}

} // namespace dms
