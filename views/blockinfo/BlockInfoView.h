#pragma once
// What the selected block is (BlockInfoModel), following the window's selection. The referrers of a
// metadata block and the thin devices mapping a data block are found by full walks on a worker
// thread, started when the selection moves (the previous search is cancelled) and shown with their
// progress; a referrer row, double-clicked or activated, selects the referring block.

#include "core/thin/BlockMap.h"
#include "models/BlockRef.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QTableView;

namespace dms {

class BlockInfoModel;
class BlockSelection;
class ThinPoolDocument;

class BlockInfoView : public QWidget {
    Q_OBJECT
public:
    explicit BlockInfoView(QWidget* parent = nullptr);
    ~BlockInfoView() override;

    void setDocument(std::shared_ptr<ThinPoolDocument> doc);
    void setSelection(BlockSelection* selection);
    void setBlockMap(std::shared_ptr<const BlockMap> map);
    // Shows a block without going through the selection.
    void showBlock(const BlockRef& ref);

    BlockInfoModel* infoModel() const { return model_; }
    QTableView* table() const { return table_; }
    // True while a referrer or data-block search runs.
    bool searching() const;

signals:
    // A search finished (results are in the model).
    void searchFinished();

private:
    struct Mailbox;
    void startSearch(const BlockRef& ref);
    void cancelSearch();
    void activated(const QModelIndex& index);

    std::shared_ptr<ThinPoolDocument> doc_;
    BlockSelection* selection_ = nullptr;
    BlockInfoModel* model_;
    QLabel* title_;
    QTableView* table_;
    std::shared_ptr<Mailbox> mailbox_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::uint64_t generation_ = 0;
    bool searching_ = false;
    bool dataRunning_ = false;            // a data-block lookup thread is running
    std::optional<BlockRef> dataPending_; // the one to run after it
};

} // namespace dms
