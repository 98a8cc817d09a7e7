#include "views/charts/ChartExporter.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QMimeData>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <memory>

namespace dms {
namespace {

// The chart in its own scene, laid out at the logical size: what every export draws.
class OffscreenChart {
public:
    OffscreenChart(const ChartData& data, const ChartExporter::Options& o) : size_(o.logicalSize) {
        chart_ = ChartFactory::create(data, o.theme);
        scene_.addItem(chart_); // the scene owns and deletes the chart
        scene_.setSceneRect(0, 0, size_.width(), size_.height());
        chart_->setGeometry(QRectF(QPointF(0, 0), QSizeF(size_)));
        if (chart_->layout()) chart_->layout()->activate();
        // Axes and series are positioned from posted layout requests: run them now.
        QApplication::sendPostedEvents();
    }

    void render(QPainter& p, const QRectF& target) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        scene_.render(&p, target, QRectF(QPointF(0, 0), QSizeF(size_)), Qt::IgnoreAspectRatio);
    }

private:
    QSize size_;
    QGraphicsScene scene_;
    QChart* chart_ = nullptr;
};

} // namespace

std::optional<ChartExporter::Format> ChartExporter::formatFromPath(const QString& path) {
    const QString s = QFileInfo(path).suffix().toLower();
    if (s == QLatin1String("png")) return Format::Png;
    if (s == QLatin1String("svg")) return Format::Svg;
    if (s == QLatin1String("pdf")) return Format::Pdf;
    if (s == QLatin1String("csv")) return Format::Csv;
    return std::nullopt;
}

QString ChartExporter::formatName(Format f) {
    switch (f) {
    case Format::Png:
        return QStringLiteral("PNG");
    case Format::Svg:
        return QStringLiteral("SVG");
    case Format::Pdf:
        return QStringLiteral("PDF");
    case Format::Csv:
        return QStringLiteral("CSV");
    }
    return {};
}

QImage ChartExporter::renderImage(const ChartData& data, const Options& o) {
    const int dpi = std::max(1, o.dpi);
    const QSize px(o.logicalSize.width() * dpi / 96, o.logicalSize.height() * dpi / 96);
    QImage img(px, QImage::Format_ARGB32_Premultiplied);
    img.fill(o.theme == ChartFactory::Theme::Dark ? Qt::black : Qt::white);
    const int dotsPerMeter = int(dpi / 0.0254 + 0.5);
    img.setDotsPerMeterX(dotsPerMeter);
    img.setDotsPerMeterY(dotsPerMeter);
    OffscreenChart chart(data, o);
    QPainter p(&img);
    chart.render(p, QRectF(QPointF(0, 0), QSizeF(px)));
    p.end();
    return img;
}

QByteArray ChartExporter::renderSvg(const ChartData& data, const Options& o) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator gen;
    gen.setOutputDevice(&buffer);
    gen.setSize(o.logicalSize);
    gen.setViewBox(QRect(QPoint(0, 0), o.logicalSize));
    gen.setResolution(96);
    gen.setTitle(data.title);
    // The figures travel with the picture: the CSV is the SVG's description.
    gen.setDescription(data.toCsv());
    OffscreenChart chart(data, o);
    QPainter p(&gen);
    chart.render(p, QRectF(QPointF(0, 0), QSizeF(o.logicalSize)));
    p.end();
    return buffer.data();
}

QString ChartExporter::writePdf(const ChartData& data, const QString& path, const Options& o) {
    {
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write '%1': %2").arg(path, probe.errorString());
    }
    QPdfWriter pdf(path);
    pdf.setCreator(QStringLiteral("dmscope"));
    pdf.setTitle(data.title);
    pdf.setResolution(300);
    // One page the chart's size: 96 logical pixels to the inch, 72 points to the inch.
    const QSizeF points(o.logicalSize.width() * 72.0 / 96.0, o.logicalSize.height() * 72.0 / 96.0);
    pdf.setPageSize(QPageSize(points, QPageSize::Point, data.title, QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    OffscreenChart chart(data, o);
    QPainter p;
    if (!p.begin(&pdf)) return QStringLiteral("cannot write '%1'").arg(path);
    chart.render(p, QRectF(p.viewport()));
    p.end();
    return {};
}

QString ChartExporter::exportToFile(const ChartData& data, const QString& path, Format format,
                                    const Options& o) {
    if (format == Format::Pdf) return writePdf(data, path, o);
    QByteArray bytes;
    if (format == Format::Png) {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!renderImage(data, o).save(&buffer, "PNG"))
            return QStringLiteral("cannot encode the PNG for '%1'").arg(path);
    } else if (format == Format::Svg) {
        bytes = renderSvg(data, o);
    } else {
        bytes = data.toCsv().toUtf8();
    }
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write '%1': %2").arg(path, f.errorString());
    if (f.write(bytes) != bytes.size() || !f.flush())
        return QStringLiteral("cannot write '%1': %2").arg(path, f.errorString());
    return {};
}

QString ChartExporter::exportToFile(const ChartData& data, const QString& path, const Options& o) {
    auto format = formatFromPath(path);
    if (!format)
        return QStringLiteral("'%1': unknown format (use .png, .svg, .pdf or .csv)").arg(path);
    return exportToFile(data, path, *format, o);
}

void ChartExporter::copyToClipboard(const ChartData& data, const Options& o) {
    auto* mime = new QMimeData;
    mime->setImageData(renderImage(data, o));
    const QString csv = data.toCsv();
    mime->setData(QStringLiteral("text/csv"), csv.toUtf8());
    mime->setText(csv);
    QApplication::clipboard()->setMimeData(mime);
}

} // namespace dms
