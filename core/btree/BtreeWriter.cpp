#include "core/btree/BtreeWriter.h"

#include "core/tx/TransactionManager.h"

namespace dms {

BtreeWriter::BtreeWriter(TransactionManager& tm, BtreeValueType leafType)
    : tm_(tm), type_(std::move(leafType)) {}

Status BtreeWriter::checkHeader(std::uint64_t b, const std::uint8_t* data) const {
    auto node = BtreeNode::fromBlock(Block::borrowed(b, data), type_.size);
    if (!node) {
        Error e = node.takeError();
        e.message = "while writing: " + e.message;
        return e;
    }
    if (node->isInternal() && node->nrEntries() == 0)
        return makeError(ErrorKind::Corrupt, "while writing: internal node with no entries", b,
                         "nr_entries");
    // Splits need room for at least three entries; no writer makes nodes smaller.
    if (node->maxEntries() < 3)
        return makeError(ErrorKind::Corrupt,
                         "while writing: max_entries " + std::to_string(node->maxEntries()) +
                             " leaves no room to split",
                         b, "max_entries");
    return Status::success();
}

Status BtreeWriter::incReferences(const MutableBtreeNode& n) {
    const std::uint32_t nr = n.nrEntries();
    if (n.isInternal()) {
        // Children in consecutive blocks go as one range (the mainline space map queues it whole).
        for (std::uint32_t i = 0; i < nr;) {
            std::uint32_t j = i + 1;
            while (j < nr && n.child(j) == n.child(j - 1) + 1)
                ++j;
            if (Status s = tm_.incRange(n.child(i), n.child(j - 1) + 1); !s) return s;
            i = j;
        }
    } else if (type_.inc) {
        for (std::uint32_t i = 0; i < nr; ++i)
            if (Status s = type_.inc(n.value(i)); !s) return s;
    }
    return Status::success();
}

Expected<MutableBtreeNode> BtreeWriter::shadowNode(std::uint64_t b) {
    auto sh = tm_.shadow(b, BlockType::BtreeNode);
    if (!sh) return sh.takeError();
    // The copy holds the original's bytes; errors name the original, the block on disk.
    if (Status s = checkHeader(b, sh->block.data); !s) return s.error();
    MutableBtreeNode n(sh->block.number, sh->block.data);
    if (sh->incChildren)
        if (Status s = incReferences(n); !s) return s.error();
    return n;
}

Expected<MutableBtreeNode> BtreeWriter::shadowChild(MutableBtreeNode& parent, std::uint32_t index) {
    auto child = shadowNode(parent.child(index));
    if (!child) return child;
    parent.setChild(index, child->number());
    return child;
}

Expected<MutableBtreeNode> BtreeWriter::newNode(std::uint32_t flags, std::uint32_t valueSize,
                                                std::uint32_t maxEntries) {
    auto w = tm_.newBlock(BlockType::BtreeNode);
    if (!w) return w.takeError();
    MutableBtreeNode n(w->number, w->data);
    n.format(flags, valueSize, maxEntries);
    return n;
}

Expected<std::uint64_t> BtreeWriter::empty() {
    if (type_.size == 0 || btreeMaxEntries(type_.size) < 3)
        return makeError(ErrorKind::Usage,
                         "btree value size " + std::to_string(type_.size) + " does not fit a node");
    auto n = newNode(kNodeLeaf, type_.size, btreeMaxEntries(type_.size));
    if (!n) return n.takeError();
    return n->number();
}

Expected<std::optional<BtreeHit>> BtreeWriter::lookup(std::uint64_t root, std::uint64_t key) const {
    return btreeLookup(tm_.reader(), root, key, type_.size);
}

Expected<BtreeUpdateResult>
BtreeWriter::update(std::uint64_t root, std::uint64_t key,
                    const std::function<Status(std::uint8_t* value)>& edit) {
    // Look first so that a missing key leaves the tree unwritten.
    auto hit = lookup(root, key);
    if (!hit) return hit.takeError();
    if (!*hit) return BtreeUpdateResult{root, false};

    auto top = shadowNode(root);
    if (!top) return top.takeError();
    MutableBtreeNode node = *top;
    for (unsigned depth = 1; node.isInternal(); ++depth) {
        const int i = node.lastKeyAtMost(key);
        if (i < 0)
            return makeError(ErrorKind::Corrupt,
                             "key " + std::to_string(key) + " found by lookup is not on the path",
                             node.number(), "keys");
        if (depth >= kMaxDepth)
            return makeError(ErrorKind::Corrupt,
                             "tree deeper than " + std::to_string(kMaxDepth) + " levels", root);
        auto child = shadowChild(node, static_cast<std::uint32_t>(i));
        if (!child) return child.takeError();
        node = *child;
    }
    const int j = node.find(key);
    if (j < 0)
        return makeError(ErrorKind::Corrupt,
                         "key " + std::to_string(key) + " found by lookup is not in its leaf",
                         node.number(), "keys");
    if (Status s = edit(node.value(static_cast<std::uint32_t>(j))); !s) return s.error();
    return BtreeUpdateResult{top->number(), true};
}

Status BtreeWriter::destroy(std::uint64_t root) {
    return drop(root, 0);
}

Status BtreeWriter::drop(std::uint64_t b, unsigned depth) {
    if (depth >= kMaxDepth)
        return makeError(ErrorKind::Corrupt,
                         "tree deeper than " + std::to_string(kMaxDepth) + " levels (a cycle?)", b);
    SpaceMap* sm = tm_.spaceMap();
    if (!sm) return makeError(ErrorKind::Usage, "no metadata space map");
    auto shared = sm->countIsMoreThanOne(b);
    if (!shared) return shared.error();
    // Another holder keeps the node and, through it, everything below.
    if (*shared) return tm_.dec(b);

    auto node = BtreeNode::read(tm_.reader(), b, type_.size);
    if (!node) return node.error();
    const std::uint32_t nr = node->nrEntries();
    if (node->isInternal()) {
        for (std::uint32_t i = 0; i < nr; ++i)
            if (Status s = drop(node->valueU64(i), depth + 1); !s) return s;
    } else if (type_.dec) {
        for (std::uint32_t i = 0; i < nr; ++i)
            if (Status s = type_.dec(node->value(i)); !s) return s;
    }
    return tm_.dec(b);
}

BtreeValueType BtreeWriter::subtreeValueType() {
    BtreeValueType t;
    t.size = 8;
    t.inc = [this](const std::uint8_t* v) { return tm_.inc(loadLe64(v)); };
    t.dec = [this](const std::uint8_t* v) { return destroy(loadLe64(v)); };
    return t;
}

} // namespace dms
