#include "core/FaultInjectingBlockSource.h"

#include <algorithm>
#include <cstring>

namespace dms {

FaultInjectingBlockSource::FaultInjectingBlockSource(std::shared_ptr<BlockSource> inner)
    : inner_(std::move(inner)) {}

void FaultInjectingBlockSource::arm(Plan plan, std::uint64_t k) {
    plan_ = plan;
    k_ = k;
    armedAt_ = writeCalls_;
}

void FaultInjectingBlockSource::failAfterWrites(std::uint64_t k) {
    arm(Plan::FailAfter, k);
}

void FaultInjectingBlockSource::tearWritePrefix(std::uint64_t k, std::size_t bytes) {
    arm(Plan::TearPrefix, k);
    prefixBytes_ = std::min(bytes, kBlockSize);
}

void FaultInjectingBlockSource::tearWriteSectors(std::uint64_t k, std::uint8_t newSectors) {
    arm(Plan::TearSectors, k);
    sectorMask_ = newSectors;
}

void FaultInjectingBlockSource::disarm() {
    plan_ = Plan::None;
}

Status FaultInjectingBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    return inner_->read(block, out);
}

Status FaultInjectingBlockSource::deviceGone(std::optional<std::uint64_t> block,
                                             const char* what) const {
    return makeError(ErrorKind::Io,
                     std::string(what) + " failed on " + name() + ": injected device failure",
                     block);
}

Status FaultInjectingBlockSource::tear(std::uint64_t block, const std::uint8_t* in) {
    std::uint8_t mixed[kBlockSize];
    if (Status s = inner_->read(block, mixed); !s) return s;
    if (plan_ == Plan::TearPrefix) {
        std::memcpy(mixed, in, prefixBytes_);
    } else {
        for (unsigned i = 0; i < kSectorsPerBlock; ++i)
            if (sectorMask_ & (1u << i))
                std::memcpy(mixed + i * kSectorSize, in + i * kSectorSize, kSectorSize);
    }
    if (Status s = inner_->write(block, mixed); !s) return s;
    tornBlock_ = block;
    return deviceGone(block, "write (torn)");
}

Status FaultInjectingBlockSource::write(std::uint64_t block, const std::uint8_t* in) {
    ++writeCalls_;
    if (failed_) {
        events_.push_back({EventKind::FailedWrite, block});
        return deviceGone(block, "write");
    }
    const std::uint64_t n = writeCalls_ - armedAt_; // 1-based since armed
    if (plan_ == Plan::FailAfter && n > k_) {
        failed_ = true;
        events_.push_back({EventKind::FailedWrite, block});
        return deviceGone(block, "write");
    }
    if ((plan_ == Plan::TearPrefix || plan_ == Plan::TearSectors) && n == k_) {
        failed_ = true;
        events_.push_back({EventKind::TornWrite, block});
        return tear(block, in);
    }
    if (Status s = inner_->write(block, in); !s) return s;
    ++completedWrites_;
    events_.push_back({EventKind::Write, block});
    return Status::success();
}

Status FaultInjectingBlockSource::flush() {
    ++flushCalls_;
    if (failed_) {
        events_.push_back({EventKind::FailedFlush, 0});
        return deviceGone(std::nullopt, "flush");
    }
    if (Status s = inner_->flush(); !s) return s;
    ++completedFlushes_;
    events_.push_back({EventKind::Flush, 0});
    return Status::success();
}

} // namespace dms
