#include "core/tx/TransactionManager.h"

namespace dms {

TransactionManager::TransactionManager(std::shared_ptr<BlockSource> device)
    : overlay_(std::make_shared<OverlayBlockSource>(std::move(device))), reader_(overlay_) {}

void TransactionManager::trace(TraceKind kind, std::uint64_t block, std::uint64_t newBlock) {
    if (!observer_) return;
    TraceEvent e;
    e.kind = kind;
    e.source = TraceSource::TransactionManager;
    e.block = block;
    e.newBlock = newBlock;
    observer_->onTrace(e);
}

Expected<WriteBlock> TransactionManager::newBlock(BlockType type) {
    if (!sm_) return makeError(ErrorKind::Usage, "no metadata space map to allocate from");
    auto b = sm_->newBlock();
    if (!b) return b.takeError();
    if (*b >= overlay_->blockCount())
        return makeError(ErrorKind::OutOfRange,
                         "space map handed out block " + std::to_string(*b) +
                             " beyond the end of the device",
                         *b);
    std::uint8_t* p = overlay_->writableBuffer(*b, type, nullptr);
    std::fill(p, p + kBlockSize, std::uint8_t(0)); // a reused dirty buffer is zeroed too
    storeLe64(p + blockNumberOffset(type), *b);
    shadows_.insert(*b);
    trace(TraceKind::BlockAllocated, *b);
    return WriteBlock{*b, p};
}

Expected<ShadowResult> TransactionManager::shadow(std::uint64_t original, BlockType type) {
    if (!sm_) return makeError(ErrorKind::Usage, "no metadata space map to allocate from");
    auto shared = sm_->countIsMoreThanOne(original);
    if (!shared) return shared.takeError();
    if (isShadow(original) && !*shared) {
        auto w = writeInPlace(original, type);
        if (!w) return w.takeError();
        return ShadowResult{*w, false};
    }
    // Read the original before allocating: the allocation may recurse into the space map.
    auto orig = reader_.read(original, type);
    if (!orig) return orig.takeError();
    auto copy = std::make_unique<std::uint8_t[]>(kBlockSize);
    std::copy(orig->data(), orig->data() + kBlockSize, copy.get());

    auto nb = sm_->newBlock();
    if (!nb) return nb.takeError();
    if (Status s = sm_->dec(original); !s) return s.error();
    std::uint8_t* p = overlay_->writableBuffer(*nb, type, nullptr);
    std::copy(copy.get(), copy.get() + kBlockSize, p);
    storeLe64(p + blockNumberOffset(type), *nb);
    shadows_.insert(*nb);
    trace(TraceKind::BlockShadowed, original, *nb);
    return ShadowResult{WriteBlock{*nb, p}, *shared};
}

Expected<WriteBlock> TransactionManager::writeInPlace(std::uint64_t b, BlockType type) {
    if (!isShadow(b))
        return makeError(
            ErrorKind::Usage,
            "block " + std::to_string(b) + " is not owned by this transaction; shadow it first", b);
    if (!overlay_->isDirty(b)) {
        auto cur = reader_.read(b, type);
        if (!cur) return cur.takeError();
        return WriteBlock{b, overlay_->writableBuffer(b, type, cur->data())};
    }
    return WriteBlock{b, overlay_->writableBuffer(b, type, nullptr)};
}

Status TransactionManager::inc(std::uint64_t b) {
    if (!sm_) return makeError(ErrorKind::Usage, "no metadata space map");
    return sm_->inc(b);
}

Status TransactionManager::incRange(std::uint64_t begin, std::uint64_t end) {
    if (!sm_) return makeError(ErrorKind::Usage, "no metadata space map");
    return sm_->incRange(begin, end);
}

Status TransactionManager::dec(std::uint64_t b) {
    if (!sm_) return makeError(ErrorKind::Usage, "no metadata space map");
    return sm_->dec(b);
}

Status TransactionManager::commit(const std::uint8_t* superblock, BlockType type,
                                  std::uint64_t location) {
    BlockSource& dev = overlay_->device();
    const std::vector<std::uint64_t> dirty = overlay_->dirtyBlocks();
    const std::uint64_t total =
        dirty.size() - static_cast<std::uint64_t>(overlay_->isDirty(location));
    auto report = [&](CommitPhase phase, std::uint64_t done, std::uint64_t n) {
        if (progress_) progress_->onCommitProgress({phase, done, n, location});
    };
    report(CommitPhase::WritingBlocks, 0, total);
    std::uint64_t written = 0;
    for (std::uint64_t b : dirty) {
        if (b == location) continue; // the superblock goes last
        if (Status s = dev.write(b, overlay_->sealed(b)); !s) return s;
        ++written;
        if (progress_ && (written == 1 || written == total ||
                          written % CommitProgressObserver::kWriteReportStep == 0))
            report(CommitPhase::WritingBlocks, written, total);
    }
    report(CommitPhase::FlushingBlocks, 0, 0);
    if (Status s = dev.flush(); !s) return s;
    std::uint8_t sb[kBlockSize];
    std::copy(superblock, superblock + kBlockSize, sb);
    sealBlock(sb, location, type);
    report(CommitPhase::WritingSuperblock, 0, 1);
    if (Status s = dev.write(location, sb); !s) return s;
    report(CommitPhase::FlushingSuperblock, 0, 0);
    if (Status s = dev.flush(); !s) return s;
    overlay_->clear();
    shadows_.clear();
    trace(TraceKind::Committed, location);
    report(CommitPhase::Done, total, total);
    return Status::success();
}

void TransactionManager::abort() {
    overlay_->clear();
    shadows_.clear();
}

} // namespace dms
