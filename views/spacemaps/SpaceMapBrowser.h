#pragma once
// Browses one space map at a time (a Metadata / Data switch): its bitmaps as a lazy tree of
// index entries and runs of equal counts, and its refcount btree node by node. Making a row current
// (click or arrow keys) selects the block it is about (a bitmap or node: a metadata block; a run or
// refcount entry: a block of that map); when the selection moves elsewhere to a block of the shown
// map, the index entry covering it is made current, or the run holding it when that bitmap is
// expanded.

#include "core/spacemap/SpaceMapReader.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QTabWidget;
class QTreeView;

namespace dms {

class BlockSelection;
class RefCountTreeModel;
class SpaceMapModel;
class ThinPoolDocument;
struct BlockRef;

class SpaceMapBrowser : public QWidget {
    Q_OBJECT
public:
    explicit SpaceMapBrowser(QWidget* parent = nullptr);

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setKind(SpaceMapKind kind);
    SpaceMapKind kind() const;

    SpaceMapModel* spaceMapModel() const { return bitmaps_; }
    RefCountTreeModel* refCountModel() const { return refcounts_; }
    QTreeView* bitmapTree() const { return bitmapTree_; }
    QTreeView* refCountTree() const { return refTree_; }

private:
    void reload();
    void picked(const QModelIndex& index);
    void follow(const BlockRef& ref, const QObject* origin);

    std::shared_ptr<ThinPoolDocument> doc_;
    BlockSelection* selection_ = nullptr;
    SpaceMapModel* bitmaps_;
    RefCountTreeModel* refcounts_;
    QComboBox* kindBox_;
    QLabel* summary_;
    QTabWidget* tabs_;
    QTreeView* bitmapTree_;
    QTreeView* refTree_;
    bool following_ = false;
};

} // namespace dms
