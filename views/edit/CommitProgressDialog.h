#pragma once
// The progress of a commit, step by step as the write path reports it (CommitProgress.h): write
// the N shadowed and new blocks, flush, write the superblock, flush. An operation that commits
// part-way (reserve-metadata-snap, extend-metadata) makes more than one commit; each is counted.
// run() does the work on a worker thread and keeps the UI responsive until it ends; the report
// callback may come from any thread (it is posted to the dialog's).

#include "core/tx/CommitProgress.h"

#include <QDialog>
#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace dms {

class CommitProgressDialog : public QDialog {
    Q_OBJECT
public:
    explicit CommitProgressDialog(const QString& target, QWidget* parent = nullptr);
    ~CommitProgressDialog() override;

    // Hand this to the commit; it forwards every report to showProgress() on the dialog's thread.
    CommitProgressObserver* observer();
    // Shows the dialog, runs `work` on a worker thread and returns once it ended (events are
    // processed meanwhile; the dialog cannot be closed while it runs).
    void run(const std::function<void()>& work);
    // Shows the outcome under the steps.
    void finish(const QString& message, bool ok);

    // State, for tests.
    CommitPhase phase() const { return phase_; }
    int commitCount() const { return commits_; }
    QString stepText(int step) const; // 0..3: the four steps' lines as shown
    bool isRunning() const { return running_; }

public slots:
    void showProgress(const dms::CommitProgressReport& report);

signals:
    // After each report was shown.
    void progressed(const dms::CommitProgressReport& report);

protected:
    void closeEvent(QCloseEvent* event) override;
    void reject() override;

private:
    class Forwarder;
    void setStep(int step, int state, const QString& text); // state: 0 waiting, 1 now, 2 done

    std::unique_ptr<Forwarder> forwarder_;
    QLabel* heading_;
    QLabel* steps_[4];
    QLabel* marks_[4];
    QProgressBar* bar_;
    QLabel* result_;
    QPushButton* close_;
    CommitPhase phase_ = CommitPhase::WritingBlocks;
    int commits_ = 0;
    bool running_ = false;
};

} // namespace dms

Q_DECLARE_METATYPE(dms::CommitProgressReport)
