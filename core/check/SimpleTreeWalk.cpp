#include "core/check/SimpleTreeWalk.h"

#include "core/check/NodeChecks.h"

namespace dms {

SimpleTreeWalk::SimpleTreeWalk(const BlockReader& reader, std::uint32_t leafValueSize,
                               std::string name)
    : reader_(reader), leafValueSize_(leafValueSize), name_(std::move(name)) {}

std::string SimpleTreeWalk::pathText(const std::vector<std::uint64_t>& path,
                                     std::uint64_t block) const {
    std::string s = name_;
    for (std::uint64_t b : path)
        s += " > " + std::to_string(b);
    return s + " > " + std::to_string(block);
}

void SimpleTreeWalk::fail(std::uint64_t block, std::string field, std::string message) {
    ++errors_;
    Error e = makeError(ErrorKind::Corrupt, std::move(message), block, std::move(field));
    e.path = pathText(path_, block);
    visitor_->error(e);
}

std::size_t SimpleTreeWalk::walk(std::uint64_t root, SimpleTreeVisitor& visitor) {
    visitor_ = &visitor;
    errors_ = 0;
    seen_.assign(reader_.blockCount(), false);
    path_.clear();
    lastLeafKey_.reset();
    visit(root, 0, std::nullopt, 0);
    return errors_;
}

void SimpleTreeWalk::visit(std::uint64_t block, unsigned depth,
                           std::optional<std::uint64_t> parentKey, std::uint32_t parentSlot) {
    const std::uint64_t holder = path_.empty() ? 0 : path_.back();
    const std::string slot = path_.empty() ? "root" : "value[" + std::to_string(parentSlot) + "]";
    if (depth >= kMaxDepth) return fail(holder, slot, "tree deeper than 64 levels");
    if (block >= seen_.size()) {
        ++errors_;
        Error e = makeError(ErrorKind::OutOfRange,
                            "points to block " + std::to_string(block) +
                                ", beyond the end of the device (" + std::to_string(seen_.size()) +
                                " blocks)",
                            holder, slot);
        e.path = pathText(path_, block);
        visitor_->error(e);
        return;
    }
    if (seen_[block]) return;
    seen_[block] = true;
    auto raw = reader_.raw(block);
    if (!raw) return fail(block, "", raw.error().message);
    const NodeView n{raw->data(), block};
    // A block the open transaction wrote is not sealed yet: trusted, as BlockReader trusts it.
    if (!reader_.source().verified(block))
        if (auto p = validateNodeBlock(n)) return fail(block, p->field, p->message);
    NodeKind kind = NodeKind::Leaf;
    if (auto p = classifyNode(n, kind)) return fail(block, p->field, p->message);
    const bool leaf = kind == NodeKind::Leaf;
    NodeCheckContext ctx;
    ctx.subRoot = depth == 0;
    ctx.parentKey = parentKey;
    ctx.leafLike = leaf;
    ctx.lastLeafKey = lastLeafKey_;
    ctx.expectedValueSize = leaf ? leafValueSize_ : 8;
    if (auto p = checkNode(n, ctx)) return fail(block, p->field, p->message);
    const std::uint32_t nr = n.nrEntries();
    if (!leaf && nr == 0) return fail(block, "nr_entries", "internal node has no entries");
    visitor_->node(n);
    if (leaf) {
        if (nr > 0) lastLeafKey_ = n.key(nr - 1);
        visitor_->leaf(n, path_);
        return;
    }
    path_.push_back(block);
    for (std::uint32_t i = 0; i < nr; ++i)
        visit(n.valueU64(i), depth + 1, n.key(i), i);
    path_.pop_back();
}

} // namespace dms
