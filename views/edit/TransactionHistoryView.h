#pragma once
// The transactions committed in an edit session, as a list (number, time, operations, blocks
// written, free counts after it), with stepping back and forward through the states they left:
// state 0 is the metadata as opened, state k the metadata after transaction k, state n (the
// number of transactions) the current one. The view only says which state is wanted
// (stateRequested); the window shows it. Save history… / Open history… keep the history in a
// file (TransactionHistory::save) and bring a saved one back in front of this session's.

#include <QWidget>
#include <functional>

class QAction;
class QLabel;
class QPushButton;
class QTableView;

namespace dms {

class EditSession;
class TransactionHistoryModel;

class TransactionHistoryView : public QWidget {
    Q_OBJECT
public:
    explicit TransactionHistoryView(QWidget* parent = nullptr);

    void setSession(EditSession* session); // nullptr: nothing is being edited
    EditSession* session() const { return session_; }
    TransactionHistoryModel* model() const { return model_; }
    QTableView* table() const { return table_; }

    // The state being shown (0..stateCount()); stateCount() is the current state.
    int viewedState() const { return viewed_; }
    int stateCount() const;
    bool isViewingCurrent() const { return viewed_ == stateCount(); }

    // Actions with window-wide shortcuts, for the window's Go menu: Earlier Transaction
    // (Alt+PgUp), Later Transaction (Alt+PgDown), Current State (Alt+End).
    QAction* stepBackAction() const { return back_; }
    QAction* stepForwardAction() const { return forward_; }
    QAction* currentStateAction() const { return current_; }

    // File choosers, replaceable in tests: return a path or empty to cancel.
    void setFileChooser(std::function<QString(bool save)> chooser) {
        chooser_ = std::move(chooser);
    }
    QString messageText() const;

public slots:
    void showState(int k);
    void stepBack() { showState(viewed_ - 1); }
    void stepForward() { showState(viewed_ + 1); }
    void showCurrent() { showState(stateCount()); }
    bool saveHistory(const QString& path);
    bool openHistory(const QString& path);

signals:
    // The window should show state k of n (k == n: the current metadata).
    void stateRequested(int k, int n);

private:
    void onCommitted();
    void sync();
    void report(const QString& message, bool error);

    EditSession* session_ = nullptr;
    TransactionHistoryModel* model_;
    QTableView* table_;
    QLabel* where_;
    QString plainMessage_; // message_ without its markup
    QLabel* message_;
    QPushButton* backButton_;
    QPushButton* forwardButton_;
    QPushButton* currentButton_;
    QAction* back_;
    QAction* forward_;
    QAction* current_;
    std::function<QString(bool)> chooser_;
    int viewed_ = 0;
    QMetaObject::Connection connection_;
};

} // namespace dms
