#pragma once
// Leaf-at-a-time walks of the thin trees for the report commands (dump, ls, rmap). The caller's
// function sees each leaf node in key order and iterates its entries itself, so there is no
// call per mapping. A walk stops at the first error (or the first failing status the function
// returns) and returns it; nothing after it is visited.
//
// The checks follow what thin_dump / thin_ls / thin_rmap 0.9.0 apply: thin_dump walks with the
// "non-fatal" minimum-fill check off, thin_ls and thin_rmap with it on; thin_rmap walks the
// whole two-level tree once and silently skips a node it has already visited (a subtree shared
// by several devices is reported for the first of them only).

#include "core/btree/BtreeWalker.h"

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace dms {

// Metadata blocks seen so far in one walk, one bit each.
class VisitedBlocks {
public:
    explicit VisitedBlocks(std::uint64_t nrBlocks) : bits_((nrBlocks + 63) / 64, 0) {}
    // Marks b; true when it was not marked before. b must be below the size given.
    bool insert(std::uint64_t b) {
        std::uint64_t& word = bits_[b / 64];
        const std::uint64_t bit = std::uint64_t(1) << (b % 64);
        if (word & bit) return false;
        word |= bit;
        return true;
    }

private:
    std::vector<std::uint64_t> bits_;
};

struct ThinTreeWalkConfig {
    std::uint32_t leafValueSize = 8;
    bool checkMinimumFill = true;
    VisitedBlocks* visited = nullptr; // skip nodes already in it, without error
    std::string treeName;             // for error paths, e.g. "mapping[dev 3]"
};

namespace detail {

template <class LeafFn> class ThinLeafVisitor final : public BtreeVisitor {
public:
    ThinLeafVisitor(LeafFn& fn, VisitedBlocks* visited) : fn_(fn), visited_(visited) {}

    bool enter(std::uint64_t block, const BtreeWalkPosition&) override {
        if (first_) return false;
        return !visited_ || visited_->insert(block);
    }
    void leaf(const BtreeNode& node, const BtreeWalkPosition&) override {
        if (first_) return;
        if (Status s = fn_(node); !s) first_ = s.error();
    }
    void error(const Error& e) override {
        if (!first_) first_ = e;
    }
    std::optional<Error> first_;

private:
    LeafFn& fn_;
    VisitedBlocks* visited_;
};

} // namespace detail

// fn: Status(const BtreeNode& leaf).
template <class LeafFn>
Status walkThinTreeLeaves(const BlockReader& reader, std::uint64_t root,
                          const ThinTreeWalkConfig& config, LeafFn&& fn) {
    BtreeWalkOptions options;
    options.leafValueSize = config.leafValueSize;
    options.checkMinimumFill = config.checkMinimumFill;
    options.treeName = config.treeName;
    BtreeWalker walker(reader, options);
    detail::ThinLeafVisitor<std::remove_reference_t<LeafFn>> visitor(fn, config.visited);
    walker.walk(root, visitor);
    if (visitor.first_) return *visitor.first_;
    return Status::success();
}

} // namespace dms
