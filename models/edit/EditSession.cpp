#include "models/edit/EditSession.h"

#include "core/CopyOnWriteBlockSource.h"
#include "core/FileBlockSource.h"
#include "core/MemoryBlockSource.h"
#include "models/edit/TransactionMarks.h"

#include <QFile>
#include <cstdio>
#include <sys/stat.h>

namespace dms {

// Appends the events it sees to `target` (none: dropped).
class EditSession::Recorder final : public TraceObserver {
public:
    void onTrace(const TraceEvent& e) override {
        if (target) target->push_back(e);
    }
    std::vector<TraceEvent>* target = nullptr;
};

namespace {

Expected<std::vector<std::uint8_t>> readAll(const BlockSource& source) {
    std::vector<std::uint8_t> bytes(source.blockCount() * kBlockSize);
    for (std::uint64_t b = 0; b < source.blockCount(); ++b)
        if (Status s = source.read(b, bytes.data() + b * kBlockSize); !s) return s.error();
    return bytes;
}

Error tempError(const QString& what) {
    return makeError(ErrorKind::Io, "cannot make the edit copy: " + what.toStdString());
}

// Copies the source into a new file 256 blocks at a time.
Status copyToFile(const BlockSource& source, const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return tempError(path + QStringLiteral(": ") + f.errorString());
    constexpr std::uint64_t kChunk = 256;
    std::vector<std::uint8_t> buf(kChunk * kBlockSize);
    for (std::uint64_t b = 0; b < source.blockCount(); b += kChunk) {
        const std::uint64_t n = std::min(kChunk, source.blockCount() - b);
        for (std::uint64_t i = 0; i < n; ++i)
            if (Status s = source.read(b + i, buf.data() + i * kBlockSize); !s) return s;
        const auto size = static_cast<qint64>(n * kBlockSize);
        if (f.write(reinterpret_cast<const char*>(buf.data()), size) != size)
            return tempError(path + QStringLiteral(": ") + f.errorString());
    }
    if (!f.flush()) return tempError(path + QStringLiteral(": ") + f.errorString());
    return Status::success();
}

} // namespace

EditSession::EditSession(std::shared_ptr<BlockSource> copy, QString name,
                         AllocationPolicyKind policy)
    : displayName_(std::move(name)), policy_(policy), committed_(std::move(copy)),
      recorder_(std::make_unique<Recorder>()) {}

EditSession::~EditSession() = default;

Expected<std::unique_ptr<EditSession>> EditSession::editCopyOfFile(const QString& path,
                                                                   AllocationPolicyKind policy) {
    auto src = FileBlockSource::open(path.toStdString(), OpenMode::ReadOnly);
    if (!src) return src.takeError();
    return editCopyOf(**src, path, false, policy);
}

Expected<std::unique_ptr<EditSession>> EditSession::editCopyOf(const BlockSource& source,
                                                               const QString& displayName,
                                                               bool inMemory,
                                                               AllocationPolicyKind policy) {
    std::shared_ptr<BlockSource> copy;
    std::unique_ptr<QTemporaryDir> dir;
    QString copyPath;
    if (inMemory) {
        auto bytes = readAll(source);
        if (!bytes) return bytes.takeError();
        copy = std::make_shared<MemoryBlockSource>(std::move(*bytes), true,
                                                   displayName.toStdString() + " (edit copy)");
    } else {
        dir = std::make_unique<QTemporaryDir>();
        if (!dir->isValid()) return tempError(dir->errorString());
        copyPath = dir->filePath(QStringLiteral("metadata.img"));
        if (Status s = copyToFile(source, copyPath); !s) return s.error();
        auto file = FileBlockSource::open(copyPath.toStdString(), OpenMode::ReadWriteExclusive);
        if (!file) return file.takeError();
        copy = std::move(*file);
    }
    std::unique_ptr<EditSession> s(new EditSession(std::move(copy), displayName, policy));
    s->tempDir_ = std::move(dir);
    s->copyPath_ = copyPath;
    if (Status st = s->openStaging(); !st) return st.error();
    return s;
}

Expected<std::unique_ptr<EditSession>> EditSession::editInPlace(const QString& path,
                                                                AllocationPolicyKind policy) {
    const std::string p = path.toStdString();
    struct stat st {};
    // Root may write any file; a file nobody may write is still taken as "do not edit".
    if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0222) == 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
        std::string msg = p;
        msg.append(" is read-only (mode ")
            .append(mode)
            .append("): make it writable (chmod u+w) to edit it in place, or edit a copy");
        return makeError(ErrorKind::Permission, std::move(msg));
    }
    auto src = FileBlockSource::open(p, OpenMode::ReadWriteExclusive);
    if (!src) return src.takeError();
    return editInPlace(std::shared_ptr<BlockSource>(std::move(*src)), path, policy);
}

Expected<std::unique_ptr<EditSession>> EditSession::editInPlace(std::shared_ptr<BlockSource> opened,
                                                                const QString& path,
                                                                AllocationPolicyKind policy) {
    if (!opened->writable())
        return makeError(ErrorKind::Permission,
                         path.toStdString() +
                             " was opened read-only: it cannot be edited in place");
    std::unique_ptr<EditSession> s(new EditSession(std::move(opened), path, policy));
    s->inPlace_ = true;
    if (Status st = s->openStaging(); !st) return st.error();
    return s;
}

std::unique_ptr<ThinPoolEditor> EditSession::makeEditor(std::shared_ptr<BlockSource> device,
                                                        TraceObserver* observer,
                                                        Status& status) const {
    ThinPoolEditorOptions options;
    options.policy = policy_;
    options.observer = observer;
    auto ed = ThinPoolEditor::open(std::move(device), options);
    if (!ed) {
        status = ed.error();
        return nullptr;
    }
    if (threshold_) (*ed)->metadataMachine().setThreshold(*threshold_, {});
    status = Status::success();
    return std::move(*ed);
}

