#pragma once
// Back/forward over the blocks selected in a window, as in a web browser: every new selection is
// recorded after the current position (dropping the forward part); back() and forward() move
// along the record and select that block again without recording it. Capped at 1000 entries.

#include "models/BlockRef.h"

#include <QObject>
#include <vector>

namespace dms {

class BlockSelection;

class NavigationHistory : public QObject {
    Q_OBJECT
public:
    explicit NavigationHistory(BlockSelection* selection, QObject* parent = nullptr);

    bool canGoBack() const { return position_ > 0; }
    bool canGoForward() const { return position_ + 1 < entries_.size(); }
    void back();
    void forward();
    void clear();

    const std::vector<BlockRef>& entries() const { return entries_; }
    std::size_t position() const { return position_; }

    static constexpr std::size_t kMaxEntries = 1000;

signals:
    void changed(); // canGoBack()/canGoForward() may differ

private:
    void record(const BlockRef& ref);
    void moveTo(std::size_t position);

    BlockSelection* selection_;
    std::vector<BlockRef> entries_;
    std::size_t position_ = 0;
    bool moving_ = false;
};

} // namespace dms
