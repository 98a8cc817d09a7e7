#pragma once
// Builds each kind of chart from ChartInputs. The values are the figures of `dmscope-cli stats
// --json` (fills rounded to 2 decimals as there), so a chart's CSV can be checked against it.
//
//   refcounts     x: reference count; series: metadata blocks, data blocks
//   bitmap-free   x: bitmap index; series: free entries (index nr_free) of metadata, data
//   devices       x: device; stacked bars exclusive + shared, marker: mapped_blocks
//   free-runs     x: run length bucket 2^k..2^(k+1)-1; series: runs in metadata, data
//   btree-fill    x: tree; bars: leaf and internal fill avg %, marker: levels (right axis)
//   mapping-time  x: mapping time; series: mappings (all devices, or the selected one)

#include "models/charts/ChartData.h"
#include "models/charts/ChartInputs.h"

namespace dms {

struct ChartOptions {
    bool logScale = false; // refcounts, bitmap-free, free-runs, mapping-time: a log value axis
    const DeviceMappingTimes* device = nullptr; // set: mapping-time shows this device only
};

ChartData buildChart(ChartKind kind, const ChartInputs& in, const ChartOptions& options = {});

} // namespace dms
