#pragma once
// `dmscope-cli edit --save-history FILE`: records the transactions of one edit run in a saved
// transaction history (the GUI's format, models/edit/TransactionHistory), so that a script can
// make one for `chart transactions` and `frames`. A run that commits part-way (the commit
// operation, reserve-metadata-snap, ...) records one transaction per commit. FILE is appended to
// when it exists and ends at the image's current state, else refused; it is written whole again
// with the image after the run embedded. Only in builds with the GUI (the format is Qt's JSON).

#include "app/cli/EditOperations.h"
#include "models/edit/TransactionHistory.h"

#include <map>
#include <memory>

namespace dms::cli {

class EditHistoryRecorder {
public:
    // Loads FILE (a missing one starts a new history) and checks that it ends where `image` is.
    static Expected<std::unique_ptr<EditHistoryRecorder>> open(const std::string& path,
                                                               const BlockSource& image);
    // The device the editor must write through.
    std::shared_ptr<BlockSource> wrap(std::shared_ptr<BlockSource> device);
    // After each operation: a commit since the last one (a flush) ends a transaction there.
    Status operationApplied(const EditOperation& op);
    // After the final commit: records what is left and saves FILE.
    Status finish();
    int transactionsRecorded() const { return recorded_; }

private:
    EditHistoryRecorder(QString path, TransactionHistory history)
        : path_(std::move(path)), history_(std::move(history)) {}
    Status cut(); // the blocks changed since the last transaction become one

    QString path_;
    TransactionHistory history_;
    std::shared_ptr<WriteRecordingBlockSource> recording_;
    std::map<std::uint64_t, std::vector<std::uint8_t>> recordedImages_; // as of the last cut
    Transaction pending_;
    std::size_t flushes_ = 0;
    int recorded_ = 0;
};

} // namespace dms::cli
