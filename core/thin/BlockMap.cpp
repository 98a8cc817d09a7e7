#include "core/thin/BlockMap.h"

namespace dms {

BlockMap::BlockMap(std::uint64_t blocks)
    : roles_(blocks, 0), counts_(blocks, kCountUnknown), refs_(blocks, 0),
      owners_(blocks, kOwnerNone) {}

std::optional<std::uint32_t> BlockMap::diskCount(std::uint64_t b) const {
    const std::uint8_t c = counts_[b];
    if (c == kCountUnknown) return std::nullopt;
    if (c == kCountInTable) return bigCounts_.at(b);
    return c;
}

std::uint32_t BlockMap::references(std::uint64_t b) const {
    const std::uint8_t r = refs_[b];
    return r == kRefsInTable ? bigRefs_.at(b) : r;
}

BlockOwner BlockMap::owner(std::uint64_t b) const {
    const std::uint16_t o = owners_[b];
    if (o == kOwnerNone) return {};
    if (o == kOwnerShared || o == kOwnerUntabled) return {BlockOwner::Kind::Shared, 0};
    return {BlockOwner::Kind::Device, ownerIds_[o - 1]};
}

const std::string* BlockMap::reason(std::uint64_t b) const {
    auto it = reasons_.find(b);
    return it == reasons_.end() ? nullptr : &it->second;
}

void BlockMap::setCount(std::uint64_t b, std::uint32_t count) {
    if (count >= kCountInTable) {
        counts_[b] = kCountInTable;
        bigCounts_[b] = count;
    } else {
        counts_[b] = static_cast<std::uint8_t>(count);
    }
}

void BlockMap::addReference(std::uint64_t b) {
    std::uint8_t& r = refs_[b];
    if (r < kRefsInTable - 1) {
        ++r;
    } else if (r == kRefsInTable - 1) {
        r = kRefsInTable;
        bigRefs_[b] = kRefsInTable;
    } else {
        ++bigRefs_[b];
    }
}

bool BlockMap::addOwner(std::uint64_t b, std::uint16_t ownerIndex) {
    std::uint16_t& o = owners_[b];
    if (o == ownerIndex || o == kOwnerShared) return false;
    if (o == kOwnerNone) {
        o = ownerIndex;
        return false;
    }
    o = kOwnerShared;
    return true;
}

std::uint16_t BlockMap::ownerIndexFor(std::uint64_t device) {
    auto it = ownerIndex_.find(device);
    if (it != ownerIndex_.end()) return it->second;
    if (ownerIds_.size() + 1 >= kOwnerUntabled) return kOwnerUntabled;
    ownerIds_.push_back(device);
    const auto index = static_cast<std::uint16_t>(ownerIds_.size());
    ownerIndex_.emplace(device, index);
    return index;
}

void BlockMap::markUnreadable(std::uint64_t b, std::string why) {
    roles_[b] = static_cast<std::uint8_t>(BlockRole::Unreadable);
    reasons_.try_emplace(b, std::move(why));
}

void BlockMap::addProblem(std::string what) {
    ++problemCount_;
    if (problems_.size() < kMaxProblems) problems_.push_back(std::move(what));
}

// Unreferenced blocks get their role from the space map; totals and mismatches are counted.
void BlockMap::finish() {
    totals_.fill(0);
    allocated_ = 0;
    mismatches_ = 0;
    for (std::uint64_t b = 0; b < roles_.size(); ++b) {
        const std::uint8_t c = counts_[b];
        if (c != kCountUnknown && c != 0) ++allocated_;
        if (refs_[b] == 0) {
            BlockRole r = BlockRole::Free;
            if (b >= spaceMapBlocks_)
                r = BlockRole::BeyondSpaceMap;
            else if (c == kCountUnknown)
                r = BlockRole::UnknownCount;
            else if (c != 0)
                r = BlockRole::Leaked;
            roles_[b] = static_cast<std::uint8_t>(r);
        }
        if (c != kCountUnknown && b < spaceMapBlocks_) {
            const bool same = (c == kCountInTable || refs_[b] == kRefsInTable)
                                  ? diskCount(b) == references(b)
                                  : c == refs_[b];
            if (!same) ++mismatches_;
        }
        ++totals_[roles_[b]];
    }
}

} // namespace dms
