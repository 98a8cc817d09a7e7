#pragma once
// The charts tool: a chart picker, the chart, and Export (PNG at a chosen DPI, SVG, PDF, CSV,
// copy). The figures (MetadataStats and the space maps' index entries) are computed on a worker
// thread when a document arrives; a selected device (set directly, or found as the owner of the
// selected metadata block in the block map) narrows the mapping-time chart to that device, also
// computed on a worker thread. Clicking a bitmap's bar selects that bitmap block; clicking a
// device's bar narrows to that device.
//
// With a transaction history (an edit session's, followed after every commit, or a saved one
// opened from a file) the picker also offers the transactions chart (its figures computed on a
// worker thread too), and Export offers the history as PNG frames, one per transaction.

#include "models/charts/ChartBuilder.h"
#include "views/charts/ChartExporter.h"

#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>

class QAction;
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
class BlockSource;
class EditSession;
class ThinPoolDocument;
class TransactionHistory;
struct TransactionFigures;
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

    // Follows the session's transaction history (re-read after every commit); nullptr: none.
    void setEditSession(EditSession* session);
    // Shows a saved transaction history (and selects the transactions chart). Empty on success,
    // else why not; a session set later replaces it.
    QString openHistory(const QString& path);
    bool hasHistory() const { return history_ != nullptr; }
    // Writes the history's frames (frame-0000.png ...) into dir on a worker thread; emits
    // framesExported when done.
    void exportFrames(const QString& dir);

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
    // Frames written (count) or why not (error non-empty).
    void framesExported(int count, const QString& error);

private:
    void rebuild();
    void startDeviceJob();
    void onSelectionChanged(const BlockRef& ref, const QObject* origin);
    void exportWithDialog(ChartExporter::Format format);
    void connectClicks();
    void showStatus(const QString& text);
    void setHistory(std::shared_ptr<const TransactionHistory> history,
                    std::shared_ptr<const BlockSource> latest, const QString& name);
    void readSessionHistory();
    void updateKinds();
    void exportFramesWithDialog();

    std::shared_ptr<ThinPoolDocument> doc_;
    std::shared_ptr<const BlockMap> blockMap_;
    BlockSelection* selection_ = nullptr;
    std::shared_ptr<const ChartInputs> inputs_;
    std::optional<DeviceMappingTimes> deviceTimes_;
    std::optional<std::uint64_t> device_;
    ChartData data_;
    QPointer<EditSession> session_;
    std::shared_ptr<const TransactionHistory> history_;
    std::shared_ptr<const BlockSource> historyLatest_;
    QString historyName_;
    std::shared_ptr<const TransactionFigures> figures_;

    BackgroundJob* statsJob_;
    BackgroundJob* deviceJob_;
    BackgroundJob* historyJob_;
    BackgroundJob* framesJob_;
    QComboBox* kind_;
    QCheckBox* log_;
    QSpinBox* dpi_;
    QToolButton* export_;
    QAction* framesAction_;
    QLabel* status_;
    QChartView* view_;
};

} // namespace dms
