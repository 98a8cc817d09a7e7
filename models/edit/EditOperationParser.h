#pragma once
// Reads an edit operation typed as `dmscope-cli edit` takes it: "create-thin 9", "create-snap 100
// 1", "delete 2", "map 1 0 500 [LEN]", "unmap 1 0 [LEN]", "provision 1 7", "set-transaction-id
// 9", "set-needs-check", "clear-needs-check", "reserve-metadata-snap", "release-metadata-snap",
// "extend-metadata N", "extend-data N". The inverse of EditOperation::command().

#include "core/Expected.h"
#include "models/edit/EditOperation.h"

#include <QStringList>

namespace dms {

Expected<EditOperation> parseEditOperation(const QString& text);
// The operation words, for completion.
QStringList editOperationWords();

} // namespace dms
