#pragma once
// Records the write machinery's trace events, for tests that assert on what happened inside.

#include "core/trace/TraceEvent.h"

#include <functional>
#include <vector>

namespace dms::test {

class TraceRecorder final : public TraceObserver {
public:
    void onTrace(const TraceEvent& e) override { events.push_back(e); }
    void clear() { events.clear(); }

    std::vector<TraceEvent> select(const std::function<bool(const TraceEvent&)>& keep) const {
        std::vector<TraceEvent> out;
        for (const TraceEvent& e : events)
            if (keep(e)) out.push_back(e);
        return out;
    }
    std::vector<TraceEvent> of(TraceKind kind, TraceSource source) const {
        return select([&](const TraceEvent& e) { return e.kind == kind && e.source == source; });
    }

    std::vector<TraceEvent> events;
};

} // namespace dms::test
