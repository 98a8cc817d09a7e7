#include "models/RefCountRange.h"

#include "core/btree/BtreeNode.h"

namespace dms {
namespace {

constexpr unsigned kMaxDepth = 16;

Status collect(const BlockReader& reader, std::uint64_t block, std::uint64_t begin,
               std::uint64_t end, unsigned depth, RefCountEntries& out) {
    if (depth > kMaxDepth)
        return makeError(ErrorKind::Cycle, "refcount tree deeper than 16 levels", block);
    if (block == 0 || block >= reader.blockCount())
        return makeError(
            ErrorKind::OutOfRange,
            "refcount tree pointer " + std::to_string(block) + " is not a metadata block", block);
    auto node = BtreeNode::read(reader, block, 4);
    if (!node) return node.error();
    const std::uint32_t nr = node->nrEntries();
    if (node->isLeaf()) {
        for (std::uint32_t i = 0; i < nr; ++i) {
            const std::uint64_t k = node->key(i);
            if (k >= begin && k < end) out.emplace_back(k, node->valueU32(i));
        }
        return Status::success();
    }
    // Child i holds keys from key(i) up to key(i + 1).
    int first = node->lastKeyAtMost(begin);
    for (std::uint32_t i = first < 0 ? 0 : std::uint32_t(first); i < nr; ++i) {
        if (node->key(i) >= end) break;
        if (Status s = collect(reader, node->valueU64(i), begin, end, depth + 1, out); !s) return s;
    }
    return Status::success();
}

} // namespace

Expected<RefCountEntries> readRefCountRange(const BlockReader& reader, std::uint64_t root,
                                            std::uint64_t begin, std::uint64_t end) {
    RefCountEntries out;
    if (Status s = collect(reader, root, begin, end, 0, out); !s) return s.error();
    return out;
}

} // namespace dms
