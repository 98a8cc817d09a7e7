#pragma once
// Browses one btree of the open pool at a time: a chooser ("Devices (details)", "Mappings (top
// level)" whose entries expand into each device's tree, the refcount trees, the data space map
// index), a summary line, and a lazy tree of nodes and entries (BtreeModel) with thin_explore's
// hjkl keys. Picking a row selects its node's block in the window's BlockSelection; when another
// view selects a block that is a node already fetched here, or the root of one of the trees, it
// becomes the current row (no tree is searched on the UI thread).

#include "models/BtreeRoot.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;

namespace dms {

class BlockSelection;
class BtreeModel;
class BtreeTreeView;
class ThinPoolDocument;
struct BlockRef;

class BtreeBrowser : public QWidget {
    Q_OBJECT
public:
    explicit BtreeBrowser(QWidget* parent = nullptr);
    ~BtreeBrowser() override;

    // nullptr: nothing open. Shows the shown superblock's details tree first.
    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);

    // The trees offered for the document's shown superblock.
    const std::vector<BtreeRoot>& trees() const { return trees_; }
    void showTree(const BtreeRoot& root);
    // Looks device `id` up in the top-level mapping tree (one root-to-leaf path) and shows its
    // bottom tree; false when the device has no mapping tree.
    bool showDeviceTree(std::uint64_t id);
    BtreeRoot currentTree() const;

    BtreeModel* model() const { return model_; }
    BtreeTreeView* treeView() const { return view_; }
    QString summaryText() const;

signals:
    // The user moved to a leaf entry (or run): its leaf block and slot, e.g. for the inspector's
    // BlockInspector::showSlot. Emitted after the leaf was selected in the BlockSelection.
    void entrySelected(quint64 block, int slot);

private:
    void follow(const BlockRef& ref, const QObject* origin);
    void onCurrentRowChanged();
    void onTreeChosen(int comboIndex);
    void updateSummary();

    std::shared_ptr<ThinPoolDocument> doc_;
    BlockSelection* selection_ = nullptr;
    std::vector<BtreeRoot> trees_;
    QComboBox* chooser_;
    QLabel* summary_;
    BtreeTreeView* view_;
    BtreeModel* model_;
    bool following_ = false;
};

} // namespace dms
