#pragma once
// The long work behind an opened pool, on a worker thread: classify every metadata block
// (BlockClassifier -> BlockMap), check the metadata (ThinChecker -> CheckReport), count each
// device's exclusive and shared blocks (computeThinUsage) and the data space map's bitmaps. The UI
// thread only receives results: progress() at most every 40 ms, then finished() or cancelled().
// start() while a scan runs cancels it first; results of a cancelled scan are never delivered.
// dm-cache and dm-era metadata get their checker only (blockMap and usage stay null).

#include "core/check/CheckReport.h"
#include "core/thin/BlockMap.h"
#include "core/thin/ThinUsage.h"
#include "models/SpaceMapTotals.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace dms {

class ThinPoolDocument;

struct PoolScanResult {
    std::shared_ptr<const BlockMap> blockMap;
    std::shared_ptr<const CheckReport> checkReport;
    std::shared_ptr<const std::vector<ThinDeviceUsage>> usage; // null when it could not be read
    QString usageError;                                        // why usage is null
    SpaceMapTotals dataTotals; // the live data space map, counted from its bitmaps
    double classifySeconds = 0;
    double checkSeconds = 0;
    double usageSeconds = 0;
};

class PoolScan : public QObject {
    Q_OBJECT
public:
    enum class Phase { Classify, Check, Usage };
    Q_ENUM(Phase)

    explicit PoolScan(QObject* parent = nullptr);
    ~PoolScan() override; // cancels every run and joins its thread

    void start(std::shared_ptr<const ThinPoolDocument> doc);
    void cancel();
    bool isRunning() const { return running_; }

    static QString phaseName(Phase p);

signals:
    void progress(dms::PoolScan::Phase phase, quint64 done, quint64 total);
    void finished(std::shared_ptr<const dms::PoolScanResult> result);
    void cancelled();

private:
    // One scan's thread. A cancelled run is not waited for (the UI must not block): it is told
    // to stop, its results are dropped, and its thread is joined once it has ended.
    struct Run {
        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
        std::thread thread;
    };

    void run(std::shared_ptr<const ThinPoolDocument> doc, Run& self, unsigned generation);
    void abandonCurrent();
    void reapFinished();
    // Posts fn to the UI thread, where it runs only if the scan is still the current one.
    template <typename Fn> void post(unsigned generation, Fn fn);

    std::unique_ptr<Run> current_;
    std::vector<std::unique_ptr<Run>> abandoned_;
    unsigned generation_ = 0; // UI thread only
    bool running_ = false;
};

} // namespace dms
