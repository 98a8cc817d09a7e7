#include "app/cli/EditHistoryRecorder.h"

#include "models/edit/WriteRecordingBlockSource.h"

#include <QFileInfo>
#include <cstring>

namespace dms::cli {
namespace {

QString commandOf(const EditOperation& op) {
    QString s = QString::fromStdString(op.name);
    if (!op.target.empty()) s += QLatin1Char(' ') + QString::fromStdString(op.target);
    for (std::uint64_t n : op.numbers)
        s += QLatin1Char(' ') + QString::number(n);
    return s;
}

// Whether `a` and `b` hold the same blocks.
Expected<bool> sameContents(const BlockSource& a, const BlockSource& b) {
    if (a.blockCount() != b.blockCount()) return false;
    std::vector<std::uint8_t> x(kBlockSize), y(kBlockSize);
    for (std::uint64_t i = 0; i < a.blockCount(); ++i) {
        if (Status s = a.read(i, x.data()); !s) return s.error();
        if (Status s = b.read(i, y.data()); !s) return s.error();
        if (x != y) return false;
    }
    return true;
}

} // namespace

Expected<std::unique_ptr<EditHistoryRecorder>> EditHistoryRecorder::open(const std::string& path,
                                                                         const BlockSource& image) {
    const QString file = QString::fromStdString(path);
    TransactionHistory history;
    if (QFileInfo::exists(file)) {
        auto loaded = TransactionHistory::load(file);
        if (!loaded) return loaded.takeError();
        if (!loaded->image())
            return makeError(ErrorKind::Unsupported,
                             "transaction history " + path +
                                 ": holds no metadata image (format 1); cannot append to it");
        auto same = sameContents(*loaded->image(), image);
        if (!same) return same.takeError();
        if (!*same)
            return makeError(ErrorKind::Unsupported,
                             "transaction history " + path +
                                 " does not end at the image's current state (edited since, or "
                                 "another image); give a new history file");
        history = std::move(*loaded);
    }
    return std::unique_ptr<EditHistoryRecorder>(new EditHistoryRecorder(file, std::move(history)));
}

std::shared_ptr<BlockSource> EditHistoryRecorder::wrap(std::shared_ptr<BlockSource> device) {
    recording_ = std::make_shared<WriteRecordingBlockSource>(std::move(device));
    return recording_;
}

Status EditHistoryRecorder::operationApplied(const EditOperation& op) {
    if (pending_.operations.isEmpty()) pending_.time = QDateTime::currentDateTimeUtc();
    pending_.operations << QString::fromStdString(op.describe());
    pending_.commands << commandOf(op);
    if (recording_->flushCount() == flushes_) return Status::success();
    return cut();
}

Status EditHistoryRecorder::cut() {
    flushes_ = recording_->flushCount();
    // Blocks written since the start: those whose bytes differ from the last cut's become this
    // transaction's, with the last cut's bytes (or the original ones) as before-images. A block
    // written back to its original bytes is left out of changes(), so the last cut's are read too.
    std::map<std::uint64_t, std::vector<std::uint8_t>> before;
    for (BlockChange& c : recording_->changes())
        before.emplace(c.block, std::move(c.before));
    for (const auto& [block, bytes] : recordedImages_)
        before[block] = bytes;
    std::vector<std::uint8_t> now(kBlockSize);
    for (auto& [block, old] : before) {
        if (Status s = recording_->read(block, now.data()); !s) return s;
        if (now == old) continue;
        pending_.blocks.push_back({block, old, now});
        recordedImages_[block] = now;
    }
    if (!pending_.blocks.empty()) {
        if (pending_.time.isNull()) pending_.time = QDateTime::currentDateTimeUtc();
        history_.append(std::move(pending_));
        ++recorded_;
    }
    pending_ = Transaction{};
    return Status::success();
}

Status EditHistoryRecorder::finish() {
    if (Status s = cut(); !s) return s;
    return history_.save(path_, recording_.get());
}

} // namespace dms::cli
