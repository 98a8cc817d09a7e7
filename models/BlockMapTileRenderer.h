#pragma once
// Paints the block map into images: one square tile of the view at a zoom level, or a whole level
// for export. Zoom z: a block is 2^z device pixels when z >= 0; when z < 0 a pixel is one level
// (-z) cell of the layout, coloured from the pyramid's counts (or, below the pyramid's base, from
// counts tallied from the source). Cheap to construct; holds references only.

#include "models/BlockMapPyramid.h"
#include "models/BlockMapScheme.h"

#include <QImage>

namespace dms {

class BlockMapTileRenderer {
public:
    static constexpr int kTileSize = 256; // device pixels

    struct Colours {
        QRgb background = 0xff000000; // where no block is
        QRgb grid = 0xff000000;       // cell borders once cells are large
    };

    // pyramid may be null (not built yet): levels at or above its base cannot be painted then.
    BlockMapTileRenderer(const BlockClassSource& source, const BlockMapLayout& layout,
                         const BlockMapPyramid* pyramid, const BlockMapScheme& scheme)
        : source_(source), layout_(layout), pyramid_(pyramid), scheme_(scheme) {}

    // Whether tiles at this zoom can be painted exactly now.
    bool canRender(int zoom) const;
    // Whether they can be previewed: without the pyramid, levels at or above its base are drawn
    // from a sample of each cell's blocks (8 spread runs of 16 blocks), an approximation shown
    // while the pyramid is being built.
    bool canPreview(int zoom) const { return zoom >= 0 || unsigned(-zoom) <= layout_.topLevel(); }
    // Tile (tx, ty) of the map at this zoom, kTileSize square (Format_RGB32).
    QImage renderTile(int zoom, int tx, int ty, const Colours& colours) const;
    // Level k whole, one pixel per cell; null when canRender(-k) is false.
    QImage renderLevel(unsigned k, QRgb background) const;

    // The colour of level-k cell c; 0 where the cell holds no block.
    QRgb cellColour(unsigned k, GridCell c) const;
    // The text drawn in block b's cell once cells are kLabelCell pixels or more: its exact value
    // where its class is a range of values (see BlockClassSource::exactValue); else empty.
    QString cellLabel(std::uint64_t b) const;
    static constexpr int kLabelCell = 16;
    // Class counts of level-k cell c, added to out.
    void addCellCounts(unsigned k, GridCell c, std::uint32_t* out) const;

private:
    const BlockClassSource& source_;
    const BlockMapLayout& layout_;
    const BlockMapPyramid* pyramid_;
    const BlockMapScheme& scheme_;
};

} // namespace dms
