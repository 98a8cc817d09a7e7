#pragma once
// The Edit tab: an edit session over a copy of the open metadata (never the original), an input
// that takes operations as `dmscope-cli edit` words ("create-snap 100 1"), and the edit-mode panel
// (pending operations, events with stepping, the ring buffer, the machine state and threshold).
// Edits in place too (EditSession::editInPlace: the title says so). "Compare Policies…" runs the
// pending operations under both allocation policies side by side (PolicyComparisonView).

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;

namespace dms {

class BlockSelection;
class EditModePanel;
class EditSession;
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

    // Parses and adds one operation; false (and the reason shown) when it is refused.
    bool addOperation(const QString& text);
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
    QWidget* comparisonWindow_ = nullptr;
    PolicyComparisonView* comparison_ = nullptr;
};

} // namespace dms
