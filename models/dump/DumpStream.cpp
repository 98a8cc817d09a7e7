#include "models/dump/DumpStream.h"

#include "core/cache/CacheDumper.h"
#include "core/era/EraDumper.h"
#include "core/thin/ThinDumper.h"
#include "models/CacheEraDocument.h"
#include "models/ThinPoolDocument.h"

#include <QMetaObject>
#include <algorithm>
#include <string>

namespace dms {

DumpStream::DumpStream(QObject* parent) : QObject(parent) {}

DumpStream::~DumpStream() {
    stop();
}

void DumpStream::stop() {
    if (!run_) return;
    {
        std::lock_guard lock(run_->mutex);
        run_->cancel = true;
    }
    run_->wake.notify_all();
    // The worker is either waiting for demand (woken above) or in the walk, which checks the
    // sink's status at every leaf: it ends within one leaf's work.
    run_->thread.join();
    run_.reset();
    ++generation_;
}

void DumpStream::cancel() {
    stop();
}

void DumpStream::requestMore(int chunks) {
    if (!run_) return;
    {
        std::lock_guard lock(run_->mutex);
        run_->allowed += chunks;
    }
    run_->wake.notify_all();
}

void DumpStream::start(std::shared_ptr<const ThinPoolDocument> doc, ThinDumpFormat format,
                       int aheadChunks, int chunkLines) {
    stop();
    finished_ = false;
    lines_ = 0;
    if (!doc) return;
    run_ = std::make_unique<Run>();
    run_->allowed = aheadChunks;
    Run* run = run_.get();
    const unsigned generation = generation_;
    run->thread = std::thread([this, run, generation, doc, format, chunkLines] {
        std::string pending;
        long long pendingLines = 0;
        long long produced = 0;
        auto deliver = [&](std::string text, long long lines) {
            QMetaObject::invokeMethod(
                this,
                [this, generation, text = QString::fromUtf8(text.data(), qsizetype(text.size())),
                 lines] {
                    if (generation != generation_) return;
                    lines_ += lines;
                    emit chunkReady(text, lines);
                },
                Qt::QueuedConnection);
        };
        auto sink = [&](const char* data, std::size_t size) -> Status {
            pending.append(data, size);
            pendingLines += std::count(data, data + size, '\n');
            while (pendingLines >= chunkLines) {
                // Cut after the chunkLines-th newline: chunks are whole lines.
                std::size_t cut = 0;
                for (int n = 0; n < chunkLines; ++n)
                    cut = pending.find('\n', cut) + 1;
                deliver(pending.substr(0, cut), chunkLines);
                pending.erase(0, cut);
                pendingLines -= chunkLines;
                ++produced;
                std::unique_lock lock(run->mutex);
                run->wake.wait(lock, [&] { return run->cancel || produced < run->allowed; });
                if (run->cancel) return Status(makeError(ErrorKind::Usage, "cancelled"));
            }
            return Status::success();
        };
        ThinDumpOptions options;
        options.format = format;
        options.useMetadataSnap = doc->showingMetadataSnapshot();
        OutputBuffer out(sink, 64 * 1024);
        Status s = Status::success();
        if (const auto& ce = doc->cacheEra())
            s = ce->isCache() ? dumpCacheMetadata(ce->reader(), ce->cache(), {}, out)
                              : dumpEraMetadata(ce->reader(), ce->era(), out);
        else
            s = dumpThinMetadata(doc->metadata(), options, out);
        // Damage stops the dump; what was written before it is shown, as `dmscope-cli dump`.
        Status flushed = out.flush();
        if (s) s = flushed;
        {
            std::lock_guard lock(run->mutex);
            if (run->cancel) return;
        }
        if (!pending.empty()) deliver(std::move(pending), pendingLines);
        const QString error = s ? QString() : QString::fromStdString(s.error().describe());
        QMetaObject::invokeMethod(
            this,
            [this, generation, error] {
                if (generation != generation_) return;
                finished_ = true;
                emit finished(error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace dms
