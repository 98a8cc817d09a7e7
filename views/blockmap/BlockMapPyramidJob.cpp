#include "views/blockmap/BlockMapPyramidJob.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>
#include <QTimer>

namespace dms {

BlockMapPyramidJob::BlockMapPyramidJob(QObject* parent)
    : QObject(parent), cancel_(std::make_shared<std::atomic<bool>>(false)),
      progress_(std::make_shared<std::atomic<int>>(0)), timer_(new QTimer(this)) {
    timer_->setInterval(100);
    connect(timer_, &QTimer::timeout, this, &BlockMapPyramidJob::progressed);
}

BlockMapPyramidJob::~BlockMapPyramidJob() {
    cancel_->store(true);
}

void BlockMapPyramidJob::cancel() {
    cancel_->store(true);
    ++generation_;
    running_ = false;
    timer_->stop();
}

void BlockMapPyramidJob::start(std::shared_ptr<const BlockClassSource> source,
                               const BlockMapLayout& layout) {
    cancel();
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    progress_ = std::make_shared<std::atomic<int>>(0);
    using Result = std::shared_ptr<const BlockMapPyramid>;
    auto promise = std::make_shared<QPromise<Result>>();
    auto* watcher = new QFutureWatcher<Result>(this);
    const quint64 generation = generation_;
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_) return;
        running_ = false;
        timer_->stop();
        if (watcher->future().resultCount() == 0 || !watcher->result()) return;
        emit finished(watcher->result());
    });
    watcher->setFuture(promise->future());
    promise->start();
    running_ = true;
    timer_->start();
    // The worker holds the source (and through it the document) until it returns.
    QThreadPool::globalInstance()->start(
        [promise, source = std::move(source), layout, cancel = cancel_, progress = progress_] {
            auto built = BlockMapPyramid::build(
                *source, layout, BlockMapPyramid::baseLevelFor(layout.blocks()),
                [&](std::uint64_t done, std::uint64_t total) {
                    progress->store(total ? static_cast<int>(done * 1000 / total) : 1000);
                    return !cancel->load();
                });
            promise->addResult(built && !cancel->load()
                                   ? std::make_shared<const BlockMapPyramid>(std::move(*built))
                                   : nullptr);
            promise->finish();
        });
}

} // namespace dms
