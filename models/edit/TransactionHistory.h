#pragma once
// Every commit made in an edit session, kept in memory: the operations and the blocks written,
// each with its image before and after. Any state of the metadata can be rebuilt from the latest
// one by writing the before-images back, newest transaction first.
//
// Saved file (a "dmscope transaction history"): one zstd frame whose content is
//   Off  Size  Field
//   0    8     magic "DMSHIST2" ("DMSHIST1": format 1, read too)
//   8    8     index length L (little endian)
//   16   L     index: JSON {"format":2,"image_blocks":M,"transactions":[{"time":ISO-8601,
//              "operations":[...],"commands":[...],"blocks":[block numbers],
//              "threshold":N (only when one was set)}]}  (format 1: no image_blocks, threshold)
//   16+L ...   for each transaction, for each listed block: its 4096-byte before-image, then its
//              4096-byte after-image.
//   ...  M*4096  format 2: the whole metadata after the last transaction (M may be 0), so that a
//              saved history alone rebuilds every state (charts, frames).

#include "models/edit/WriteRecordingBlockSource.h"

#include <QDateTime>
#include <QStringList>
#include <optional>

namespace dms {

struct Transaction {
    QDateTime time;
    QStringList operations; // descriptions, in order
    QStringList commands;   // the same as `dmscope-cli edit` words
    std::vector<BlockChange> blocks;
    // The metadata space map's low-free-space threshold in force at the commit (blocks).
    std::optional<std::uint64_t> threshold;
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

    // Saves with image() as the metadata after the last transaction (none: no image).
    Status save(const QString& path) const { return save(path, image_.get()); }
    // Saves with `latest` (the metadata after the last transaction) embedded.
    Status save(const QString& path, const BlockSource* latest) const;
    static Expected<TransactionHistory> load(const QString& path);

    // The metadata after the last transaction as loaded (or set); null when the file had none.
    std::shared_ptr<const BlockSource> image() const { return image_; }
    void setImage(std::shared_ptr<const BlockSource> latest) { image_ = std::move(latest); }

private:
    std::vector<Transaction> transactions_;
    std::shared_ptr<const BlockSource> image_;
};

} // namespace dms
