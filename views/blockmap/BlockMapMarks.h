#pragma once
// Marks drawn over the block map's tiles for the blocks an edit session's open transaction
// touched: shadowed (the originals, copied on write) with a dashed outline, allocated (shadow
// copies and new blocks) with a solid outline, freed (count reached 0) hatched. Drawn per frame
// for the visible marks only, from sorted block lists, so the tiles (and their cache) never
// change and the map stays as fast as without marks.

#include "models/BlockMapLayout.h"

#include <QPixmap>
#include <QPoint>
#include <QSize>
#include <memory>
#include <vector>

class QPainter;

namespace dms {

struct BlockMapMarks {
    enum Kind { Shadowed, Allocated, Freed, KindCount };
    std::vector<std::uint64_t> blocks[KindCount]; // each sorted
    bool empty() const { return blocks[0].empty() && blocks[1].empty() && blocks[2].empty(); }
    std::size_t count(Kind k) const { return blocks[k].size(); }

    // Where the blocks sit on the grid, computed by the first paint for a layout and kept (a
    // frame then only looks at visible cells).
    struct Placed {
        BlockMapLayout::Kind layout = BlockMapLayout::Kind::Hilbert;
        std::uint64_t layoutBlocks = 0;
        std::vector<GridCell> cells[KindCount];
    };
    mutable std::shared_ptr<Placed> placed;
};

namespace blockmap {

const char* markName(BlockMapMarks::Kind kind); // "shadowed", "allocated", "freed"
QColor markColour(BlockMapMarks::Kind kind);
// The legend's swatch for a kind: the mark as drawn on an empty cell.
QPixmap markSwatch(BlockMapMarks::Kind kind, const QColor& cellColour, qreal dpr);
// Draws the marks inside the viewport (device pixels: `origin` is the map's top-left, `view` the
// viewport's size) at zoom z (BlockMapCanvas's meaning), each over a halo of `halo`.
void paintMarks(QPainter& p, const BlockMapMarks& marks, const BlockMapLayout& layout, int zoom,
                QPoint origin, QSize view, qreal dpr, const QColor& halo);

} // namespace blockmap
} // namespace dms
