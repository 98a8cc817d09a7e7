#include "app/gui/OpenDeviceDialog.h"

#include "core/devmapper/DeviceMapper.h"
#include "core/devmapper/HelperClient.h"
#include "core/devmapper/MetadataCandidates.h"
#include "models/PoolListModel.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <unistd.h>

namespace dms {

OpenDeviceDialog::OpenDeviceDialog(std::shared_ptr<DeviceMapper> dm, QWidget* parent)
    : QDialog(parent), dm_(std::move(dm)), model_(new PoolListModel(this)),
      table_(new QTableView(this)), path_(new QLineEdit(this)), message_(new QLabel(this)),
      open_(new QPushButton(tr("Open Read-Only"), this)),
      openSnapshot_(new QPushButton(tr("Open a Metadata Snapshot"), this)) {
    setWindowTitle(tr("Open Device"));
    resize(900, 420);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    path_->setPlaceholderText(tr("or a path: /dev/mapper/vg-pool_tmeta, /dev/dm-3, an image file"));
    message_->setWordWrap(true);
    openSnapshot_->setToolTip(
        tr("Ask the pool to hold a metadata snapshot (reserve_metadata_snap) and show it: a "
           "consistent view of a pool the kernel keeps changing. Released when the view closes."));
    auto* refreshButton = new QPushButton(tr("Refresh"), this);
    auto* admin = new QPushButton(tr("As Administrator…"), this);
    admin->setToolTip(tr("Start dmscope-helper through pkexec to list pools and open devices "
                         "that need root"));
    admin->setVisible(::geteuid() != 0);
    auto* cancel = new QPushButton(tr("Cancel"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(refreshButton);
    buttons->addWidget(admin);
    buttons->addStretch(1);
    buttons->addWidget(openSnapshot_);
    buttons->addWidget(open_);
    buttons->addWidget(cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(table_, 1);
    layout->addWidget(path_);
    layout->addWidget(message_);
    layout->addLayout(buttons);
    connect(refreshButton, &QPushButton::clicked, this, &OpenDeviceDialog::refresh);
    connect(admin, &QPushButton::clicked, this, &OpenDeviceDialog::startHelper);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(open_, &QPushButton::clicked, this, [this] { choose(false); });
    connect(openSnapshot_, &QPushButton::clicked, this, [this] { choose(true); });
    connect(table_, &QTableView::activated, this, [this] { choose(false); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        path_->setText(model_->pathAt(table_->currentIndex().row()));
        updateButtons();
    });
    connect(path_, &QLineEdit::textEdited, this, [this] {
        table_->clearSelection();
        updateButtons();
    });
    refresh();
}

void OpenDeviceDialog::refresh() {
    QStringList notes;
    std::vector<ThinPoolInfo> pools;
    if (!dm_ && ::geteuid() == 0) dm_ = makeSystemDeviceMapper();
    if (dm_) {
        auto devices = dm_->devices();
        if (devices)
            pools = findThinPools(*devices);
        else
            notes << tr("Active pools cannot be listed: %1")
                         .arg(QString::fromStdString(devices.error().describe()));
    } else {
        notes << tr("Listing active pools needs root: use \"As Administrator…\", or type a path.");
    }
    CandidateScan scan = scanMetadataCandidates();
    if (!scan.unreadable.empty())
        notes << tr("%n device(s) could not be read (first: %1).", "", int(scan.unreadable.size()))
                     .arg(QString::fromStdString(scan.unreadable.front()));
    model_->setDevices(std::move(pools), std::move(scan.found));
    if (model_->rowCount() == 0) notes << tr("No thin-pool, cache or era metadata device found.");
    message_->setText(notes.join(QLatin1Char(' ')));
    table_->resizeColumnsToContents();
    updateButtons();
}

void OpenDeviceDialog::startHelper() {
    auto helper = HelperClient::start();
    if (!helper) {
        message_->setText(tr("dmscope-helper did not start: %1")
                              .arg(QString::fromStdString(helper.error().describe())));
        return;
    }
    dm_ = std::shared_ptr<DeviceMapper>(std::move(*helper));
    refresh();
}

void OpenDeviceDialog::updateButtons() {
    const int row = table_->currentIndex().isValid() ? table_->currentIndex().row() : -1;
    open_->setEnabled(!path_->text().trimmed().isEmpty());
    openSnapshot_->setEnabled(model_->poolAt(row) != nullptr);
}

void OpenDeviceDialog::choose(bool snapshot) {
    DeviceChoice c;
    c.path = path_->text().trimmed();
    if (c.path.isEmpty()) return;
    const int row = table_->currentIndex().isValid() ? table_->currentIndex().row() : -1;
    if (const ThinPoolInfo* p = model_->poolAt(row); p && model_->pathAt(row) == c.path)
        c.pool = *p;
    c.metadataSnapshot = snapshot && c.pool;
    choice_ = std::move(c);
    accept();
}

QString OpenDeviceDialog::messageText() const {
    return message_->text();
}

} // namespace dms
