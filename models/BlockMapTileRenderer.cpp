#include "models/BlockMapTileRenderer.h"

#include <QPainter>
#include <array>

namespace dms {

bool BlockMapTileRenderer::canRender(int zoom) const {
    if (zoom >= 0) return true;
    const auto k = static_cast<unsigned>(-zoom);
    if (k > layout_.topLevel()) return false;
    return pyramid_ ? k < pyramid_->baseLevel() || pyramid_->stores(k)
                    : k < BlockMapPyramid::baseLevelFor(layout_.blocks());
}

void BlockMapTileRenderer::addCellCounts(unsigned k, GridCell c, std::uint32_t* out) const {
    if (pyramid_ && pyramid_->stores(k)) {
        pyramid_->addCounts(k, c, out);
        return;
    }
    if (pyramid_ || k < BlockMapPyramid::baseLevelFor(layout_.blocks())) {
        layout_.forEachRun(
            k, c, [&](std::uint64_t first, std::uint64_t n) { source_.tally(first, n, out); });
        return;
    }
    // The preview: 8 runs of 16 blocks spread over the cell (linear: over 8 of its rows).
    constexpr std::uint64_t kSamples = 8, kSampleBlocks = 16;
    const std::uint64_t rowStep =
        layout_.kind() == BlockMapLayout::Kind::Linear
            ? std::max<std::uint64_t>(1, (std::uint64_t(1) << k) / kSamples)
            : 1;
    std::uint64_t row = 0;
    layout_.forEachRun(k, c, [&](std::uint64_t first, std::uint64_t n) {
        if (row++ % rowStep != 0) return;
        const std::uint64_t samples = rowStep > 1 ? 1 : kSamples;
        const std::uint64_t step = n / samples;
        for (std::uint64_t i = 0; i < samples; ++i)
            source_.tally(first + i * step, std::min(kSampleBlocks, n - i * step), out);
    });
}

QRgb BlockMapTileRenderer::cellColour(unsigned k, GridCell c) const {
    if (k == 0) {
        const auto b = layout_.blockAt(c);
        return b ? scheme_.colourOfClass(source_.classOf(*b)) : 0;
    }
    std::array<std::uint32_t, BlockClassSource::kMaxClasses> counts{};
    addCellCounts(k, c, counts.data());
    return scheme_.colourOf(counts.data());
}

QImage BlockMapTileRenderer::renderTile(int zoom, int tx, int ty, const Colours& colours) const {
    QImage img(kTileSize, kTileSize, QImage::Format_RGB32);
    img.fill(colours.background);
    if (zoom <= 0) {
        const auto k = static_cast<unsigned>(-zoom);
        const std::int64_t x0 = std::int64_t(tx) * kTileSize;
        const std::int64_t y0 = std::int64_t(ty) * kTileSize;
        const std::int64_t w = std::min<std::int64_t>(kTileSize, layout_.levelWidth(k) - x0);
        const std::int64_t h = std::min<std::int64_t>(kTileSize, layout_.levelHeight(k) - y0);
        for (std::int64_t j = 0; j < h; ++j) {
            auto* line = reinterpret_cast<QRgb*>(img.scanLine(static_cast<int>(j)));
            for (std::int64_t i = 0; i < w; ++i) {
                const QRgb c = cellColour(
                    k, {static_cast<std::uint32_t>(x0 + i), static_cast<std::uint32_t>(y0 + j)});
                if (c) line[i] = c;
            }
        }
        return img;
    }
    // Zoomed in: each block a square of `cell` pixels, with a grid line once it is large.
    const int cell = 1 << zoom;
    std::vector<std::pair<QRect, QString>> labels;
    const int perTile = std::max(1, kTileSize / cell);
    const bool grid = cell >= 8;
    const std::int64_t cx0 = std::int64_t(tx) * kTileSize / cell;
    const std::int64_t cy0 = std::int64_t(ty) * kTileSize / cell;
    for (int j = 0; j < perTile; ++j) {
        const std::int64_t cy = cy0 + j;
        if (cy >= layout_.height()) break;
        for (int i = 0; i < perTile; ++i) {
            const std::int64_t cx = cx0 + i;
            if (cx >= layout_.width()) break;
            const QRgb c =
                cellColour(0, {static_cast<std::uint32_t>(cx), static_cast<std::uint32_t>(cy)});
            if (!c) continue;
            if (cell >= kLabelCell) {
                const auto b = layout_.blockAt(
                    {static_cast<std::uint32_t>(cx), static_cast<std::uint32_t>(cy)});
                if (QString text = cellLabel(*b); !text.isEmpty())
                    labels.emplace_back(QRect(i * cell, j * cell, cell - 1, cell - 1), text);
            }
            for (int y = 0; y < std::min(cell, kTileSize); ++y) {
                auto* line = reinterpret_cast<QRgb*>(img.scanLine(j * cell + y)) + i * cell;
                const bool edge = grid && y == cell - 1;
                for (int x = 0; x < std::min(cell, kTileSize); ++x)
                    line[x] = (edge || (grid && x == cell - 1)) ? colours.grid : c;
            }
        }
    }
    if (!labels.empty()) {
        QPainter p(&img);
        QFont font;
        font.setPixelSize(std::max(8, cell * 2 / 5));
        p.setFont(font);
        for (const auto& [rect, text] : labels) {
            // Dark text on light cells, light on dark.
            p.setPen(qGray(img.pixel(rect.center())) > 140 ? Qt::black : Qt::white);
            p.drawText(rect, Qt::AlignCenter, text);
        }
    }
    return img;
}

QString BlockMapTileRenderer::cellLabel(std::uint64_t b) const {
    const auto v = source_.exactValue(b);
    return v ? QString::number(*v) : QString();
}

QImage BlockMapTileRenderer::renderLevel(unsigned k, QRgb background) const {
    if (!canRender(-static_cast<int>(k))) return {};
    const int w = static_cast<int>(layout_.levelWidth(k));
    const int h = static_cast<int>(layout_.levelHeight(k));
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(background);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x)
            if (const QRgb c =
                    cellColour(k, {static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)}))
                line[x] = c;
    }
    return img;
}

} // namespace dms
