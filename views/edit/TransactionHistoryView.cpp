#include "views/edit/TransactionHistoryView.h"

#include "models/edit/EditSession.h"
#include "models/edit/TransactionHistoryModel.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

namespace dms {

TransactionHistoryView::TransactionHistoryView(QWidget* parent)
    : QWidget(parent), model_(new TransactionHistoryModel(this)), table_(new QTableView(this)),
      where_(new QLabel(this)), message_(new QLabel(this)),
      backButton_(new QPushButton(tr("◀ Earlier"), this)),
      forwardButton_(new QPushButton(tr("Later ▶"), this)),
      currentButton_(new QPushButton(tr("Current"), this)),
      back_(new QAction(tr("&Earlier Transaction"), this)),
      forward_(new QAction(tr("&Later Transaction"), this)),
      current_(new QAction(tr("Current &State"), this)) {
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(TransactionHistoryModel::OperationsColumn,
                                                     QHeaderView::Stretch);
    table_->setWordWrap(false);
    back_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_PageUp));
    forward_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_PageDown));
    current_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_End));
    back_->setToolTip(tr("Show the metadata as of the transaction before (Alt+PgUp)"));
    forward_->setToolTip(tr("Show the metadata as of the transaction after (Alt+PgDown)"));
    current_->setToolTip(tr("Show the current metadata again (Alt+End)"));
    backButton_->setToolTip(back_->toolTip());
    forwardButton_->setToolTip(forward_->toolTip());
    currentButton_->setToolTip(current_->toolTip());
    auto* save = new QPushButton(tr("Save history…"), this);
    auto* open = new QPushButton(tr("Open history…"), this);
    save->setToolTip(tr("Keep every transaction, with its blocks before and after, in a file"));
    open->setToolTip(tr("Put a saved history that led to this metadata before these transactions"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(backButton_);
    bar->addWidget(forwardButton_);
    bar->addWidget(currentButton_);
    bar->addWidget(where_, 1);
    bar->addWidget(save);
    bar->addWidget(open);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(table_, 1);
    layout->addWidget(message_);
    message_->setWordWrap(true);

    connect(back_, &QAction::triggered, this, &TransactionHistoryView::stepBack);
    connect(forward_, &QAction::triggered, this, &TransactionHistoryView::stepForward);
    connect(current_, &QAction::triggered, this, &TransactionHistoryView::showCurrent);
    connect(backButton_, &QPushButton::clicked, this, &TransactionHistoryView::stepBack);
    connect(forwardButton_, &QPushButton::clicked, this, &TransactionHistoryView::stepForward);
    connect(currentButton_, &QPushButton::clicked, this, &TransactionHistoryView::showCurrent);
    // Row r is transaction r + 1: choosing it shows the state it left.
    connect(table_, &QTableView::clicked, this,
            [this](const QModelIndex& index) { showState(index.row() + 1); });
    connect(save, &QPushButton::clicked, this, [this] {
        if (const QString path = chooser_(true); !path.isEmpty()) saveHistory(path);
    });
    connect(open, &QPushButton::clicked, this, [this] {
        if (const QString path = chooser_(false); !path.isEmpty()) openHistory(path);
    });
    chooser_ = [this](bool saving) {
        const QString filter = tr("dmscope transaction histories (*.dmshist);;All files (*)");
        return saving ? QFileDialog::getSaveFileName(this, tr("Save Transaction History"),
                                                     QStringLiteral("history.dmshist"), filter)
                      : QFileDialog::getOpenFileName(this, tr("Open Transaction History"),
                                                     QString(), filter);
    };
    sync();
}

void TransactionHistoryView::setSession(EditSession* session) {
    if (connection_) disconnect(connection_);
    session_ = session;
    model_->setSession(session);
    if (session_)
        connection_ =
            connect(session_, &EditSession::committed, this, &TransactionHistoryView::onCommitted);
    viewed_ = stateCount();
    message_->clear();
    sync();
}

int TransactionHistoryView::stateCount() const {
    return session_ ? session_->history().size() : 0;
}

// A commit makes a new current state, which the window shows.
void TransactionHistoryView::onCommitted() {
    viewed_ = stateCount();
    sync();
}

void TransactionHistoryView::showState(int k) {
    if (!session_ || k < 0 || k > stateCount()) return;
    viewed_ = k;
    sync();
    emit stateRequested(k, stateCount());
}

void TransactionHistoryView::sync() {
    const int n = stateCount();
    backButton_->setEnabled(session_ && viewed_ > 0);
    back_->setEnabled(backButton_->isEnabled());
    forwardButton_->setEnabled(session_ && viewed_ < n);
    forward_->setEnabled(forwardButton_->isEnabled());
    currentButton_->setEnabled(session_ && viewed_ != n);
    current_->setEnabled(currentButton_->isEnabled());
    if (!session_)
        where_->setText(tr("No edit session"));
    else if (n == 0)
        where_->setText(tr("No transaction committed yet"));
    else if (viewed_ == n)
        where_->setText(tr("Showing the current metadata (after transaction %1)").arg(n));
    else if (viewed_ == 0)
        where_->setText(
            tr("<b>Showing the metadata as opened</b> (before transaction 1 of %1)").arg(n));
    else
        where_->setText(tr("<b>Showing transaction %1 of %2</b>").arg(viewed_).arg(n));
    const QSignalBlocker block(table_->selectionModel());
    if (viewed_ > 0 && viewed_ <= model_->rowCount())
        table_->selectRow(viewed_ - 1);
    else
        table_->clearSelection();
}

bool TransactionHistoryView::saveHistory(const QString& path) {
    if (!session_) return false;
    // The committed copy goes in too: a saved history then rebuilds every state on its own (the
    // transactions chart and the frames read it without the image).
    const auto latest = session_->committedSource();
    if (Status s = session_->history().save(path, latest.get()); !s) {
        report(tr("Not saved: %1").arg(QString::fromStdString(s.error().describe())), true);
        return false;
    }
    const int n = session_->history().size();
    report(n == 1 ? tr("Saved 1 transaction to %1").arg(path)
                  : tr("Saved %1 transactions to %2").arg(n).arg(path),
           false);
    return true;
}

bool TransactionHistoryView::openHistory(const QString& path) {
    if (!session_) return false;
    auto loaded = TransactionHistory::load(path);
    Status s = loaded ? session_->adoptEarlierHistory(std::move(*loaded)) : Status(loaded.error());
    if (!s) {
        report(tr("Cannot open %1: %2").arg(path, QString::fromStdString(s.error().describe())),
               true);
        return false;
    }
    model_->reload();
    viewed_ = stateCount();
    sync();
    report(tr("Opened %1: %2 transactions in all").arg(path).arg(stateCount()), false);
    return true;
}

void TransactionHistoryView::report(const QString& message, bool error) {
    plainMessage_ = message;
    message_->setText(
        error ? QStringLiteral("<span style='color:#c62828'>%1</span>").arg(message.toHtmlEscaped())
              : message.toHtmlEscaped());
}

QString TransactionHistoryView::messageText() const {
    return plainMessage_;
}

} // namespace dms
