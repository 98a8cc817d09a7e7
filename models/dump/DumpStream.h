#pragma once
// The thin_dump text of an open pool (core dumpThinMetadata: byte for byte `dmscope-cli dump`),
// produced on a worker thread in chunks of whole lines, on demand: the worker runs ahead by at
// most the chunks asked for and then waits, so a dump of millions of mappings costs memory only
// for what the viewer has asked for. Chunks arrive on the UI thread in order with chunkReady();
// finished() follows the last one (with the error that stopped the dump, if any). start() or
// cancel() while a dump runs stops it (the worker stops at its next leaf).

#include "core/thin/ThinDumpWriter.h"

#include <QObject>
#include <QString>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace dms {

class ThinPoolDocument;

class DumpStream : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultChunkLines = 2000;

    explicit DumpStream(QObject* parent = nullptr);
    ~DumpStream() override; // stops the worker and joins it

    // Dumps doc's shown superblock (the live one, or the held copy as thin_dump -m); dm-cache and
    // dm-era metadata as cache_dump / era_dump 0.9.0 print it (format is then ignored).
    // aheadChunks: how many chunks to produce before waiting for requestMore().
    void start(std::shared_ptr<const ThinPoolDocument> doc, ThinDumpFormat format,
               int aheadChunks = 2, int chunkLines = kDefaultChunkLines);
    void cancel();
    // Lets the worker produce `chunks` more.
    void requestMore(int chunks = 1);

    bool isRunning() const { return run_ != nullptr && !finished_; }
    bool isFinished() const { return finished_; }
    qint64 linesDelivered() const { return lines_; }

signals:
    void chunkReady(const QString& text, qint64 lines);
    void finished(const QString& error); // empty when the whole dump was delivered

private:
    struct Run {
        std::mutex mutex;
        std::condition_variable wake;
        bool cancel = false;
        long long allowed = 0; // chunks the UI asked for so far
        std::thread thread;
    };
    void stop();

    std::unique_ptr<Run> run_;
    unsigned generation_ = 0;
    bool finished_ = false;
    qint64 lines_ = 0;
};

} // namespace dms
