#pragma once
// The figures of the `transactions` chart: for every state of a transaction history (0 = the
// metadata as opened, k = after the k-th commit) its free metadata and data blocks, counted from
// that state's space-map bitmaps as `dmscope-cli stats --json` counts them (free_runs
// free_blocks), and the low-free-space threshold in force (the one recorded with the commit that
// made the state; state 0 takes the first commit's).

#include "models/edit/TransactionHistory.h"

#include <QDateTime>
#include <QString>
#include <atomic>
#include <optional>

namespace dms {

struct TransactionState {
    int index = 0;
    QDateTime time;     // of the commit that made it; invalid for state 0
    QString operations; // that commit's operations, "; "-separated
    // Blocks of each space map and how many of them have count 0; nullopt when unreadable.
    std::optional<std::uint64_t> metadataBlocks, metadataFree;
    std::optional<std::uint64_t> dataBlocks, dataFree;
    std::optional<std::uint64_t> threshold;
};

struct TransactionFigures {
    QString name; // shown in the subtitle (the history file or the edited pool)
    std::vector<TransactionState> states;
    std::vector<std::string> problems; // "state k: why", for states whose maps were unreadable

    // `latest` is the metadata after the history's last transaction. Empty when cancelled.
    static TransactionFigures compute(const TransactionHistory& history,
                                      std::shared_ptr<const BlockSource> latest,
                                      const QString& name,
                                      const std::atomic<bool>* cancel = nullptr);
    // From a saved history with its image embedded; an error when the file is bad or has none.
    static Expected<TransactionFigures> fromFile(const QString& path);
};

// Loads a saved history that can be charted: it must embed the metadata image (format 2).
Expected<TransactionHistory> loadChartableHistory(const QString& path);

} // namespace dms
