#include "models/edit/WriteRecordingBlockSource.h"

namespace dms {

WriteRecordingBlockSource::WriteRecordingBlockSource(std::shared_ptr<BlockSource> device)
    : device_(std::move(device)) {}

Status WriteRecordingBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    return device_->read(block, out);
}

const std::uint8_t* WriteRecordingBlockSource::mapped(std::uint64_t block) const {
    return device_->mapped(block);
}

Status WriteRecordingBlockSource::write(std::uint64_t block, const std::uint8_t* in) {
    auto it = changes_.find(block);
    if (it == changes_.end()) {
        BlockChange c;
        c.block = block;
        c.before.resize(kBlockSize);
        if (Status s = device_->read(block, c.before.data()); !s) return s;
        it = changes_.emplace(block, std::move(c)).first;
    }
    if (Status s = device_->write(block, in); !s) return s;
    it->second.after.assign(in, in + kBlockSize);
    return Status::success();
}

Status WriteRecordingBlockSource::flush() {
    ++flushes_;
    return device_->flush();
}

std::vector<BlockChange> WriteRecordingBlockSource::changes() const {
    std::vector<BlockChange> out;
    out.reserve(changes_.size());
    for (const auto& [b, c] : changes_)
        if (c.before != c.after) out.push_back(c);
    return out;
}

} // namespace dms
