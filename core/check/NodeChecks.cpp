#include "core/check/NodeChecks.h"

#include "core/BlockSource.h"
#include "core/BlockType.h"

#include <cstdio>

namespace dms {
namespace {

NodeProblem problem(bool exception, std::string field, std::string message) {
    return NodeProblem{exception, std::move(field), std::move(message)};
}

std::string hex32(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

} // namespace

std::optional<NodeProblem> validateNodeBlock(const NodeView& n) {
    const std::uint32_t stored = loadLe32(n.data);
    const std::uint32_t computed = computeChecksum(n.data, BlockType::BtreeNode);
    if (stored != computed)
        return problem(true, "csum",
                       "btree node checksum mismatch: stored " + hex32(stored) + ", computed " +
                           hex32(computed));
    if (n.blocknr() != n.block)
        return problem(true, "blocknr",
                       "btree node records block number " + std::to_string(n.blocknr()) +
                           " but was read from block " + std::to_string(n.block));
    return std::nullopt;
}

std::optional<NodeProblem> classifyNode(const NodeView& n, NodeKind& kind) {
    const std::uint32_t flags = n.flags();
    if (flags & 1) {
        if (flags & 2)
            return problem(true, "flags",
                           "node flags " + std::to_string(flags) + " say both INTERNAL and LEAF");
        kind = NodeKind::Internal;
        return std::nullopt;
    }
    if (flags & 2) {
        kind = NodeKind::Leaf;
        return std::nullopt;
    }
    return problem(true, "flags",
                   "node flags " + std::to_string(flags) + " are neither INTERNAL nor LEAF");
}

std::optional<NodeProblem> checkNode(const NodeView& n, const NodeCheckContext& ctx) {
    const std::uint32_t vs = n.valueSize();
    if (vs != ctx.expectedValueSize)
        return problem(false, "value_size",
                       "value_size " + std::to_string(vs) + ", expected " +
                           std::to_string(ctx.expectedValueSize));
    const std::uint64_t maxEntries = n.maxEntries();
    if ((8 + std::uint64_t(vs)) * maxEntries + 32 > kBlockSize)
        return problem(false, "max_entries",
                       "max_entries " + std::to_string(maxEntries) +
                           " does not fit in a block with value_size " + std::to_string(vs));
    if (maxEntries % 3)
        return problem(false, "max_entries",
                       "max_entries " + std::to_string(maxEntries) + " is not a multiple of 3");
    const std::uint32_t nr = n.nrEntries();
    if (!ctx.skipNrEntriesCheck) {
        if (nr > maxEntries)
            return problem(false, "nr_entries",
                           "nr_entries " + std::to_string(nr) + " > max_entries " +
                               std::to_string(maxEntries));
        if (!ctx.subRoot && nr < maxEntries / 3)
            return problem(false, "nr_entries",
                           "too few entries: " + std::to_string(nr) +
                               ", a non-root node holds at least " +
                               std::to_string(maxEntries / 3));
    } else if (const std::uint32_t capacity = (kBlockSize - 32) / (8 + vs); nr > capacity) {
        return problem(true, "nr_entries",
                       "nr_entries " + std::to_string(nr) + " is more than a block holds (" +
                           std::to_string(capacity) + ")");
    }
    for (std::uint32_t i = 1; i < nr; ++i)
        if (n.key(i) <= n.key(i - 1))
            return problem(false, "keys",
                           "keys out of order: key[" + std::to_string(i) + "] " +
                               std::to_string(n.key(i)) + " <= key[" + std::to_string(i - 1) +
                               "] " + std::to_string(n.key(i - 1)));
    if (ctx.parentKey) {
        if (nr == 0)
            return problem(true, "nr_entries",
                           "non-root node has no entries (its parent's key " +
                               std::to_string(*ctx.parentKey) + " leads nowhere)");
        if (*ctx.parentKey > n.key(0))
            return problem(false, "keys",
                           "first key " + std::to_string(n.key(0)) + " is below the parent's key " +
                               std::to_string(*ctx.parentKey));
    }
    if (ctx.leafLike && nr > 0 && ctx.lastLeafKey && *ctx.lastLeafKey >= n.key(0))
        return problem(false, "keys",
                       "first key " + std::to_string(n.key(0)) +
                           " does not follow the previous leaf's last key " +
                           std::to_string(*ctx.lastLeafKey));
    return std::nullopt;
}

} // namespace dms
