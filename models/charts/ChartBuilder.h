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
//   transactions  x: state of a transaction history (0 = as opened); lines: free metadata blocks
//                 (left axis), free data blocks (right axis); dashed: the metadata threshold

#include "models/charts/ChartData.h"
#include "models/charts/ChartInputs.h"
#include "models/charts/TransactionFigures.h"

namespace dms {

struct ChartOptions {
    bool logScale = false; // refcounts, bitmap-free, free-runs, mapping-time: a log value axis
    const DeviceMappingTimes* device = nullptr; // set: mapping-time shows this device only
};

// Every kind but Transactions (which gives an empty chart here: see buildTransactionsChart).
ChartData buildChart(ChartKind kind, const ChartInputs& in, const ChartOptions& options = {});
ChartData buildTransactionsChart(const TransactionFigures& figures);

} // namespace dms
