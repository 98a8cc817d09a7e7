#include "models/charts/TransactionFrames.h"

#include "core/thin/BlockClassifier.h"
#include "models/BlockMapTileRenderer.h"
#include "models/MetadataClassSource.h"

#include <QDir>
#include <QFontMetrics>
#include <QLocale>
#include <QPainter>

namespace dms {
namespace {

constexpr int kMargin = 8;
constexpr int kCaptionHeight = 26;
constexpr int kLegendWidth = 270;    // a column right of the map...
constexpr int kLegendMinFrame = 560; // ...in frames at least this wide
constexpr int kLegendRow = 18;
constexpr QRgb kBackground = 0xffffffff;
constexpr QRgb kText = 0xff202020;
constexpr QRgb kChanged = 0xff000000;

Expected<std::shared_ptr<const BlockMap>> classifyState(std::shared_ptr<const BlockSource> src) {
    auto md = ThinMetadata::open(src);
    if (!md) md = ThinMetadata::openDamaged(src); // draw what can be read of a damaged state
    if (!md) return md.takeError();
    auto map = BlockClassifier(**md).classify();
    if (!map) return map.takeError();
    return std::shared_ptr<const BlockMap>(std::make_shared<BlockMap>(std::move(*map)));
}

QFont frameFont(int pixels, bool bold = false) {
    QFont f;
    f.setPixelSize(pixels);
    f.setBold(bold);
    return f;
}

} // namespace

TransactionFrames::TransactionFrames(const TransactionHistory& history,
                                     std::shared_ptr<const BlockSource> latest,
                                     const Options& options)
    : history_(history), latest_(std::move(latest)), options_(options) {
    options_.size = options_.size.expandedTo(kMinSize);
    // Every state is a view over `latest`, so all have its size: one layout for every frame.
    layout_ = BlockMapLayout(BlockMapLayout::Kind::Hilbert, latest_ ? latest_->blockCount() : 0);
    // The finest level that fits the map area, drawn at a whole-pixel scale.
    const QSize size = options_.size;
    legendWidth_ = size.width() >= kLegendMinFrame ? kLegendWidth : 0;
    const QRect area(kMargin, kCaptionHeight, size.width() - 2 * kMargin - legendWidth_,
                     size.height() - kCaptionHeight - kMargin);
    while (level_ < layout_.topLevel() && (int(layout_.levelWidth(level_)) > area.width() ||
                                           int(layout_.levelHeight(level_)) > area.height()))
        ++level_;
    const int w = int(layout_.levelWidth(level_)), h = int(layout_.levelHeight(level_));
    scale_ = std::max(1, std::min(area.width() / std::max(1, w), area.height() / std::max(1, h)));
    origin_ = QPoint(area.x() + (area.width() - w * scale_) / 2,
                     area.y() + (area.height() - h * scale_) / 2);
}

QRect TransactionFrames::cellRect(std::uint64_t b) const {
    if (b >= layout_.blocks()) return {};
    const GridCell cell = layout_.cellOf(b);
    return QRect(origin_.x() + int(cell.x >> level_) * scale_,
                 origin_.y() + int(cell.y >> level_) * scale_, scale_, scale_);
}

QString TransactionFrames::frameFileName(int k) {
    return QStringLiteral("frame-%1.png").arg(k, 4, 10, QLatin1Char('0'));
}

Expected<QImage> TransactionFrames::render(int k) const {
    if (!latest_) return makeError(ErrorKind::Usage, "no metadata to draw the frames from");
    auto state = history_.stateAt(k, latest_);
    if (!state) return state.takeError();
    auto map = classifyState(*state);
    if (!map) {
        Error e = map.error();
        e.message = "state " + std::to_string(k) + ": " + e.message;
        return e;
    }
    const MetadataClassSource source(*map, BlockMapColouring::Type);
    const BlockMapScheme scheme = BlockMapScheme::forType();

    const QSize size = options_.size;
    const unsigned level = level_;
    const int scale = scale_;
    std::optional<BlockMapPyramid> pyramid;
    const unsigned base = BlockMapPyramid::baseLevelFor(layout_.blocks());
    if (level >= base) pyramid = BlockMapPyramid::build(source, layout_, base);
    const BlockMapTileRenderer renderer(source, layout_, pyramid ? &*pyramid : nullptr, scheme);
    const QImage cells = renderer.renderLevel(level, kBackground);

    QImage img(size, QImage::Format_RGB32);
    img.fill(kBackground);
    QPainter p(&img);
    p.drawImage(QRect(origin_, cells.size() * scale), cells);

    // The blocks this state's transaction wrote, outlined (a cell of several blocks once).
    if (options_.emphasiseChanges && k > 0) {
        const int penWidth = std::max(1, scale / 4);
        p.setPen(QPen(QColor::fromRgb(kChanged), penWidth));
        p.setBrush(Qt::NoBrush);
        const int inset = penWidth / 2;
        QRect last;
        for (const BlockChange& c : history_.at(k - 1).blocks) {
            const QRect r = cellRect(c.block);
            if (r.isNull() || r == last) continue;
            last = r;
            if (scale >= 3)
                p.drawRect(r.adjusted(inset, inset, -inset - 1, -inset - 1));
            else
                p.fillRect(r, QColor::fromRgb(kChanged));
        }
    }

    // Caption: which state, when, what; and the free metadata blocks.
    const QLocale locale;
    p.setPen(QColor::fromRgb(kText));
    p.setFont(frameFont(13));
    const std::uint64_t smBlocks = (*map)->spaceMapBlocks();
    const std::uint64_t freeBlocks = smBlocks - std::min(smBlocks, (*map)->allocated());
    const QString right = QStringLiteral("free metadata %1 of %2")
                              .arg(locale.toString(quint64(freeBlocks)))
                              .arg(locale.toString(quint64(smBlocks)));
    const QFontMetrics fm(p.font());
    const int rightWidth = fm.horizontalAdvance(right);
    QString left = QStringLiteral("state %1 of %2").arg(k).arg(history_.size());
    if (k == 0) {
        left += QStringLiteral(" · as opened");
    } else {
        const Transaction& t = history_.at(k - 1);
        left += QStringLiteral(" · %1 · %2 blocks written · %3")
                    .arg(t.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")))
                    .arg(t.blocks.size())
                    .arg(t.operations.join(QStringLiteral("; ")));
    }
    const QRect caption(kMargin, 0, size.width() - 2 * kMargin, kCaptionHeight);
    p.drawText(caption.adjusted(0, 0, -rightWidth - 16, 0), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(left, Qt::ElideRight, caption.width() - rightWidth - 16));
    p.drawText(caption, Qt::AlignRight | Qt::AlignVCenter, right);

    // Legend: the types present in this state, in the scheme's order, one a line.
    const int legendWidth = legendWidth_;
    if (legendWidth > 0) {
        p.setFont(frameFont(11));
        const QFontMetrics lm(p.font());
        const int x = size.width() - kMargin - legendWidth + 12;
        int y = kCaptionHeight;
        auto swatch = [&](const QString& text) {
            p.setPen(QColor::fromRgb(kText));
            p.drawText(QRect(x + 20, y, legendWidth - 32, kLegendRow),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       lm.elidedText(text, Qt::ElideRight, legendWidth - 32));
            const QRect box(x, y + 3, 12, 12);
            y += kLegendRow;
            return box;
        };
        for (unsigned c = 0; c < scheme.classCount() && y + kLegendRow <= size.height(); ++c)
            if (const std::uint64_t n = (*map)->total(static_cast<BlockRole>(c))) {
                const QRect box = swatch(
                    QStringLiteral("%1: %2").arg(scheme.classes()[c].name, locale.toString(n)));
                p.fillRect(box, QColor::fromRgb(scheme.colourOfClass(c)));
                p.setPen(QColor::fromRgb(kText));
                p.drawRect(box);
            }
        if (options_.emphasiseChanges && k > 0 && y + kLegendRow <= size.height()) {
            y += kLegendRow / 2;
            const QRect box = swatch(QStringLiteral("written by this transaction"));
            p.setPen(QPen(QColor::fromRgb(kChanged), 2));
            p.drawRect(box.adjusted(1, 1, -1, -1));
        }
    }
    p.end();
    return img;
}

Expected<int> TransactionFrames::writeAll(const QString& dir, const Progress& progress) const {
    if (!QDir().mkpath(dir))
        return makeError(ErrorKind::Io, "cannot make the directory " + dir.toStdString());
    const QDir out(dir);
    for (int k = 0; k < count(); ++k) {
        if (progress && !progress(k, count())) return k;
        auto img = render(k);
        if (!img) return img.takeError();
        const QString path = out.filePath(frameFileName(k));
        if (!img->save(path, "PNG"))
            return makeError(ErrorKind::Io, "cannot write " + path.toStdString());
    }
    if (progress) progress(count(), count());
    return count();
}

} // namespace dms
