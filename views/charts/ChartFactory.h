#pragma once
// Builds a Qt Charts QChart from ChartData: grouped or stacked bars on a category axis (a
// thinned numeric axis when there are many categories), markers for figures in other units
// (on a right-hand axis when marked secondary), lines (values over time) and dashed lines
// (limits), and a log value axis on request.

#include "models/charts/ChartData.h"

class QChart;

namespace dms {

class ChartFactory {
public:
    enum class Theme { Light, Dark };
    // Categories beyond this get a thinned value axis instead of one label each.
    static constexpr int kMaxCategoryLabels = 32;

    // A new chart the caller owns (or hands to a QChartView / QGraphicsScene).
    static QChart* create(const ChartData& data, Theme theme = Theme::Light);
};

} // namespace dms
