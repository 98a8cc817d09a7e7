#pragma once
// What the block map draws besides its tiles, from the widget's palette (so dark themes stay
// dark): the colours of the map's background, grid and empty blocks, the selected block's
// outline, and the text shown instead of a map.

#include "models/BlockMapTileRenderer.h"

#include <QPalette>

class QPainter;

namespace dms::blockmap {

BlockMapTileRenderer::Colours tileColours(const QPalette& palette);
// Free / count 0 / no device: a shade just off the palette's base.
QRgb emptyColour(const QPalette& palette);
// An outline around cell (device pixels) never smaller than 12 device pixels, so the selection
// can be found when zoomed far out.
void paintSelection(QPainter& p, const QRectF& cell, const QPalette& palette, qreal dpr);
void paintMessage(QPainter& p, const QRect& area, const QString& text, const QPalette& palette);
// A short note in a box at the top left, over the map.
void paintBadge(QPainter& p, const QString& text, const QPalette& palette);
// CPU time of the calling thread, for frame statistics.
double threadCpuMs();

} // namespace dms::blockmap
