#pragma once
// Times the block map's frames over a zoom/pan sweep: from the whole map in to the closest zoom
// (panning at each level) and back out, then jumps to scattered blocks. A frame is one paint of
// the viewport (every paint counts: the step's own and those as its tiles arrive from the
// workers); a step is complete when every visible tile is in.

#include "views/blockmap/BlockMapCanvas.h"

#include <vector>

namespace dms::bench {

struct SweepResult {
    std::vector<double> frameMs;
    std::vector<double> frameCpuMs; // the UI thread's CPU time in the frame (no preemption)
    std::vector<double> completeMs; // per step: from the input until all its tiles are painted
    unsigned steps = 0;

    static double percentile(const std::vector<double>& values, double p);
};

SweepResult sweepBlockMap(BlockMapCanvas& canvas);

} // namespace dms::bench
