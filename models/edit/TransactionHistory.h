#pragma once
// Every commit made in an edit session, kept in memory: the operations and the blocks written,
// each with its image before and after. Any state of the metadata can be rebuilt from the latest
// one by writing the before-images back, newest transaction first.
//
// Saved file (a "dmscope transaction history"): one zstd frame whose content is
//   Off  Size  Field
//   0    8     magic "DMSHIST1"
//   8    8     index length L (little endian)
//   16   L     index: JSON {"format":1,"transactions":[{"time":ISO-8601,"operations":[...],
//              "commands":[...],"blocks":[block numbers]}]}
//   16+L ...   for each transaction, for each listed block: its 4096-byte before-image, then its
//              4096-byte after-image.

#include "models/edit/WriteRecordingBlockSource.h"

#include <QDateTime>
#include <QStringList>

namespace dms {

struct Transaction {
    QDateTime time;
    QStringList operations; // descriptions, in order
    QStringList commands;   // the same as `dmscope-cli edit` words
    std::vector<BlockChange> blocks;
};

class TransactionHistory {
public:
    void append(Transaction t) { transactions_.push_back(std::move(t)); }
    int size() const { return static_cast<int>(transactions_.size()); }
    const Transaction& at(int i) const { return transactions_.at(static_cast<std::size_t>(i)); }
    void clear() { transactions_.clear(); }
    // Puts `earlier` (which ends where this history starts) before these transactions.
    void prepend(TransactionHistory earlier);
    // Whether the last transaction's after-images are what `source` holds (every block the
    // history wrote, as last written); an empty history ends anywhere.
    Expected<bool> endsAt(const BlockSource& source) const;

    // The metadata as of state k: 0 = before the first transaction, size() = after the last,
    // which is `latest` (a copy-on-write view over it; `latest` is never written).
    Expected<std::shared_ptr<const BlockSource>>
    stateAt(int k, std::shared_ptr<const BlockSource> latest) const;
    // Blocks written by the transactions between states a and b (a < b or b < a), sorted.
    std::vector<std::uint64_t> blocksBetween(int a, int b) const;

    Status save(const QString& path) const;
    static Expected<TransactionHistory> load(const QString& path);

private:
    std::vector<Transaction> transactions_;
};

} // namespace dms
