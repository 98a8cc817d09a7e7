#include "views/charts/ChartFactory.h"

#include <QSet>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

namespace dms {
namespace {

double maxValue(const ChartData& d, bool secondary) {
    double m = 0;
    if (d.stacked && !secondary) {
        for (qsizetype i = 0; i < d.categories.size(); ++i) {
            double sum = 0;
            for (const auto& s : d.series)
                if (s.shape == ChartSeries::Shape::Bar && i < s.values.size() &&
                    !std::isnan(s.values[i]))
                    sum += s.values[i];
            m = std::max(m, sum);
        }
    }
    for (const auto& s : d.series) {
        if (s.secondaryAxis != secondary) continue;
        for (double v : s.values)
            if (!std::isnan(v)) m = std::max(m, v);
    }
    return m;
}

QAbstractAxis* categoryAxis(const ChartData& d) {
    const int n = int(d.categories.size());
    if (n <= ChartFactory::kMaxCategoryLabels) {
        auto* axis = new QBarCategoryAxis;
        axis->append(d.categories);
        // Long names side by side would be elided (about 100 characters fit). Qt elides a label
        // wider than its category even when slanted, so they stand upright.
        qsizetype longest = 0;
        for (const auto& c : d.categories)
            longest = std::max(longest, c.size());
        if (longest * n > 100) axis->setLabelsAngle(-90);
        return axis;
    }
    // Too many labels to read: label every step-th category at its position.
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // Each label gets the width between it and the previous one: a dozen keep whole numbers whole.
    constexpr int kThinnedLabels = 12;
    const int step = (n + kThinnedLabels - 1) / kThinnedLabels;
    for (int i = 0; i < n; i += step)
        axis->append(d.categories[i], i);
    axis->setRange(-0.5, n - 0.5);
    return axis;
}

QAbstractAxis* valueAxis(const ChartData& d, bool secondary) {
    const double top = maxValue(d, secondary);
    if (d.logScale && !secondary) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat(QStringLiteral("%g"));
        axis->setMinorTickCount(0);
        axis->setRange(0.5, std::max(10.0, top * 2));
        return axis;
    }
    auto* axis = new QValueAxis;
    if (!secondary && d.yMax > 0) {
        axis->setRange(0, d.yMax);
        axis->setTickCount(6);
    } else if (d.fitValues) {
        // From the lowest value to the highest, with a margin (at least one unit each side).
        double lo = top;
        for (const auto& s : d.series)
            if (s.secondaryAxis == secondary)
                for (double v : s.values)
                    if (!std::isnan(v)) lo = std::min(lo, v);
        const double pad = std::max(1.0, (top - lo) * 0.1);
        axis->setRange(std::max(0.0, lo - pad), top + pad);
        axis->applyNiceNumbers();
    } else {
        axis->setRange(0, top > 0 ? top * 1.05 : 1);
        axis->applyNiceNumbers();
    }
    // Whole counts read better without decimals; fills keep theirs.
    bool integral = true;
    for (const auto& s : d.series)
        if (s.secondaryAxis == secondary)
            for (double v : s.values)
                if (!std::isnan(v) && v != std::floor(v)) integral = false;
    axis->setLabelFormat(integral || d.yMax > 0 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    return axis;
}

} // namespace

QChart* ChartFactory::create(const ChartData& d, Theme theme) {
    auto* chart = new QChart;
    chart->setTheme(theme == Theme::Dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setTitle(
        d.subtitle.isEmpty()
            ? d.title
            : QStringLiteral("<div align=\"center\"><b>%1</b><br><small>%2</small></div>")
                  .arg(d.title.toHtmlEscaped(), d.subtitle.toHtmlEscaped()));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);

    QAbstractBarSeries* bars = nullptr;
    if (d.stacked)
        bars = new QStackedBarSeries;
    else
        bars = new QBarSeries;
    QList<QXYSeries*> points; // markers and lines, in the order of their ChartSeries
    // Marker colours apart from the theme's bar colours, so they do not read as one of the bars.
    const QColor markerColour =
        theme == Theme::Dark ? QColor(0xff, 0xb0, 0x3b) : QColor(0xc0, 0x1c, 0x28);
    for (const auto& s : d.series) {
        if (s.shape == ChartSeries::Shape::Bar) {
            auto* set = new QBarSet(s.name);
            for (double v : s.values)
                *set << (std::isnan(v) ? 0.0 : v);
            bars->append(set);
            continue;
        }
        QXYSeries* xy = nullptr;
        if (s.shape == ChartSeries::Shape::Marker) {
            auto* m = new QScatterSeries;
            m->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            m->setMarkerSize(9);
            m->setColor(markerColour);
            m->setBorderColor(markerColour.darker(140));
            xy = m;
        } else {
            xy = new QLineSeries;
        }
        xy->setName(s.name);
        for (qsizetype i = 0; i < s.values.size(); ++i) {
            if (std::isnan(s.values[i])) continue;
            if (s.shape == ChartSeries::Shape::DashedLine) {
                // A limit holds over its whole category: a step across it, not a slope between
                // categories.
                xy->append(double(i) - 0.5, s.values[i]);
                xy->append(double(i) + 0.5, s.values[i]);
            } else {
                xy->append(double(i), s.values[i]);
            }
        }
        points << xy;
    }
    const bool haveBars = bars->count() > 0;
    if (haveBars) {
        const bool dense = d.categories.size() > kMaxCategoryLabels;
        bars->setBarWidth(dense ? 1.0 : 0.7);
        // The theme outlines bars in the background colour: thin bars would vanish in it.
        if (dense)
            for (QBarSet* set : bars->barSets())
                set->setPen(Qt::NoPen);
        chart->addSeries(bars);
    } else {
        delete bars;
        bars = nullptr;
    }
    for (auto* m : points)
        chart->addSeries(m);
    // Pens after addSeries: adding applies the theme's, which would replace them.
    qsizetype pi = 0;
    for (const auto& s : d.series) {
        if (s.shape == ChartSeries::Shape::Bar) continue;
        QXYSeries* xy = points[pi++];
        if (s.shape == ChartSeries::Shape::Line) {
            QPen pen = xy->pen();
            pen.setWidthF(2.5);
            xy->setPen(pen);
            // Points show each state while there are few enough to tell apart.
            xy->setPointsVisible(d.categories.size() <= 64);
        } else if (s.shape == ChartSeries::Shape::DashedLine) {
            QPen pen(markerColour, 2, Qt::DashLine);
            xy->setPen(pen);
        }
    }

    QAbstractAxis* x = categoryAxis(d);
    x->setTitleText(d.xTitle);
    chart->addAxis(x, Qt::AlignBottom);
    QAbstractAxis* y = valueAxis(d, false);
    y->setTitleText(d.yTitle);
    chart->addAxis(y, Qt::AlignLeft);
    QAbstractAxis* y2 = nullptr;
    for (const auto& s : d.series)
        if (s.secondaryAxis && !y2) {
            y2 = valueAxis(d, true);
            y2->setTitleText(d.y2Title);
            // Grid lines of the left axis only: two sets at different steps would not line up.
            y2->setGridLineVisible(false);
            y2->setMinorGridLineVisible(false);
            chart->addAxis(y2, Qt::AlignRight);
        }
    if (bars) {
        bars->attachAxis(x);
        bars->attachAxis(y);
    }
    qsizetype li = 0;
    QSet<QAbstractAxis*> coloured;
    for (const auto& s : d.series) {
        if (s.shape == ChartSeries::Shape::Bar) continue;
        QXYSeries* l = points[li++];
        l->attachAxis(x);
        QAbstractAxis* axis = s.secondaryAxis && y2 ? y2 : y;
        l->attachAxis(axis);
        // Two value axes of lines: each axis in its first line's colour tells them apart.
        if (y2 && s.shape == ChartSeries::Shape::Line && !coloured.contains(axis)) {
            coloured.insert(axis);
            axis->setTitleBrush(l->color());
            axis->setLabelsColor(l->color());
        }
    }
    return chart;
}

} // namespace dms
