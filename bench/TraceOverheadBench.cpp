// dmscope-bench-trace: what trace events cost the write path. The same edit workload (a new pool,
// thins, snapshots, provisioning, overwrites of shared blocks, unmaps, commits) runs in memory with
// no observer, with an observer that only counts events, and with one that keeps every event (as
// the GUI's stepper does); the medians of several runs are printed with the overhead of each.
//
//   dmscope-bench-trace [--runs N] [--mappings M]

#include "core/MemoryBlockSource.h"
#include "core/thin/ThinPoolEditor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

using namespace dms;

namespace {

class CountingObserver final : public TraceObserver {
public:
    void onTrace(const TraceEvent&) override { ++events; }
    std::uint64_t events = 0;
};

class RecordingObserver final : public TraceObserver {
public:
    void onTrace(const TraceEvent& e) override { events.push_back(e); }
    std::vector<TraceEvent> events;
};

// Returns seconds, or a negative value on error (printed).
double runWorkload(TraceObserver* observer, std::uint64_t mappings) {
    auto device = std::make_shared<MemoryBlockSource>(MemoryBlockSource::zeroed(65536));
    const auto start = std::chrono::steady_clock::now();
    ThinPoolEditorOptions options;
    options.observer = observer;
    auto ed = ThinPoolEditor::create(device, 4 * mappings + 1024, 128, options);
    auto fail = [](const Error& e) {
        std::fprintf(stderr, "dmscope-bench-trace: %s\n", e.describe().c_str());
        return -1.0;
    };
    if (!ed) return fail(ed.error());
    std::mt19937_64 rng(7);
    Status s = (*ed)->createThin(0);
    for (std::uint64_t v = 0; s && v < mappings; ++v) {
        auto b = (*ed)->provision(0, v);
        if (!b) s = b.error();
        if (s && v % 20000 == 19999) s = (*ed)->commit();
    }
    for (std::uint64_t snap = 1; s && snap <= 4; ++snap) {
        s = (*ed)->createSnapshot(snap, snap - 1);
        // Overwrite a few percent of the snapshot: breaks sharing along written paths.
        for (std::uint64_t i = 0; s && i < mappings / 32; ++i) {
            auto b = (*ed)->provision(snap, rng() % mappings);
            if (!b) s = b.error();
        }
        if (s) s = (*ed)->unmap(snap - 1, rng() % mappings, 64);
        if (s) s = (*ed)->commit();
    }
    if (s) s = (*ed)->deleteDevice(2);
    if (s) s = (*ed)->commit();
    if (!s) return fail(s.error());
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int runs = 5;
    std::uint64_t mappings = 100000;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--mappings") && i + 1 < argc)
            mappings = std::max<std::uint64_t>(1000, std::strtoull(argv[++i], nullptr, 10));
        else {
            std::fprintf(stderr, "usage: dmscope-bench-trace [--runs N] [--mappings M]\n");
            return 2;
        }
    }
    std::vector<double> none, counting, recording;
    std::uint64_t events = 0;
    std::size_t kept = 0;
    for (int r = 0; r < runs; ++r) {
        // Interleaved, so that machine load affects the three alike.
        const double a = runWorkload(nullptr, mappings);
        CountingObserver c;
        const double b = runWorkload(&c, mappings);
        RecordingObserver rec;
        const double d = runWorkload(&rec, mappings);
        if (a < 0 || b < 0 || d < 0) return 1;
        none.push_back(a);
        counting.push_back(b);
        recording.push_back(d);
        events = c.events;
        kept = rec.events.size();
    }
    const double n = median(none), c = median(counting), r = median(recording);
    std::printf("workload: %llu provisioned blocks on thin 0, 4 snapshots overwriting 3%% each, "
                "unmaps, a delete, %d runs (medians)\n",
                static_cast<unsigned long long>(mappings), runs);
    std::printf("| observer | time | per event | overhead |\n|---|---|---|---|\n");
    std::printf("| none | %.3f s | - | - |\n", n);
    std::printf("| counting (%llu events) | %.3f s | %.1f ns | %+.1f %% |\n",
                static_cast<unsigned long long>(events), c, 1e9 * (c - n) / double(events),
                100.0 * (c - n) / n);
    std::printf("| recording (%zu events kept) | %.3f s | %.1f ns | %+.1f %% |\n", kept, r,
                1e9 * (r - n) / double(kept), 100.0 * (r - n) / n);
    return 0;
}
