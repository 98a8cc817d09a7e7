#pragma once
// An edit session over a COPY of thin-pool metadata (a file is copied into a temporary directory,
// an in-memory source into memory), or, opened with editInPlace(), over the file or device itself
// (read-write and exclusive; still nothing is written before commit(), which then writes into it
// in the same crash-safe order). Operations are listed as pending, as in
// a partition editor, and applied at once to the open (uncommitted) transaction of a staging
// editor that works on a copy-on-write view of the committed copy, so that nothing is written
// until commit() (even the operations that commit part-way, like reserve-metadata-snap, commit
// only into that view). Each operation's trace events are recorded. Undo replays all operations
// but the last from the committed state; commit() replays them on the copy itself through the
// core's transaction manager (blocks, flush, superblock, flush) and records the transaction.

#include "models/edit/EditOperation.h"
#include "models/edit/TransactionHistory.h"

#include "core/trace/TraceEvent.h"
#include "core/tx/CommitProgress.h"

#include <QObject>
#include <QTemporaryDir>
#include <optional>

namespace dms {

class CopyOnWriteBlockSource;

// Metadata blocks touched by the open transaction, for marking in a block map.
struct TransactionBlocks {
    std::vector<std::uint64_t> shadowed;  // originals copied on write
    std::vector<std::uint64_t> allocated; // handed out (shadow copies and new blocks)
    std::vector<std::uint64_t> freed;     // whose count reached 0
};

struct PendingOperation {
    EditOperation op;
    std::vector<TraceEvent> events; // what the write machinery did for it
};

class EditSession : public QObject {
    Q_OBJECT
public:
    // Copies the image at `path` (opened read-only) into a temporary file and edits that.
    static Expected<std::unique_ptr<EditSession>>
    editCopyOfFile(const QString& path,
                   AllocationPolicyKind policy = AllocationPolicyKind::Reference);
    // Copies `source` (e.g. the demo pool) into memory, or into a temporary file when `inMemory`
    // is false, and edits that.
    static Expected<std::unique_ptr<EditSession>>
    editCopyOf(const BlockSource& source, const QString& displayName, bool inMemory = true,
               AllocationPolicyKind policy = AllocationPolicyKind::Reference);
    // Edits the image or device at `path` itself: opened read-write and exclusive (O_EXCL: a
    // device in use fails with ErrorKind::Busy; see EditOpenProblem for what to tell the user). A
    // regular file without any write permission bit is refused (Permission), even for root.
    static Expected<std::unique_ptr<EditSession>>
    editInPlace(const QString& path, AllocationPolicyKind policy = AllocationPolicyKind::Reference);
    // The same over a writable source opened elsewhere (e.g. by the privileged helper).
    static Expected<std::unique_ptr<EditSession>>
    editInPlace(std::shared_ptr<BlockSource> opened, const QString& path,
                AllocationPolicyKind policy = AllocationPolicyKind::Reference);
    ~EditSession() override;

    // True when commit() writes into the original (editInPlace).
    bool isInPlace() const { return inPlace_; }
    // What commit() permanently modifies: the original's path in place, else the copy's file,
    // else "" (a copy in memory).
    QString commitTarget() const { return inPlace_ ? displayName_ : copyPath_; }

    const QString& displayName() const { return displayName_; }
    // The temporary file holding the copy; empty for a copy in memory.
    const QString& copyPath() const { return copyPath_; }
    AllocationPolicyKind policy() const { return policy_; }
    // The copy as last committed (what a read-only document opens).
    std::shared_ptr<const BlockSource> committedSource() const { return committed_; }

    // --- pending operations ---
    const std::vector<PendingOperation>& operations() const { return ops_; }
    bool hasPendingOperations() const { return !ops_.empty(); }
    // Applies `op` to the open transaction and lists it; on failure nothing changes.
    Status add(const EditOperation& op);
    Status undoLast();
    Status clear();
    // Drops the pending operations (the copy is not touched).
    Status abort() { return clear(); }
    // Writes the pending operations into the copy (or the original, in place) as one
    // transaction and records it; `progress` is told each phase of the write (CommitProgress.h).
    Status commit(CommitProgressObserver* progress = nullptr);
    // commit() in two halves, so that the writing can run on a worker thread while the UI shows
    // its progress: writeCommit() touches nothing the UI reads but the device (the session must
    // not change until finishCommit(), on the session's thread, takes the result).
    struct WrittenCommit {
        Transaction transaction;
        Status status;
    };
    WrittenCommit writeCommit(CommitProgressObserver* progress = nullptr) const;
    Status finishCommit(WrittenCommit written);

    // --- the open transaction ---
    // The machine state before the first pending operation (where stepping starts).
    const SpaceMapState& initialState() const { return initialState_; }
    // The metadata space map's state now (after the last pending operation).
    SpaceMapState machineState() const;
    // Blocks written in the open transaction (shadowed or new), ascending.
    std::vector<std::uint64_t> dirtyBlocks() const;
    // From the pending operations' trace events; each list sorted, without duplicates.
    TransactionBlocks transactionBlocks() const;
    // The copy as it will be once the pending operations are committed (a dry-run commit into a
    // copy-on-write view; computed on demand and kept until the operations change), and the
    // trace events of that commit.
    Expected<std::shared_ptr<const BlockSource>> previewSource();
    const std::vector<TraceEvent>& commitEvents();

    // --- threshold of the metadata space map (re-applies the pending operations) ---
    std::optional<std::uint64_t> threshold() const { return threshold_; }
    Status setThreshold(std::optional<std::uint64_t> value);

    // --- committed transactions ---
    const TransactionHistory& history() const { return history_; }
    // The copy as of state k of the history (0 = as opened, history().size() = now).
    Expected<std::shared_ptr<const BlockSource>> stateAt(int k) const {
        return history_.stateAt(k, committed_);
    }
    // A saved history (TransactionHistory::load) that led to the metadata as opened becomes the
    // start of this one, so its states can be stepped through too; refused (nothing changes)
    // when its last state is not the metadata as opened. Emits committed(size - 1).
    Status adoptEarlierHistory(TransactionHistory earlier);

signals:
    // After every add, undo, clear, abort, commit and threshold change.
    void operationsChanged();
    // A transaction was committed; `index` is its place in history().
    void committed(int index);

private:
    class Recorder;
    EditSession(std::shared_ptr<BlockSource> copy, QString name, AllocationPolicyKind policy);
    Status openStaging(); // a fresh staging editor over the committed copy, operations replayed
    std::unique_ptr<ThinPoolEditor> makeEditor(std::shared_ptr<BlockSource> device,
                                               TraceObserver* observer, Status& status) const;
    void changed();

    std::unique_ptr<QTemporaryDir> tempDir_;
    QString copyPath_;
    QString displayName_;
    bool inPlace_ = false;
    AllocationPolicyKind policy_;
    std::shared_ptr<BlockSource> committed_;
    std::shared_ptr<CopyOnWriteBlockSource> staging_;
    std::unique_ptr<Recorder> recorder_;
    std::unique_ptr<ThinPoolEditor> editor_;
    std::vector<PendingOperation> ops_;
    SpaceMapState initialState_;
    std::optional<std::uint64_t> threshold_;
    std::shared_ptr<const BlockSource> preview_;
    std::vector<TraceEvent> commitEvents_;
    TransactionHistory history_;
};

} // namespace dms