Status EditSession::openStaging() {
    preview_.reset();
    commitEvents_.clear();
    auto staging = std::make_shared<CopyOnWriteBlockSource>(committed_);
    recorder_->target = nullptr;
    Status st;
    auto ed = makeEditor(staging, recorder_.get(), st);
    if (!ed) return st;
    initialState_ = ed->metadataMachine().state();
    for (PendingOperation& p : ops_) {
        p.events.clear();
        recorder_->target = &p.events;
        if (Status s = p.op.apply(*ed); !s) {
            recorder_->target = nullptr;
            return s;
        }
    }
    recorder_->target = nullptr;
    staging_ = std::move(staging);
    editor_ = std::move(ed);
    return Status::success();
}

void EditSession::changed() {
    preview_.reset();
    commitEvents_.clear();
    emit operationsChanged();
}

Status EditSession::add(const EditOperation& op) {
    PendingOperation p{op, {}};
    recorder_->target = &p.events;
    Status s = editor_ ? op.apply(*editor_) : makeError(ErrorKind::Usage, "no staging editor");
    recorder_->target = nullptr;
    if (!s) {
        // The failed operation may have changed the transaction part-way: rebuild it.
        if (Status r = openStaging(); !r) return r;
        Error e = s.error();
        e.message = op.describe().toStdString() + ": " + e.message;
        return e;
    }
    ops_.push_back(std::move(p));
    changed();
    return Status::success();
}

Status EditSession::undoLast() {
    if (ops_.empty()) return makeError(ErrorKind::Usage, "nothing to undo");
    ops_.pop_back();
    Status s = openStaging();
    changed();
    return s;
}

Status EditSession::clear() {
    ops_.clear();
    Status s = openStaging();
    changed();
    return s;
}

Expected<std::shared_ptr<const BlockSource>> EditSession::previewSource() {
    if (preview_) return preview_;
    auto view = std::make_shared<CopyOnWriteBlockSource>(committed_);
    Recorder rec;
    Status st;
    auto ed = makeEditor(view, &rec, st);
    if (!ed) return st.error();
    for (const PendingOperation& p : ops_)
        if (Status s = p.op.apply(*ed); !s) return s.error();
    std::vector<TraceEvent> events;
    rec.target = &events;
    if (Status s = ed->commit(); !s) return s.error();
    commitEvents_ = std::move(events);
    preview_ = view;
    return preview_;
}

const std::vector<TraceEvent>& EditSession::commitEvents() {
    if (!preview_) (void)previewSource();
    return commitEvents_;
}

SpaceMapState EditSession::machineState() const {
    return editor_ ? editor_->metadataMachine().state() : initialState_;
}

std::vector<std::uint64_t> EditSession::dirtyBlocks() const {
    return editor_ ? editor_->transactionManager().dirtyBlocks() : std::vector<std::uint64_t>{};
}

TransactionBlocks EditSession::transactionBlocks() const {
    TransactionBlockCollector c;
    for (const PendingOperation& p : ops_)
        for (const TraceEvent& e : p.events)
            c.add(e);
    return c.blocks();
}

Status EditSession::setThreshold(std::optional<std::uint64_t> value) {
    threshold_ = value;
    Status s = openStaging();
    changed();
    return s;
}

Status EditSession::commit(CommitProgressObserver* progress) {
    return finishCommit(writeCommit(progress));
}

EditSession::WrittenCommit EditSession::writeCommit(CommitProgressObserver* progress) const {
    WrittenCommit w;
    if (ops_.empty()) {
        w.status = makeError(ErrorKind::Usage, "nothing to commit");
        return w;
    }
    auto recording = std::make_shared<WriteRecordingBlockSource>(committed_);
    auto ed = makeEditor(recording, nullptr, w.status);
    if (!ed) return w;
    ed->transactionManager().setCommitProgress(progress);
    Transaction& t = w.transaction;
    t.time = QDateTime::currentDateTimeUtc();
    t.threshold = threshold_;
    for (const PendingOperation& p : ops_) {
        t.operations << p.op.describe();
        t.commands << p.op.command();
        // Operations that commit part-way may already have written: keep that as history.
        if (w.status = p.op.apply(*ed); !w.status) break;
    }
    if (w.status) w.status = ed->commit();
    t.blocks = recording->changes();
    return w;
}

Status EditSession::finishCommit(WrittenCommit written) {
    // Nothing to commit, or the editor did not open: nothing was written.
    if (!written.status && written.transaction.operations.isEmpty()) return written.status;
    const bool ok = written.status.ok();
    if (ok || !written.transaction.blocks.empty()) history_.append(std::move(written.transaction));
    if (!ok) {
        (void)openStaging();
        return written.status;
    }
    ops_.clear();
    Status r = openStaging();
    changed();
    emit committed(history_.size() - 1);
    return r;
}

} // namespace dms

namespace dms {

Status EditSession::adoptEarlierHistory(TransactionHistory earlier) {
    if (earlier.size() == 0) return makeError(ErrorKind::Usage, "the history holds no transaction");
    auto opened = stateAt(0);
    if (!opened) return opened.error();
    auto ends = earlier.endsAt(**opened);
    if (!ends) return ends.error();
    if (!*ends)
        return makeError(ErrorKind::Usage,
                         "the history does not end at this metadata as opened: its last "
                         "transaction wrote other bytes than these blocks hold");
    history_.prepend(std::move(earlier));
    emit committed(history_.size() - 1);
    return Status::success();
}

} // namespace dms
