#pragma once
// The charts tool: a chart picker, the chart, and Export (PNG at a chosen DPI, SVG, PDF, CSV,
// copy). The figures (MetadataStats and the space maps' index entries) are computed on a worker
// thread when a document arrives; a selected device (set directly, or found as the owner of the
// selected metadata block in the block map) narrows the mapping-time chart to that device, also
// computed on a worker thread. Clicking a bitmap's bar selects that bitmap block; clicking a
// device's bar narrows to that device.

#include "models/charts/ChartBuilder.h"
#include "views/charts/ChartExporter.h"

#include <QWidget>
#include <memory>
#include <optional>

class QCheckBox;
class QChartView;
class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace dms {

class BackgroundJob;
class BlockMap;
class BlockSelection;
class ThinPoolDocument;
struct BlockRef;

class ChartsView : public QWidget {
    Q_OBJECT
public:
    explicit ChartsView(QWidget* parent = nullptr);
    ~ChartsView() override;

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setBlockMap(std::shared_ptr<const BlockMap> map);
    // nullopt: the whole pool.
    void setSelectedDevice(std::optional<std::uint64_t> devId);

    void setKind(ChartKind kind);
    ChartKind kind() const;
    void setLogScale(bool on);

    // The chart as shown (empty before the figures arrive).
    const ChartData& chartData() const { return data_; }
    bool isComputing() const;
    QString statusText() const;
    ChartExporter::Options exportOptions() const;
    // Writes the shown chart; the format comes from the suffix. Empty on success, else why not.
    QString exportTo(const QString& path);

signals:
    // The figures (or a device's mapping times) arrived and the chart was redrawn.
    void chartUpdated();
    void deviceActivated(quint64 devId);

private:
    void rebuild();
    void startDeviceJob();
    void onSelectionChanged(const BlockRef& ref, const QObject* origin);
    void exportWithDialog(ChartExporter::Format format);
    void connectClicks();
    void showStatus(const QString& text);

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const BlockMap> blockMap_;
    BlockSelection* selection_ = nullptr;
    std::shared_ptr<const ChartInputs> inputs_;
    std::optional<DeviceMappingTimes> deviceTimes_;
    std::optional<std::uint64_t> device_;
    ChartData data_;

    BackgroundJob* statsJob_;
    BackgroundJob* deviceJob_;
    QComboBox* kind_;
    QCheckBox* log_;
    QSpinBox* dpi_;
    QToolButton* export_;
    QLabel* status_;
    QChartView* view_;
};

} // namespace dms
