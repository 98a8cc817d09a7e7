#pragma once
// The pending operations of an edit session under both allocation policies, side by side
// (core/thin/PolicyComparison): each on its own scratch copy, committed and checked. Per policy:
// events, ring-buffer peak fill, metadata blocks allocated and freed, free blocks before and
// after, the cursor after the commit, blocks written, the blocks chosen (a strip of the device
// and the list), and the checker's verdict. Recomputed on a worker thread whenever the pending
// operations change.

#include "core/thin/PolicyComparison.h"

#include <QWidget>
#include <optional>

class QGridLayout;
class QLabel;

namespace dms {

class AllocationStrip;
class BackgroundJob;
class BlockSelection;
class EditSession;

class PolicyComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit PolicyComparisonView(QWidget* parent = nullptr);

    void setSession(EditSession* session); // nullptr: nothing to compare
    // A click on a block of a strip selects it.
    void setSelection(BlockSelection* selection) { selection_ = selection; }
    void recompute();

    bool isComputing() const;
    const std::optional<PolicyComparison>& comparison() const { return comparison_; }
    // A cell as shown: row "events", "ring", "allocated", "freed", "free", "cursor", "written",
    // "chosen", "check"; column 0 reference, 1 mainline. And the line above the table.
    QString cellText(const QString& row, int column) const;
    QString summaryText() const;
    AllocationStrip* strip(int column) const { return strips_[column]; }

signals:
    void comparisonReady();

private:
    void show(PolicyComparison c);
    void showOutcome(int column, const PolicyOutcome& o, const PolicyOutcome& other,
                     std::uint64_t deviceBlocks);

    EditSession* session_ = nullptr;
    BlockSelection* selection_ = nullptr;
    BackgroundJob* job_;
    std::optional<PolicyComparison> comparison_;
    QLabel* summary_;
    QGridLayout* grid_;
    QStringList rows_;
    std::vector<QLabel*> cells_[2];
    AllocationStrip* strips_[2];
};

} // namespace dms
