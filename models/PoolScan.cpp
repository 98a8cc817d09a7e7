#include "models/PoolScan.h"

#include "core/cache/CacheChecker.h"
#include "core/check/ThinChecker.h"
#include "core/era/EraChecker.h"
#include "core/thin/BlockClassifier.h"
#include "models/ThinPoolDocument.h"

#include <QMetaObject>
#include <chrono>

namespace dms {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

PoolScan::PoolScan(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const PoolScanResult>>();
    qRegisterMetaType<Phase>();
}

PoolScan::~PoolScan() {
    abandonCurrent();
    for (auto& r : abandoned_)
        r->thread.join();
}

QString PoolScan::phaseName(Phase p) {
    switch (p) {
    case Phase::Classify:
        return tr("Classifying metadata blocks");
    case Phase::Check:
        return tr("Checking metadata");
    case Phase::Usage:
        return tr("Counting exclusive and shared blocks");
    }
    return {};
}

void PoolScan::abandonCurrent() {
    if (!current_) return;
    current_->cancel = true;
    abandoned_.push_back(std::move(current_));
    ++generation_; // whatever the abandoned run still posts is dropped
}

void PoolScan::reapFinished() {
    std::erase_if(abandoned_, [](std::unique_ptr<Run>& r) {
        if (!r->done) return false;
        r->thread.join(); // it has returned from run(): joining does not wait
        return true;
    });
}

void PoolScan::start(std::shared_ptr<const ThinPoolDocument> doc) {
    const bool wasRunning = running_;
    abandonCurrent();
    reapFinished();
    running_ = false;
    if (wasRunning) emit cancelled();
    if (!doc) return;
    running_ = true;
    current_ = std::make_unique<Run>();
    Run& r = *current_;
    const unsigned generation = generation_;
    r.thread = std::thread([this, doc = std::move(doc), &r, generation] {
        run(doc, r, generation);
        r.done = true;
    });
}

void PoolScan::cancel() {
    if (!running_) return;
    abandonCurrent();
    reapFinished();
    running_ = false;
    emit cancelled();
}

template <typename Fn> void PoolScan::post(unsigned generation, Fn fn) {
    // Queued to this object's (the UI) thread; generation_ is read there only.
    QMetaObject::invokeMethod(
        this,
        [this, generation, fn = std::move(fn)]() mutable {
            if (generation == generation_) fn();
            reapFinished();
        },
        Qt::QueuedConnection);
}

void PoolScan::run(std::shared_ptr<const ThinPoolDocument> doc, Run& self, unsigned generation) {
    const std::atomic<bool>& cancelled = self.cancel;
    auto result = std::make_shared<PoolScanResult>();
    auto lastReport = Clock::now() - std::chrono::seconds(1);
    auto report = [&](Phase phase, std::uint64_t done, std::uint64_t total) {
        if (cancelled) return false;
        const auto now = Clock::now();
        if (now - lastReport >= std::chrono::milliseconds(40)) {
            lastReport = now;
            post(generation, [this, phase, done, total] { emit progress(phase, done, total); });
        }
        return true;
    };

    auto t0 = Clock::now();
    if (!doc->isThin()) {
        // dm-cache / dm-era: their checker only (cache_check's / era_check's verdict); the
        // block classification and device usage are thin's.
        report(Phase::Check, 0, 1);
        result->checkReport = std::make_shared<const CheckReport>(
            doc->kind() == MetadataKind::Cache ? CacheChecker(doc->source()).run()
                                               : EraChecker(doc->source()).run());
        result->checkSeconds = secondsSince(t0);
        if (cancelled) return;
        post(generation, [this, result] {
            running_ = false;
            emit finished(result);
        });
        return;
    }
    report(Phase::Classify, 0, 1);
    BlockClassifier classifier(doc->metadata());
    classifier.setCancelFlag(&self.cancel);
    auto map = classifier.classify([&](std::uint64_t done, std::uint64_t total) {
        return report(Phase::Classify, done, total);
    });
    if (!map || cancelled) return; // cancelled: cancel() has already told the UI
    result->blockMap = std::make_shared<const BlockMap>(std::move(*map));
    result->classifySeconds = secondsSince(t0);

    t0 = Clock::now();
    lastReport = t0 - std::chrono::seconds(1);
    report(Phase::Check, 0, 1);
    CheckOptions options;
    options.metadataSnapshot = doc->showingMetadataSnapshot();
    result->checkReport =
        std::make_shared<const CheckReport>(ThinChecker(doc->source(), options).run());
    result->checkSeconds = secondsSince(t0);
    if (cancelled) return;

    t0 = Clock::now();
    lastReport = t0 - std::chrono::seconds(1);
    report(Phase::Usage, 0, 1);
    auto usage = computeThinUsage(doc->metadata(), doc->superblock(), true);
    if (usage)
        result->usage = std::make_shared<const std::vector<ThinDeviceUsage>>(std::move(*usage));
    else
        result->usageError = QString::fromStdString(usage.error().describe());
    result->dataTotals = SpaceMapTotals::count(
        doc->metadata(), doc->metadata().superblock().dataSpaceMap, SpaceMapKind::Data);
    result->usageSeconds = secondsSince(t0);
    if (cancelled) return;

    post(generation, [this, result] {
        running_ = false;
        emit finished(result);
    });
}

} // namespace dms
