#include "views/edit/CommitProgressDialog.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QEventLoop>
#include <QGridLayout>
#include <QLabel>
#include <QMetaObject>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>
#include <thread>

namespace dms {

class CommitProgressDialog::Forwarder final : public CommitProgressObserver {
public:
    explicit Forwarder(CommitProgressDialog* d) : dialog_(d) {}
    void onCommitProgress(const CommitProgressReport& r) override {
        if (QThread::currentThread() == dialog_->thread())
            dialog_->showProgress(r);
        else
            QMetaObject::invokeMethod(
                dialog_, [d = dialog_, r] { d->showProgress(r); }, Qt::QueuedConnection);
    }

private:
    CommitProgressDialog* dialog_;
};

CommitProgressDialog::CommitProgressDialog(const QString& target, QWidget* parent)
    : QDialog(parent), forwarder_(std::make_unique<Forwarder>(this)), heading_(new QLabel(this)),
      bar_(new QProgressBar(this)), result_(new QLabel(this)),
      close_(new QPushButton(tr("Close"), this)) {
    qRegisterMetaType<dms::CommitProgressReport>();
    setWindowTitle(tr("Committing"));
    setModal(true);
    heading_->setText(tr("<b>Committing to %1</b><br>in the crash-safe order: if it stops "
                         "part-way, the old superblock still describes the old metadata.")
                          .arg(target.toHtmlEscaped()));
    heading_->setWordWrap(true);
    auto* grid = new QGridLayout;
    for (int i = 0; i < 4; ++i) {
        marks_[i] = new QLabel(this);
        marks_[i]->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("MM")));
        steps_[i] = new QLabel(this);
        grid->addWidget(marks_[i], i, 0);
        grid->addWidget(steps_[i], i, 1);
    }
    setStep(0, 0, tr("Write the shadowed and new blocks"));
    setStep(1, 0, tr("Flush (fdatasync): those blocks reach the disk"));
    setStep(2, 0, tr("Write the superblock"));
    setStep(3, 0, tr("Flush (fdatasync): the new superblock reaches the disk"));
    bar_->setRange(0, 1);
    bar_->setValue(0);
    result_->setWordWrap(true);
    close_->setEnabled(false);
    connect(close_, &QPushButton::clicked, this, &QDialog::accept);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading_);
    layout->addLayout(grid);
    layout->addWidget(bar_);
    layout->addWidget(result_);
    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(close_);
    layout->addLayout(row);
    resize(520, sizeHint().height());
}

CommitProgressDialog::~CommitProgressDialog() = default;

CommitProgressObserver* CommitProgressDialog::observer() {
    return forwarder_.get();
}

void CommitProgressDialog::setStep(int step, int state, const QString& text) {
    static const QString marks[3] = {QStringLiteral("○"), QStringLiteral("▶"), QStringLiteral("✓")};
    marks_[step]->setText(marks[state]);
    steps_[step]->setText(text);
    QFont f = steps_[step]->font();
    f.setBold(state == 1);
    steps_[step]->setFont(f);
    steps_[step]->setEnabled(state != 0);
}

QString CommitProgressDialog::stepText(int step) const {
    return marks_[step]->text() + QLatin1Char(' ') + steps_[step]->text();
}

void CommitProgressDialog::showProgress(const CommitProgressReport& r) {
    if (r.phase == CommitPhase::WritingBlocks && r.done == 0) ++commits_;
    phase_ = r.phase;
    const int now = static_cast<int>(r.phase); // step 0..3; Done = 4
    const QString blocks =
        r.phase == CommitPhase::WritingBlocks
            ? tr("Write %1 shadowed and new blocks (%2 of %1)").arg(r.total).arg(r.done)
            : tr("Wrote the shadowed and new blocks");
    const QString texts[4] = {blocks, tr("Flush (fdatasync): those blocks reach the disk"),
                              tr("Write the superblock (block %1)").arg(r.superblock),
                              tr("Flush (fdatasync): the new superblock reaches the disk")};
    for (int i = 0; i < 4; ++i)
        setStep(i, i < now ? 2 : i == now ? 1 : 0, i == 0 ? blocks : texts[i]);
    if (commits_ > 1)
        setWindowTitle(tr("Committing (commit %1: an operation commits part-way)").arg(commits_));
    // The bar: blocks, then one unit per remaining step.
    const int total = int(std::min<std::uint64_t>(r.total, 1u << 24));
    if (r.phase == CommitPhase::WritingBlocks) {
        bar_->setRange(0, total + 3);
        bar_->setValue(int(std::min<std::uint64_t>(r.done, 1u << 24)));
    } else {
        bar_->setValue(std::min(bar_->maximum(), bar_->maximum() - 4 + now));
    }
    emit progressed(r);
}

void CommitProgressDialog::run(const std::function<void()>& work) {
    running_ = true;
    show();
    QEventLoop loop;
    std::thread worker([&] {
        work();
        QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
    });
    loop.exec();
    worker.join();
    QCoreApplication::sendPostedEvents(this); // the last reports
    running_ = false;
}

void CommitProgressDialog::finish(const QString& message, bool ok) {
    result_->setText(message);
    QFont f = result_->font();
    f.setBold(!ok);
    result_->setFont(f);
    close_->setEnabled(true);
    close_->setDefault(true);
}

void CommitProgressDialog::closeEvent(QCloseEvent* event) {
    if (running_) {
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

void CommitProgressDialog::reject() {
    if (!running_) QDialog::reject();
}

} // namespace dms
