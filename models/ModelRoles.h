#pragma once
// Custom item roles shared by dmscope's models: raw values for sorting and for tests, where the
// display text is decorated ("128 sectors (64 KiB)").

#include <Qt>

namespace dms {

enum ModelRole {
    RawValueRole = Qt::UserRole + 1, // quint64 (or QByteArray for byte fields)
    FieldNameRole,                   // FORMAT.md field name, e.g. "trans_id"
    FieldSizeRole,                   // the field's size in bytes on disk
    BlockRefRole,                    // dms::BlockRef a row is about (double-click selects it)
    SeverityRole,                    // int: dms::Severity of a finding or an error row
};

} // namespace dms
