#pragma once
// The background read behind the cache and era views: a document's contents (timed) and the
// roles of its metadata blocks, both read on a BackgroundJob's worker and delivered together on
// the UI thread (never if the job was cancelled or replaced meanwhile).

#include "models/BackgroundJob.h"
#include "models/CacheEraBlockRoles.h"
#include "models/CacheEraDocument.h"

#include <QElapsedTimer>
#include <atomic>
#include <memory>
#include <type_traits>

namespace dms {

// read(const CacheEraDocument&, const std::atomic<bool>* cancel) returns the contents (on the
// worker); deliver(std::shared_ptr<const Contents>, qint64 readMs,
// std::shared_ptr<const CacheEraBlockRoles>) runs on the UI thread.
template <class Read, class Deliver>
void startCacheEraLoad(BackgroundJob& job, std::shared_ptr<const CacheEraDocument> doc, Read read,
                       Deliver deliver) {
    using Contents = std::invoke_result_t<Read, const CacheEraDocument&, const std::atomic<bool>*>;
    job.start([doc, read, deliver](const std::atomic<bool>& cancel) -> BackgroundJob::Deliver {
        QElapsedTimer timer;
        timer.start();
        auto contents = std::make_shared<const Contents>(read(*doc, &cancel));
        const qint64 ms = timer.elapsed();
        auto roles =
            std::make_shared<const CacheEraBlockRoles>(CacheEraBlockRoles::classify(*doc, &cancel));
        return [deliver, contents, ms, roles] { deliver(contents, ms, roles); };
    });
}

} // namespace dms
