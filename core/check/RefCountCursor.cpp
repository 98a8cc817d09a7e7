#include "core/check/RefCountCursor.h"

namespace dms {

RefCountCursor::RefCountCursor(WalkEnv& env, std::uint64_t root) : env_(env) {
    stack_.reserve(16);
    if (!push(root)) stack_.clear();
}

bool RefCountCursor::push(std::uint64_t block) {
    if (block >= env_.nrBlocks || !env_.validNodes.test(block) || stack_.size() >= kMaxDepth)
        return false;
    const std::uint8_t* p = env_.source->mapped(block);
    if (p) {
        env_.trimmer.touched();
    } else {
        if (copies_.size() <= stack_.size()) copies_.resize(stack_.size() + 1);
        std::vector<std::uint8_t>& copy = copies_[stack_.size()];
        copy.resize(kBlockSize);
        if (!env_.source->read(block, copy.data())) return false;
        p = copy.data();
    }
    const NodeView n{p, block};
    const std::uint32_t vs = (n.flags() & 1) ? 8 : 4;
    if (n.valueSize() != vs || n.nrEntries() > n.maxEntries() ||
        (8 + std::uint64_t(vs)) * n.maxEntries() + 32 > kBlockSize)
        return false;
    stack_.push_back({n, 0});
    return true;
}

bool RefCountCursor::advance() {
    while (!stack_.empty()) {
        Frame& f = stack_.back();
        if (f.index >= f.node.nrEntries()) {
            stack_.pop_back();
            continue;
        }
        const std::uint32_t i = f.index++;
        if (f.node.flags() & 1) {
            if (!push(f.node.valueU64(i))) {
                stack_.clear(); // damaged: stop here
                return false;
            }
            continue;
        }
        const std::uint64_t key = f.node.key(i);
        if (haveKey_ && key <= key_) continue; // keys must increase
        key_ = key;
        value_ = f.node.valueU32(i);
        haveKey_ = true;
        return true;
    }
    return false;
}

} // namespace dms
