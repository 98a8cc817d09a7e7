#pragma once
// The one current block of a window. Views call select() when the user picks a block and follow
// currentChanged() to show it; selecting the block that is already current emits nothing, so two
// views that follow each other do not loop. Navigation history and go-to are built on top of it.

#include "models/BlockRef.h"

#include <QObject>
#include <optional>

namespace dms {

class BlockSelection : public QObject {
    Q_OBJECT
public:
    explicit BlockSelection(QObject* parent = nullptr);

    std::optional<BlockRef> current() const { return current_; }
    // origin: the object that made the selection (a view can ignore its own echo); may be null.
    void select(const BlockRef& ref, const QObject* origin = nullptr);
    // Forgets the selection (a new document was opened).
    void clear();

signals:
    void currentChanged(const dms::BlockRef& ref, const QObject* origin);
    void cleared();

private:
    std::optional<BlockRef> current_;
};

} // namespace dms
