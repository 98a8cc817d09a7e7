#pragma once
// The checker's findings as a sortable table with a filter by severity (fatal, non-fatal,
// warning: a toggle each, with its count) and a one-line verdict. Double-click (or Enter) on a
// finding selects its block in the window's selection.

#include "core/check/CheckReport.h"

#include <QWidget>
#include <memory>

class QLabel;
class QTableView;
class QToolButton;

namespace dms {

class BlockSelection;
class IssuesModel;
class SeverityFilterProxy;
class ThinPoolDocument;

class IssuesView : public QWidget {
    Q_OBJECT
public:
    explicit IssuesView(QWidget* parent = nullptr);

    // A new document clears the findings until its report arrives.
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setCheckReport(std::shared_ptr<const CheckReport> report);

    // Shows or hides findings of one severity.
    void setSeverityShown(Severity s, bool shown);
    IssuesModel* issuesModel() const { return model_; }
    QTableView* table() const { return table_; }
    // Rows visible after the filter.
    int visibleRows() const;

private:
    void activated(const QModelIndex& index);
    void updateSummary();

    IssuesModel* model_;
    SeverityFilterProxy* proxy_;
    QTableView* table_;
    QLabel* summary_;
    QToolButton* toggles_[3];
    BlockSelection* selection_ = nullptr;
};

} // namespace dms
