#pragma once
// Builds a BlockMapPyramid on a worker thread: a billion-block data space map takes seconds,
// which the UI thread must not wait for. Starting a new build cancels the one under way (its
// result is dropped); progress is reported every 100 ms.

#include "models/BlockMapPyramid.h"

#include <QObject>
#include <atomic>
#include <memory>

class QTimer;

namespace dms {

class BlockMapPyramidJob : public QObject {
    Q_OBJECT
public:
    explicit BlockMapPyramidJob(QObject* parent = nullptr);
    ~BlockMapPyramidJob() override;

    void start(std::shared_ptr<const BlockClassSource> source, const BlockMapLayout& layout);
    void cancel();
    bool running() const { return running_; }
    // Permille of the blocks summarised so far.
    int progress() const { return progress_->load(); }

signals:
    void progressed();
    void finished(std::shared_ptr<const dms::BlockMapPyramid> pyramid);

private:
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<std::atomic<int>> progress_;
    QTimer* timer_;
    quint64 generation_ = 0;
    bool running_ = false;
};

} // namespace dms
