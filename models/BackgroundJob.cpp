#include "models/BackgroundJob.h"

#include <QMetaObject>

namespace dms {

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
    abandonCurrent();
    for (auto& r : abandoned_)
        r->thread.join();
}

void BackgroundJob::abandonCurrent() {
    if (!current_) return;
    current_->cancel = true;
    abandoned_.push_back(std::move(current_));
    ++generation_;
}

void BackgroundJob::reapFinished() {
    std::erase_if(abandoned_, [](std::unique_ptr<Run>& r) {
        if (!r->done) return false;
        r->thread.join();
        return true;
    });
}

void BackgroundJob::start(Work work) {
    const bool wasRunning = isRunning();
    abandonCurrent();
    reapFinished();
    if (wasRunning) emit cancelled();
    current_ = std::make_unique<Run>();
    Run& r = *current_;
    const unsigned generation = generation_;
    r.thread = std::thread([this, &r, generation, work = std::move(work)] {
        Deliver deliver = work(r.cancel);
        if (!r.cancel) {
            QMetaObject::invokeMethod(
                this,
                [this, generation, deliver = std::move(deliver)] {
                    if (generation != generation_) return;
                    // Finished: the run moves to the reaped list, its thread ends right after.
                    abandonCurrent();
                    if (deliver) deliver();
                    emit finished();
                    reapFinished();
                },
                Qt::QueuedConnection);
        }
        r.done = true;
    });
    emit started();
}

void BackgroundJob::cancel() {
    if (!isRunning()) return;
    abandonCurrent();
    reapFinished();
    emit cancelled();
}

} // namespace dms
