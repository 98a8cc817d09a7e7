#include "models/IssuesModel.h"

#include "models/BlockRef.h"
#include "models/ModelRoles.h"

namespace dms {

IssuesModel::IssuesModel(QObject* parent) : QAbstractTableModel(parent) {}

void IssuesModel::setCheckReport(std::shared_ptr<const CheckReport> report) {
    beginResetModel();
    report_ = std::move(report);
    endResetModel();
}

const Finding* IssuesModel::findingAt(int row) const {
    if (!report_ || row < 0 || std::size_t(row) >= report_->findings().size()) return nullptr;
    return &report_->findings()[std::size_t(row)];
}

QColor IssuesModel::severityColor(Severity s) {
    switch (s) {
    case Severity::Fatal:
        return QColor(0xd9, 0x3a, 0x3a);
    case Severity::NonFatal:
        return QColor(0xe8, 0x8a, 0x1a);
    case Severity::Warning:
        return QColor(0xc9, 0xb0, 0x1c);
    }
    return {};
}

QString IssuesModel::severityText(Severity s) {
    switch (s) {
    case Severity::Fatal:
        return tr("fatal");
    case Severity::NonFatal:
        return tr("non-fatal");
    case Severity::Warning:
        return tr("warning");
    }
    return {};
}

int IssuesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !report_ ? 0 : static_cast<int>(report_->findings().size());
}

int IssuesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssuesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding& f = *findingAt(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SeverityColumn:
            return severityText(f.severity);
        case CategoryColumn:
            return QString::fromLatin1(categoryName(f.category));
        case BlockColumn:
            return f.block ? QString::number(*f.block) : QString();
        case FieldColumn:
            return QString::fromStdString(f.field);
        case PathColumn:
            return QString::fromStdString(f.path);
        case MessageColumn:
            return QString::fromStdString(f.message);
        }
        return {};
    case RawValueRole:
        switch (column) {
        case SeverityColumn:
            return static_cast<int>(f.severity);
        case CategoryColumn:
            return static_cast<int>(f.category);
        case BlockColumn:
            // Findings without a block sort after every block.
            return f.block ? quint64(*f.block) : quint64(UINT64_MAX);
        }
        return data(index, Qt::DisplayRole);
    case Qt::DecorationRole:
        if (column == SeverityColumn) return severityColor(f.severity);
        return {};
    case Qt::ToolTipRole:
        return QString::fromStdString(f.describe());
    case Qt::TextAlignmentRole:
        if (column == BlockColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SeverityRole:
        return static_cast<int>(f.severity);
    case BlockRefRole:
        if (f.block) return QVariant::fromValue(BlockRef::metadata(*f.block));
        return {};
    }
    return {};
}

QVariant IssuesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case CategoryColumn:
        return tr("Category");
    case BlockColumn:
        return tr("Block");
    case FieldColumn:
        return tr("Field");
    case PathColumn:
        return tr("Path");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

} // namespace dms
