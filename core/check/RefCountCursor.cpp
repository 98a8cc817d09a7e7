#include "core/check/RefCountCursor.h"

#include "core/check/TreeWalker.h"

namespace dms {

RefCountCursor::RefCountCursor(WalkEnv& env, std::uint64_t root) : env_(env) {
    stack_.push_back({root, 0});
}

std::optional<NodeView> RefCountCursor::node(std::uint64_t block) {
    if (block >= env_.nrBlocks || !env_.validNodes.test(block)) return std::nullopt;
    const std::uint8_t* p = env_.source->mapped(block);
    if (!p) return std::nullopt; // only in-place sources; others get no data comparison
    env_.trimmer.touched();
    const NodeView n{p, block};
    const std::uint32_t vs = (n.flags() & 1) ? 8 : 4;
    if (n.valueSize() != vs || n.nrEntries() > n.maxEntries() ||
        (8 + std::uint64_t(vs)) * n.maxEntries() + 32 > kBlockSize)
        return std::nullopt;
    return n;
}

bool RefCountCursor::advance() {
    while (!stack_.empty() && stack_.size() <= TreeWalker::kMaxDepth) {
        Frame& f = stack_.back();
        auto n = node(f.block);
        if (!n || f.index >= n->nrEntries()) {
            stack_.pop_back();
            if (!n) stack_.clear(); // damaged: stop
            continue;
        }
        const std::uint32_t i = f.index++;
        if (n->flags() & 1) {
            stack_.push_back({n->valueU64(i), 0});
            continue;
        }
        const std::uint64_t key = n->key(i);
        if (current_ && key <= current_->first) continue; // keys must increase
        current_ = {key, n->valueU32(i)};
        return true;
    }
    return false;
}

std::optional<std::pair<std::uint64_t, std::uint32_t>> RefCountCursor::seek(std::uint64_t k) {
    if (!started_) {
        started_ = true;
        ended_ = !advance();
    }
    while (!ended_ && current_->first < k)
        ended_ = !advance();
    if (ended_) return std::nullopt;
    return current_;
}

} // namespace dms
