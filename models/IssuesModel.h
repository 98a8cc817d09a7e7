#pragma once
// The findings of a metadata check (core/check/CheckReport), a row each, in the report's order:
// severity (a coloured decoration), category, block, field, path and message. Sortable through a
// proxy on RawValueRole; BlockRefRole gives the metadata block a finding is about (none for
// findings that are not about one block).

#include "core/check/CheckReport.h"

#include <QAbstractTableModel>
#include <QColor>
#include <memory>

namespace dms {

class IssuesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        SeverityColumn,
        CategoryColumn,
        BlockColumn,
        FieldColumn,
        PathColumn,
        MessageColumn,
        ColumnCount
    };

    explicit IssuesModel(QObject* parent = nullptr);

    // nullptr clears.
    void setCheckReport(std::shared_ptr<const CheckReport> report);
    void clear() { setCheckReport(nullptr); }
    const std::shared_ptr<const CheckReport>& checkReport() const { return report_; }
    const Finding* findingAt(int row) const;

    // Red, orange, yellow: readable on light and dark palettes.
    static QColor severityColor(Severity s);
    static QString severityText(Severity s);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const CheckReport> report_;
};

} // namespace dms
