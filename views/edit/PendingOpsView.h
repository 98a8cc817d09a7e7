#pragma once
// The pending operations of an edit session, as a partition editor lists them, with Undo (Ctrl+Z),
// Clear, Commit and Abort. Commit asks first ("permanently modifies <path>", with the list); the
// question goes through a replaceable confirm function so tests can answer it. The commit then
// runs on a worker thread under a CommitProgressDialog that shows its real phases.

#include <QWidget>
#include <functional>

class QLabel;
class QPushButton;
class QTableView;

namespace dms {

class CommitProgressDialog;
class EditSession;
class PendingOpsModel;

class PendingOpsView : public QWidget {
    Q_OBJECT
public:
    explicit PendingOpsView(QWidget* parent = nullptr);

    void setSession(EditSession* session);
    // Replaces the commit question (default: a QMessageBox). Returns true to commit.
    void setConfirm(std::function<bool(const QString& text)> confirm) {
        confirm_ = std::move(confirm);
    }
    // Called with the progress dialog of each commit before it starts (tests watch it).
    void setProgressHook(std::function<void(CommitProgressDialog&)> hook) {
        progressHook_ = std::move(hook);
    }
    // The question Commit asks, for the current operations.
    QString commitQuestion() const;
    PendingOpsModel* model() const { return model_; }

public slots:
    void undo();
    void clear();
    void commit();
    void abort();

signals:
    // After a commit or an abort; message is shown in the view as well.
    void committed(int transaction);
    void failed(const QString& message);

private:
    void update();
    QString commitTargetText() const;
    void report(const QString& message, bool error);

    EditSession* session_ = nullptr;
    PendingOpsModel* model_;
    QTableView* table_;
    QLabel* status_;
    QPushButton* undo_;
    QPushButton* clear_;
    QPushButton* commit_;
    QPushButton* abort_;
    std::function<bool(const QString&)> confirm_;
    std::function<void(CommitProgressDialog&)> progressHook_;
};

} // namespace dms
