#include "core/check/TreeWalker.h"

#include <algorithm>
#include <climits>

namespace dms {

TreeWalker::TreeWalker(WalkEnv& env, const TreeSpec& spec, WalkMode mode, LeafHandler* handler,
                       BlockBitmap* damageSeen)
    : env_(env), spec_(spec), mode_(mode), handler_(handler), damageSeen_(damageSeen) {
    path_.reserve(kMaxDepth + 2);
}

void TreeWalker::walk(std::uint64_t root) {
    path_.clear();
    subTreeKeyAt_ = SIZE_MAX;
    lastLeafKey_ = {};
    leafDepth_ = {};
    firstLeafKey_.reset();
    visit(root, Pos{});
}

void TreeWalker::walkSubtree(const SubtreeStart& start) {
    path_ = start.pathBlocks;
    subTreeKeyAt_ = start.subTreeKeyAt;
    subTreeKey_ = start.subTreeKey;
    lastLeafKey_ = {};
    leafDepth_ = {};
    firstLeafKey_.reset();
    Pos pos;
    pos.level = start.level;
    pos.depth = start.depth;
    pos.parentKey = start.parentKey;
    pos.highKey = start.highKey;
    pos.parentSlot = start.parentSlot;
    visit(start.block, pos);
}

std::string TreeWalker::path() const {
    std::string s = spec_.name + ":";
    for (std::size_t i = 0; i < path_.size(); ++i) {
        if (i == subTreeKeyAt_) s += " > dev " + std::to_string(subTreeKey_);
        s += (i ? " > " : " ") + std::to_string(path_[i]);
    }
    if (subTreeKeyAt_ == path_.size()) s += " > dev " + std::to_string(subTreeKey_);
    return s;
}

void TreeWalker::report(Severity s, FindingCategory c, std::uint64_t block, std::string field,
                        std::string message) const {
    Finding f;
    f.severity = s;
    f.category = c;
    f.block = block;
    f.field = std::move(field);
    f.message = std::move(message);
    f.path = path();
    if (path_.empty() || path_.back() != block) f.path += " > " + std::to_string(block);
    env_.add(std::move(f));
}

bool TreeWalker::onPath(std::uint64_t block) const {
    return std::find(path_.begin(), path_.end(), block) != path_.end();
}

const std::uint8_t* TreeWalker::fetch(std::uint64_t block) {
    if (const std::uint8_t* p = env_.source->mapped(block)) {
        env_.trimmer.touched();
        return p;
    }
    const std::size_t slot = path_.size();
    if (scratch_.size() <= slot) scratch_.resize(slot + 1);
    scratch_[slot].resize(kBlockSize);
    if (!env_.source->read(block, scratch_[slot].data())) return nullptr;
    return scratch_[slot].data();
}

void TreeWalker::fail(const Pos& pos, std::uint64_t block, const NodeProblem& p,
                      bool suppressCheck) {
    (void)pos;
    if (!p.exception && suppressCheck) return; // explained by the cycle finding
    if (p.exception || mode_ == WalkMode::Damage) {
        report(Severity::Fatal, FindingCategory::Node, block, p.field, p.message);
        return;
    }
    report(Severity::NonFatal, FindingCategory::Node, block, p.field,
           p.message + "; thin_check leaves this node and what is below it uncounted");
}

void TreeWalker::visit(std::uint64_t block, const Pos& pos) {
    if (env_.aborted()) return;
    const bool subRoot = pos.depth == 0;
    const std::uint64_t holder = path_.empty() ? spec_.rootHolder : path_.back();
    auto slotField = [&] {
        return path_.empty() ? spec_.rootField : "value[" + std::to_string(pos.parentSlot) + "]";
    };
    if (path_.size() >= kMaxDepth) {
        report(Severity::Fatal, FindingCategory::Node, holder, slotField(),
               "tree deeper than " + std::to_string(kMaxDepth) + " levels");
        return;
    }
    if (block >= env_.nrBlocks) {
        report(Severity::Fatal, FindingCategory::Node, holder, slotField(),
               "points to block " + std::to_string(block) + ", beyond the end of the device (" +
                   std::to_string(env_.nrBlocks) + " blocks)");
        return;
    }
    if (mode_ == WalkMode::Damage && damageSeen_->testAndSet(block)) return;
    const bool cycle = mode_ == WalkMode::Count && onPath(block);
    if (cycle)
        report(Severity::NonFatal, FindingCategory::Cycle, holder, slotField(),
               "points back to its ancestor block " + std::to_string(block) +
                   "; thin_check does not descend there again and the block this slot should "
                   "hold goes uncounted");

    const std::uint8_t* data = fetch(block);
    if (!data) {
        report(Severity::Fatal, FindingCategory::Node, block, "", "cannot read the block");
        return;
    }
    const NodeView n{data, block};
    if (!env_.validNodes.test(block)) {
        if (auto p = validateNodeBlock(n)) return fail(pos, block, *p, cycle);
        if (!env_.validNodes.testAndSet(block))
            env_.nodesRead.fetch_add(1, std::memory_order_relaxed);
    }
    NodeKind kind = NodeKind::Leaf;
    if (auto p = classifyNode(n, kind)) return fail(pos, block, *p, cycle);
    const bool leafLike = kind == NodeKind::Leaf;
    const bool lastLevel = pos.level + 1 >= spec_.levels;
    if (subRoot) {
        lastLeafKey_[pos.level].reset();
        leafDepth_[pos.level].reset();
    }
    NodeCheckContext ctx;
    ctx.subRoot = subRoot;
    if (!subRoot) ctx.parentKey = pos.parentKey;
    ctx.leafLike = leafLike;
    ctx.lastLeafKey = lastLeafKey_[pos.level];
    ctx.expectedValueSize = (leafLike && lastLevel) ? spec_.leafValueSize : 8;
    ctx.skipNrEntriesCheck = mode_ == WalkMode::Damage && env_.ignoreNonFatal;
    if (auto p = checkNode(n, ctx)) return fail(pos, block, *p, cycle);
    const std::uint32_t nr = n.nrEntries();
    // thin_check reads key 0 of every internal node it accepts in the live pass. The
    // optimistic counting pass stands in for that pass too, so it must notice.
    const bool damagePass = mode_ == WalkMode::Damage || (env_.optimistic && spec_.live);
    if (damagePass && !leafLike && nr == 0)
        return fail(pos, block, NodeProblem{true, "nr_entries", "internal node has no entries"},
                    cycle);
    if (leafLike && nr > 0) {
        if (lastLevel && !firstLeafKey_) firstLeafKey_ = n.key(0);
        lastLeafKey_[pos.level] = n.key(nr - 1);
    }
    if (mode_ == WalkMode::Count) {
        if (env_.metaCounts.increment(block) != 0) return; // counted again, not descended
        extraWarnings(n, kind, leafLike, pos);
    }
    descend(n, kind, leafLike, pos);
}

void TreeWalker::extraWarnings(const NodeView& n, NodeKind kind, bool leafLike, const Pos& pos) {
    (void)kind;
    const std::uint32_t nr = n.nrEntries();
    if (n.flags() & ~3u)
        report(Severity::Warning, FindingCategory::Node, n.block, "flags",
               "node flags " + std::to_string(n.flags()) + " carry unknown bits");
    if (pos.highKey && nr > 0 && n.key(nr - 1) >= *pos.highKey)
        report(Severity::Warning, FindingCategory::Node, n.block, "keys",
               "last key " + std::to_string(n.key(nr - 1)) +
                   " is not below the parent's next key " + std::to_string(*pos.highKey));
    if (leafLike) {
        auto& d = leafDepth_[pos.level];
        if (!d)
            d = pos.depth;
        else if (*d != pos.depth && *d != UINT_MAX) {
            report(Severity::Warning, FindingCategory::Node, n.block, "flags",
                   "leaf at depth " + std::to_string(pos.depth) +
                       " while other leaves of this tree are at depth " + std::to_string(*d));
            d = UINT_MAX; // one warning per tree
        }
    }
}

void TreeWalker::descend(const NodeView& n, NodeKind kind, bool leafLike, const Pos& pos) {
    const std::uint32_t nr = n.nrEntries();
    const bool lastLevel = pos.level + 1 >= spec_.levels;
    if (kind == NodeKind::Internal && expandInto_) {
        for (std::uint32_t i = 0; i < nr; ++i) {
            SubtreeStart s;
            s.block = n.valueU64(i);
            s.level = pos.level;
            s.depth = pos.depth + 1;
            s.parentKey = n.key(i);
            s.highKey = i + 1 < nr ? std::optional(n.key(i + 1)) : pos.highKey;
            s.parentSlot = i;
            s.pathBlocks = path_;
            s.pathBlocks.push_back(n.block);
            s.subTreeKey = subTreeKey_;
            s.subTreeKeyAt = subTreeKeyAt_;
            expandInto_->push_back(std::move(s));
        }
        return;
    }
    if (kind == NodeKind::Internal) {
        path_.push_back(n.block);
        for (std::uint32_t i = 0; i < nr && !env_.aborted(); ++i) {
            Pos child;
            child.level = pos.level;
            child.depth = pos.depth + 1;
            child.parentKey = n.key(i);
            child.highKey = i + 1 < nr ? std::optional(n.key(i + 1)) : pos.highKey;
            child.parentSlot = i;
            visit(n.valueU64(i), child);
        }
        path_.pop_back();
        return;
    }
    if (leafLike && !lastLevel) {
        path_.push_back(n.block);
        const std::size_t savedAt = subTreeKeyAt_;
        const std::uint64_t savedKey = subTreeKey_;
        for (std::uint32_t i = 0; i < nr && !env_.aborted(); ++i) {
            const std::uint64_t key = n.key(i);
            const std::uint64_t root = n.valueU64(i);
            if (mode_ == WalkMode::Count && handler_ && !handler_->subRoot(key, root, *this))
                continue;
            subTreeKeyAt_ = path_.size();
            subTreeKey_ = key;
            Pos child;
            child.level = pos.level + 1;
            child.parentSlot = i;
            visit(root, child);
        }
        subTreeKeyAt_ = savedAt;
        subTreeKey_ = savedKey;
        path_.pop_back();
        return;
    }
    if (mode_ == WalkMode::Count && handler_) handler_->leaf(n, *this);
}

} // namespace dms
