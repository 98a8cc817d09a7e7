#pragma once
// The difference between two states of a pool's metadata: any two states of an edit session
// (picked in two lists: "as opened", "after transaction k", "current"), two images of the same
// pool, or a live pool's held metadata snapshot against its live superblock. Shows the summary
// counts, the blocks changed (clicking one selects it in every view) and per thin device the
// mapping delta in thin_delta's categories (same, different, left_only, right_only), with the
// selected device's runs as thin_delta prints them. Diffs are computed on a worker thread.

#include "core/thin/MetadataDiff.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTableView;

namespace dms {

class BackgroundJob;
class BlockSelection;
class EditSession;
class MetadataDiffModel;

class MetadataDiffView : public QWidget {
    Q_OBJECT
public:
    explicit MetadataDiffView(QWidget* parent = nullptr);

    void setSelection(BlockSelection* selection);
    // Follows the session's transactions; the pickers list its states.
    void setSession(EditSession* session);
    // Compares states a and b of the session (0 = as opened, n = current).
    void compareStates(int a, int b);
    // Compares two sources (e.g. two captures of one pool), left against right.
    void compareSources(std::shared_ptr<const BlockSource> left,
                        std::shared_ptr<const BlockSource> right, const QString& leftName,
                        const QString& rightName);
    // The held metadata snapshot (left) against the live superblock (right) of one source.
    void compareHeldWithLive(std::shared_ptr<const BlockSource> source, const QString& name);

    bool isBusy() const;
    MetadataDiffModel* model() const { return model_; }
    const MetadataDiff& diff() const;
    QString summaryText() const;
    QListWidget* blockList() const { return blocks_; }
    QTableView* deviceTable() const { return devices_; }
    QString runsText() const;
    QComboBox* leftPicker() const { return left_; }
    QComboBox* rightPicker() const { return right_; }

signals:
    // A diff was shown (or failed: summaryText() says why).
    void diffReady();

private:
    void fillPickers();
    void pickersChanged();
    void run(std::function<Expected<MetadataDiff>()> work, const QString& title);
    void showDiff(MetadataDiff diff, const QString& title, const QString& error);
    void showRuns(int row);

    QPointer<EditSession> session_;
    QPointer<BlockSelection> selection_;
    BackgroundJob* job_;
    MetadataDiffModel* model_;
    QComboBox* left_;
    QComboBox* right_;
    QWidget* pickers_;
    QLabel* title_;
    QLabel* summary_;
    QListWidget* blocks_;
    QTableView* devices_;
    QPlainTextEdit* runs_;
    QMetaObject::Connection connection_;
};

} // namespace dms
