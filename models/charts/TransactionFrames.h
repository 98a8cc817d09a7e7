#pragma once
// A transaction history as a time-lapse: one image per state (0 = the metadata as opened, k =
// after the k-th commit), each the metadata block map coloured by block type as the block map
// view's full-resolution export draws it (BlockClassifier -> MetadataClassSource ->
// BlockMapTileRenderer, Hilbert layout), with a caption line and a legend. Every frame has the
// same size and the same layout (all states are views of one device), so the frames play as a
// film; the blocks the frame's transaction wrote are outlined.
//
//   +----------------------------------------------------------+
//   | state k of N · time · operations        free metadata X  |  caption
//   |  block map (integer scale, centred)      | legend: types |
//   |                                          | with counts   |  (frames >= 560 px wide)
//   +----------------------------------------------------------+

#include "models/BlockMapLayout.h"
#include "models/edit/TransactionHistory.h"

#include <QImage>
#include <QRect>
#include <QSize>
#include <atomic>
#include <functional>

namespace dms {

class TransactionFrames {
public:
    struct Options {
        QSize size{1024, 640}; // pixels of every frame
        bool emphasiseChanges = true;
    };
    // done frames of total; returning false stops.
    using Progress = std::function<bool(int done, int total)>;

    // `latest`: the metadata after the history's last transaction.
    TransactionFrames(const TransactionHistory& history, std::shared_ptr<const BlockSource> latest,
                      const Options& options);

    int count() const { return history_.size() + 1; }
    const BlockMapLayout& layout() const { return layout_; }
    // Where metadata block b is drawn in every frame (one cell of `level` blocks squared).
    QRect cellRect(std::uint64_t b) const;
    // The frame of state k (0 <= k < count()); an error when that state cannot be read at all
    // (damage inside it is drawn as the block map draws it).
    Expected<QImage> render(int k) const;
    // Writes frame-0000.png ... into dir (made if missing); the number of frames written.
    Expected<int> writeAll(const QString& dir, const Progress& progress = {}) const;

    static QString frameFileName(int k);
    static constexpr QSize kMinSize{240, 160};

private:
    const TransactionHistory& history_;
    std::shared_ptr<const BlockSource> latest_;
    Options options_;
    BlockMapLayout layout_;
    // The geometry shared by every frame: the layout level drawn, its whole-pixel scale and the
    // map's top left corner; the legend column's width (0: none).
    unsigned level_ = 0;
    int scale_ = 1;
    QPoint origin_;
    int legendWidth_ = 0;
};

} // namespace dms
