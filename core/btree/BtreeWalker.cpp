#include "core/btree/BtreeWalker.h"

#include <algorithm>

namespace dms {

BtreeWalker::BtreeWalker(const BlockReader& reader, BtreeWalkOptions options)
    : reader_(reader), options_(std::move(options)) {}

std::string BtreeWalker::pathString(const BtreeWalkPosition& pos) const {
    std::string s = options_.treeName.empty() ? "root" : options_.treeName;
    for (std::uint64_t b : pos.path)
        s += " > " + std::to_string(b);
    s += " > " + std::to_string(pos.block);
    return s;
}

void BtreeWalker::report(BtreeVisitor& visitor, Error e, const BtreeWalkPosition& pos) {
    ++errors_;
    if (e.path.empty()) e.path = pathString(pos);
    visitor.error(e);
}

std::size_t BtreeWalker::walk(std::uint64_t root, BtreeVisitor& visitor) {
    errors_ = 0;
    leafDepth_.reset();
    lastLeafKey_.reset();
    BtreeWalkPosition pos;
    pos.block = root;
    visit(pos, visitor);
    return errors_;
}

void BtreeWalker::visit(BtreeWalkPosition& pos, BtreeVisitor& visitor) {
    const std::uint64_t b = pos.block;
    const std::optional<std::uint64_t> parent =
        pos.path.empty() ? std::nullopt : std::optional(pos.path.back());
    if (b >= reader_.blockCount()) {
        Error e = makeError(ErrorKind::OutOfRange,
                            "points to block " + std::to_string(b) +
                                ", beyond the end of the "
                                "device (" +
                                std::to_string(reader_.blockCount()) + " blocks)",
                            parent ? parent : std::optional<std::uint64_t>(b),
                            parent ? "value[" + std::to_string(pos.parentIndex) + "]" : "root");
        report(visitor, std::move(e), pos);
        return;
    }
    if (std::find(pos.path.begin(), pos.path.end(), b) != pos.path.end()) {
        report(visitor,
               makeError(ErrorKind::Cycle,
                         "child pointer leads back to ancestor block " + std::to_string(b), parent,
                         "value[" + std::to_string(pos.parentIndex) + "]"),
               pos);
        return;
    }
    if (pos.depth() >= options_.maxDepth) {
        report(visitor,
               makeError(ErrorKind::Corrupt,
                         "tree deeper than " + std::to_string(options_.maxDepth) + " levels", b),
               pos);
        return;
    }
    if (!visitor.enter(b, pos)) return;

    auto read = BtreeNode::read(reader_, b, options_.leafValueSize);
    if (!read) {
        report(visitor, read.takeError(), pos);
        return;
    }
    const BtreeNode& n = *read;
    const std::uint32_t nr = n.nrEntries();
    const bool isRoot = pos.path.empty();
    if (!isRoot && options_.checkMinimumFill && nr < n.maxEntries() / 3) {
        report(visitor,
               makeError(ErrorKind::Corrupt,
                         "too few entries: " + std::to_string(nr) +
                             ", a non-root node holds at "
                             "least " +
                             std::to_string(n.maxEntries() / 3),
                         b, "nr_entries"),
               pos);
        return;
    }
    if (n.isInternal() && nr == 0) {
        report(visitor,
               makeError(ErrorKind::Corrupt, "internal node with no entries", b, "nr_entries"),
               pos);
        return;
    }
    for (std::uint32_t i = 1; i < nr; ++i) {
        if (n.key(i) <= n.key(i - 1)) {
            report(visitor,
                   makeError(ErrorKind::Corrupt,
                             "keys out of order: key[" + std::to_string(i) + "] " +
                                 std::to_string(n.key(i)) + " <= key[" + std::to_string(i - 1) +
                                 "] " + std::to_string(n.key(i - 1)),
                             b, "keys"),
                   pos);
            return;
        }
    }
    if (nr > 0 && pos.lowKey && n.key(0) < *pos.lowKey) {
        report(visitor,
               makeError(ErrorKind::Corrupt,
                         "first key " + std::to_string(n.key(0)) + " is below the parent's key " +
                             std::to_string(*pos.lowKey),
                         b, "keys"),
               pos);
        return;
    }
    if (nr > 0 && pos.highKey && n.key(nr - 1) >= *pos.highKey) {
        report(visitor,
               makeError(ErrorKind::Corrupt,
                         "last key " + std::to_string(n.key(nr - 1)) +
                             " is not below the parent's next key " + std::to_string(*pos.highKey),
                         b, "keys"),
               pos);
        return;
    }
    visitor.node(n, pos);

    if (n.isLeaf()) {
        if (!leafDepth_) leafDepth_ = pos.depth();
        if (*leafDepth_ != pos.depth()) {
            report(visitor,
                   makeError(ErrorKind::Corrupt,
                             "leaf at depth " + std::to_string(pos.depth()) +
                                 " but other leaves are at depth " + std::to_string(*leafDepth_),
                             b, "flags"),
                   pos);
            return;
        }
        if (nr > 0 && lastLeafKey_ && n.key(0) <= *lastLeafKey_) {
            report(visitor,
                   makeError(ErrorKind::Corrupt,
                             "first key " + std::to_string(n.key(0)) +
                                 " does not follow the previous leaf's last key " +
                                 std::to_string(*lastLeafKey_),
                             b, "keys"),
                   pos);
            return;
        }
        if (nr > 0) lastLeafKey_ = n.key(nr - 1);
        visitor.leaf(n, pos);
        return;
    }

    pos.path.push_back(b);
    const auto savedLow = pos.lowKey;
    const auto savedHigh = pos.highKey;
    const auto savedIndex = pos.parentIndex;
    for (std::uint32_t i = 0; i < nr; ++i) {
        pos.block = n.valueU64(i);
        pos.parentIndex = i;
        pos.lowKey = n.key(i);
        pos.highKey = (i + 1 < nr) ? std::optional(n.key(i + 1)) : savedHigh;
        visit(pos, visitor);
    }
    pos.path.pop_back();
    pos.block = b;
    pos.lowKey = savedLow;
    pos.highKey = savedHigh;
    pos.parentIndex = savedIndex;
}

namespace {

class EntryVisitor final : public BtreeVisitor {
public:
    explicit EntryVisitor(const std::function<void(std::uint64_t, const std::uint8_t*)>& fn)
        : fn_(fn) {}
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        if (first_) return;
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i)
            fn_(n.key(i), n.value(i));
    }
    void error(const Error& e) override {
        if (!first_) first_ = e;
    }
    std::optional<Error> first_;

private:
    const std::function<void(std::uint64_t, const std::uint8_t*)>& fn_;
};

} // namespace

Status
BtreeWalker::forEachEntry(const BlockReader& reader, std::uint64_t root, std::uint32_t valueSize,
                          const std::function<void(std::uint64_t, const std::uint8_t*)>& fn) {
    BtreeWalkOptions opts;
    opts.leafValueSize = valueSize;
    BtreeWalker walker(reader, opts);
    EntryVisitor v(fn);
    walker.walk(root, v);
    if (v.first_) return *v.first_;
    return Status::success();
}

} // namespace dms
