#pragma once
// File > Open Device: the active thin pools (their metadata devices, with the kernel's status)
// and inactive block devices carrying thin, cache or era metadata, found through libdevmapper and
// /sys; or a typed path. Listing active pools needs root: "As Administrator" starts dmscope-helper
// through pkexec. For an active pool the user picks a plain live view or a metadata snapshot.

#include "core/devmapper/ThinPoolInfo.h"

#include <QDialog>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace dms {

class DeviceMapper;
class PoolListModel;

struct DeviceChoice {
    QString path;
    bool metadataSnapshot = false;
    std::optional<ThinPoolInfo> pool; // set when the path is an active pool's metadata device
};

class OpenDeviceDialog : public QDialog {
    Q_OBJECT
public:
    // dm: how to reach the kernel (null: libdevmapper directly, which needs root).
    explicit OpenDeviceDialog(std::shared_ptr<DeviceMapper> dm, QWidget* parent = nullptr);

    // Lists again; what went wrong (e.g. not root) is shown in the dialog.
    void refresh();
    const std::optional<DeviceChoice>& choice() const { return choice_; }
    PoolListModel* model() const { return model_; }
    // The device-mapper connection in use (the helper's, once started).
    const std::shared_ptr<DeviceMapper>& deviceMapper() const { return dm_; }
    QString messageText() const;

private:
    void choose(bool snapshot);
    void startHelper();
    void updateButtons();

    std::shared_ptr<DeviceMapper> dm_;
    std::optional<DeviceChoice> choice_;
    PoolListModel* model_;
    QTableView* table_;
    QLineEdit* path_;
    QLabel* message_;
    QPushButton* open_;
    QPushButton* openSnapshot_;
};

} // namespace dms
