#pragma once
// One piece of work at a time on a worker thread, for searches and other on-demand walks.
// The work gets a cancel flag and returns a closure that delivers its result on the UI thread;
// a job that was cancelled or replaced by a newer one never delivers. Cancelling does not wait
// for the worker (the UI must not block): it is told to stop and joined once it has ended.

#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace dms {

class BackgroundJob : public QObject {
    Q_OBJECT
public:
    using Deliver = std::function<void()>;
    using Work = std::function<Deliver(const std::atomic<bool>& cancel)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    ~BackgroundJob() override; // cancels and joins every worker

    // Cancels the running job, if any, and starts work.
    void start(Work work);
    void cancel();
    bool isRunning() const { return current_ != nullptr; }

signals:
    void started();
    void finished(); // after the delivery closure ran
    void cancelled();

private:
    struct Run {
        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
        std::thread thread;
    };
    void abandonCurrent();
    void reapFinished();

    std::unique_ptr<Run> current_;
    std::vector<std::unique_ptr<Run>> abandoned_;
    unsigned generation_ = 0;
};

} // namespace dms
