#pragma once
// Walks one single-level btree (a dm-array spine, the era writeset tree) with exactly the node
// checks the 0.9.0 tools' damage visitor applies (NodeChecks.h: checksum, block number, flags,
// value_size, max_entries, nr_entries and minimum fill, key order, parent key, leaf order), so
// that cache_check's and era_check's verdicts can be matched. A node already visited in this
// walk is skipped silently, as the tools do: a pointer back to an ancestor cannot loop. Every
// failure is reported with block, field and path, and the walk goes on with the next sibling.

#include "core/BlockReader.h"
#include "core/check/NodeView.h"

#include <string>
#include <vector>

namespace dms {

class SimpleTreeVisitor {
public:
    virtual ~SimpleTreeVisitor() = default;
    // Every node that passed its checks.
    virtual void node(const NodeView&) {}
    // Every leaf that passed, in key order; path = the blocks above it.
    virtual void leaf(const NodeView& leaf, const std::vector<std::uint64_t>& path) = 0;
    virtual void error(const Error&) {}
};

class SimpleTreeWalk {
public:
    static constexpr unsigned kMaxDepth = 64;

    SimpleTreeWalk(const BlockReader& reader, std::uint32_t leafValueSize, std::string name);

    // Returns the number of errors reported.
    std::size_t walk(std::uint64_t root, SimpleTreeVisitor& visitor);

    // Every leaf entry in key order: fn(key, const uint8_t* value). Stops calling fn at the
    // first error and returns it.
    template <class Fn> Status forEachEntry(std::uint64_t root, Fn&& fn);

    std::string pathText(const std::vector<std::uint64_t>& path, std::uint64_t block) const;

private:
    void visit(std::uint64_t block, unsigned depth, std::optional<std::uint64_t> parentKey,
               std::uint32_t parentSlot);
    void fail(std::uint64_t block, std::string field, std::string message);

    const BlockReader& reader_;
    std::uint32_t leafValueSize_;
    std::string name_;
    SimpleTreeVisitor* visitor_ = nullptr;
    std::vector<bool> seen_;
    std::vector<std::uint64_t> path_;
    std::optional<std::uint64_t> lastLeafKey_;
    std::size_t errors_ = 0;
};

namespace detail {
template <class Fn> class EntryVisitor final : public SimpleTreeVisitor {
public:
    explicit EntryVisitor(Fn& fn) : fn_(fn) {}
    void leaf(const NodeView& n, const std::vector<std::uint64_t>&) override {
        if (failed_) return;
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i)
            fn_(n.key(i), n.value(i));
    }
    void error(const Error& e) override {
        if (!failed_) failed_ = e;
    }
    std::optional<Error> failed_;

private:
    Fn& fn_;
};
} // namespace detail

template <class Fn> Status SimpleTreeWalk::forEachEntry(std::uint64_t root, Fn&& fn) {
    detail::EntryVisitor<std::remove_reference_t<Fn>> v(fn);
    walk(root, v);
    if (v.failed_) return *v.failed_;
    return Status::success();
}

} // namespace dms
