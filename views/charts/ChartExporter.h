#pragma once
// Renders ChartData without a window: PNG at a chosen DPI, SVG (the CSV in its <desc>), PDF (one
// page of the chart's size) and CSV, and the clipboard (image + CSV text). The chart is laid out
// in a private QGraphicsScene at a logical size in 96-dpi pixels (an unshown QChart rendered
// through a temporary QChartView is laid out wrong), then drawn scaled, so every DPI gets the same
// layout with sharper pixels.

#include "models/charts/ChartData.h"
#include "views/charts/ChartFactory.h"

#include <QImage>
#include <QSize>
#include <optional>

namespace dms {

class ChartExporter {
public:
    enum class Format { Png, Svg, Pdf, Csv };

    struct Options {
        QSize logicalSize{900, 560}; // at 96 dpi
        int dpi = 96;                // PNG: pixels = logicalSize * dpi / 96
        ChartFactory::Theme theme = ChartFactory::Theme::Light;
    };

    // From the file name's suffix (png, svg, pdf, csv; any case).
    static std::optional<Format> formatFromPath(const QString& path);
    static QString formatName(Format f);

    // Writes the file; returns an error text (naming the file) on failure, empty on success.
    static QString exportToFile(const ChartData& data, const QString& path, Format format,
                                const Options& options);
    static QString exportToFile(const ChartData& data, const QString& path,
                                const Options& options); // format from the suffix

    static QImage renderImage(const ChartData& data, const Options& options);
    static QByteArray renderSvg(const ChartData& data, const Options& options);
    static QString writePdf(const ChartData& data, const QString& path, const Options& options);

    // The PNG image and the CSV text (text/csv and text/plain).
    static void copyToClipboard(const ChartData& data, const Options& options);
};

} // namespace dms
