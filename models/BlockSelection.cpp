#include "models/BlockSelection.h"

namespace dms {

BlockSelection::BlockSelection(QObject* parent) : QObject(parent) {
    qRegisterMetaType<BlockRef>();
}

void BlockSelection::select(const BlockRef& ref, const QObject* origin) {
    if (current_ && *current_ == ref) return;
    current_ = ref;
    emit currentChanged(ref, origin);
}

void BlockSelection::clear() {
    if (!current_) return;
    current_.reset();
    emit cleared();
}

} // namespace dms
