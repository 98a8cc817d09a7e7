#include "tests/support/CountingSpaceMap.h"

namespace dms::test {

CountingSpaceMap::CountingSpaceMap(std::uint64_t nrBlocks)
    : counts_(nrBlocks, 0), committed_(nrBlocks, 0) {
    for (std::uint64_t b = 0; b < nrBlocks; ++b)
        allocatable_.insert(b);
}

Status CountingSpaceMap::check(std::uint64_t b, const char* op) const {
    if (b >= counts_.size())
        return makeError(ErrorKind::OutOfRange,
                         std::string(op) + " of a block beyond the space map's " +
                             std::to_string(counts_.size()) + " blocks",
                         b);
    return Status::success();
}

void CountingSpaceMap::setRaw(std::uint64_t b, std::uint32_t count) {
    counts_[b] = count;
    if (count == 0 && committed_[b] == 0)
        allocatable_.insert(b);
    else
        allocatable_.erase(b);
}

Expected<std::uint64_t> CountingSpaceMap::nrFree() const {
    std::uint64_t n = 0;
    for (std::uint32_t c : counts_)
        n += c == 0;
    return n;
}

std::uint64_t CountingSpaceMap::allocated() const {
    return counts_.size() - *nrFree();
}

Expected<std::uint32_t> CountingSpaceMap::count(std::uint64_t b) {
    if (Status s = check(b, "count"); !s) return s.error();
    return counts_[b];
}

Expected<bool> CountingSpaceMap::countIsMoreThanOne(std::uint64_t b) {
    if (Status s = check(b, "count"); !s) return s.error();
    return counts_[b] > 1;
}

Status CountingSpaceMap::setCount(std::uint64_t b, std::uint32_t count) {
    if (Status s = check(b, "set_count"); !s) return s;
    setRaw(b, count);
    return Status::success();
}

Status CountingSpaceMap::inc(std::uint64_t b) {
    if (Status s = check(b, "inc"); !s) return s;
    setRaw(b, counts_[b] + 1);
    return Status::success();
}

Status CountingSpaceMap::dec(std::uint64_t b) {
    if (Status s = check(b, "dec"); !s) return s;
    if (counts_[b] == 0)
        return makeError(ErrorKind::Corrupt, "dec of a block whose count is already 0", b);
    setRaw(b, counts_[b] - 1);
    return Status::success();
}

Expected<std::uint64_t> CountingSpaceMap::newBlock() {
    ++newBlockCalls_;
    if (allocatable_.empty())
        return makeError(ErrorKind::OutOfRange, "metadata space map has no free block");
    const std::uint64_t b = *allocatable_.begin();
    setRaw(b, 1);
    return b;
}

Status CountingSpaceMap::commit() {
    committed_ = counts_;
    allocatable_.clear();
    for (std::uint64_t b = 0; b < counts_.size(); ++b)
        if (counts_[b] == 0) allocatable_.insert(b);
    return Status::success();
}

void CountingSpaceMap::rollback() {
    counts_ = committed_;
    allocatable_.clear();
    for (std::uint64_t b = 0; b < counts_.size(); ++b)
        if (counts_[b] == 0) allocatable_.insert(b);
}

Status CountingSpaceMap::extend(std::uint64_t extraBlocks) {
    const std::uint64_t old = counts_.size();
    counts_.resize(old + extraBlocks, 0);
    committed_.resize(old + extraBlocks, 0);
    for (std::uint64_t b = old; b < counts_.size(); ++b)
        allocatable_.insert(b);
    return Status::success();
}

SpaceMapRoot CountingSpaceMap::root() const {
    SpaceMapRoot r;
    r.nrBlocks = counts_.size();
    r.nrAllocated = allocated();
    return r;
}

} // namespace dms::test
