#pragma once
// The Edit tab: an edit session over a copy of the open metadata (never the original), an input
// that takes operations as `dmscope-cli edit` words ("create-snap 100 1"), and the edit-mode panel
// (pending operations, events with stepping, the ring buffer, the machine state and threshold),
// beside the committed transactions (stepping back and forward through them) and their diffs.
// Edits in place too (EditSession::editInPlace: the title says so). "Compare Policies…" runs the
// pending operations under both allocation policies side by side (PolicyComparisonView).

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace dms {

class BlockSelection;
class EditModePanel;
class EditSession;
class MetadataDiffView;
class TransactionHistoryView;
class PolicyComparisonView;

class EditTab : public QWidget {
    Q_OBJECT
public:
    explicit EditTab(QWidget* parent = nullptr);
    ~EditTab() override;

    void setSelection(BlockSelection* selection);
    // Takes the session (nullptr: nothing is being edited).
    void setSession(std::unique_ptr<EditSession> session);
    EditSession* session() const { return session_.get(); }
    EditModePanel* panel() const { return panel_; }
    TransactionHistoryView* historyView() const { return historyView_; }
    MetadataDiffView* diffView() const { return diffView_; }
    // Brings a page to the front: "operations", "transactions" or "diff".
    bool showPage(const QString& name);

    // Parses and adds one operation; false (and the reason shown) when it is refused.
    bool addOperation(const QString& text);
    // Saves the session's transaction history with the committed copy embedded (what
    // `dmscope-cli chart transactions` and `frames` read); false and the reason shown on failure.
    bool saveHistory(const QString& path);
    QString messageText() const;
    QString titleText() const;
    // Opens (or raises) the policy comparison window and returns its view; it follows the
    // session while open.
    PolicyComparisonView* showPolicyComparison();

signals:
    void committed();

private:
    std::unique_ptr<EditSession> session_;
    BlockSelection* selection_ = nullptr;
    QLineEdit* input_;
    QLabel* message_;
    QLabel* title_;
    EditModePanel* panel_;
    QTabWidget* pages_;
    TransactionHistoryView* historyView_;
    MetadataDiffView* diffView_;
    QWidget* comparisonWindow_ = nullptr;
    PolicyComparisonView* comparison_ = nullptr;
};

} // namespace dms
