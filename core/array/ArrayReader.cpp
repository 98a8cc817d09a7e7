#include "core/array/ArrayReader.h"

#include "core/btree/BtreeLookup.h"
#include "core/check/SimpleTreeWalk.h"

#include <algorithm>

namespace dms {
namespace {

// Spine leaves in key order: checks the run of keys and reads each array block.
class SpineVisitor final : public SimpleTreeVisitor {
public:
    SpineVisitor(const ArrayReader& array, const BlockReader& reader, ArrayVisitor& out)
        : array_(array), reader_(reader), out_(out) {}

    void node(const NodeView& n) override { out_.spineNode(n.block); }

    void leaf(const NodeView& n, const std::vector<std::uint64_t>& path) override {
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i)
            entry(n, i, path);
    }

    void error(const Error& e) override {
        ++errors_;
        out_.error(e);
    }

    // After the walk: the array must reach its length. The tools (and so their verdicts) only
    // look at the highest index seen, key * (the block's max_entries field) + nr_entries - 1 in
    // 32-bit arithmetic, so holes below it are warnings; the kernel would fail to look those
    // values up. Their arithmetic also rejects every empty array (0 - 1 wraps): a quirk.
    void finish() {
        const std::uint64_t n = array_.nrEntries();
        const std::uint32_t want = static_cast<std::uint32_t>(n - 1);
        const std::optional<std::uint64_t> where =
            lastBlock_ ? lastBlock_ : std::optional<std::uint64_t>(array_.root());
        if (n == 0 && values_ == 0 && toolHighest_ != want) {
            Error e = makeError(ErrorKind::Corrupt,
                                array_.name() +
                                    " is empty: the 0.9.0 tools reject every empty array (their "
                                    "last-index arithmetic wraps); the kernel accepts it",
                                where, "nr_entries");
            e.path = array_.name();
            out_.quirk(e);
        } else if (toolHighest_ != want) {
            report(makeError(ErrorKind::Corrupt,
                             array_.name() + " ends at index " + std::to_string(toolHighest_) +
                                 ", expected " + std::to_string(want) +
                                 (values_ < n ? " (array blocks missing)" : ""),
                             where, lastBlock_ ? "nr_entries" : "keys"));
        } else if (values_ != n) {
            warn(makeError(ErrorKind::Corrupt,
                           array_.name() + " holds " + std::to_string(values_) +
                               " values, expected " + std::to_string(n),
                           where, "nr_entries"));
        }
    }
    std::size_t errors() const { return errors_; }

private:
    void report(Error e, std::string path = {}) {
        if (e.path.empty()) e.path = path.empty() ? array_.name() : path;
        error(e);
    }
    void warn(Error e, std::string path = {}) {
        if (e.path.empty()) e.path = path.empty() ? array_.name() : path;
        out_.warning(e);
    }

    void entry(const NodeView& n, std::uint32_t i, const std::vector<std::uint64_t>& above) {
        const std::uint64_t key = n.key(i);
        const std::uint64_t b = n.valueU64(i);
        const std::uint32_t per = array_.entriesPerBlock();
        std::string path = array_.name();
        for (std::uint64_t p : above)
            path += " > " + std::to_string(p);
        path += " > " + std::to_string(n.block) + " > array block " + std::to_string(key);
        const std::string slot = "value[" + std::to_string(i) + "]";
        if (key != nextKey_) {
            warn(makeError(ErrorKind::Corrupt,
                           "spine key " + std::to_string(key) + " where array block " +
                               std::to_string(nextKey_) + " was expected (array blocks missing)",
                           n.block, "keys"),
                 path);
            nextKey_ = key; // resynchronise: report each hole once
        }
        ++nextKey_;
        if (lastBlock_ && !lastFull_)
            warn(makeError(ErrorKind::Corrupt,
                           "array block " + std::to_string(*lastBlock_) +
                               " is not full but is not the array's last",
                           *lastBlock_, "nr_entries"),
                 path);
        if (b >= reader_.blockCount()) {
            report(makeError(ErrorKind::OutOfRange,
                             "points to block " + std::to_string(b) +
                                 ", beyond the end of the device (" +
                                 std::to_string(reader_.blockCount()) + " blocks)",
                             n.block, slot),
                   path);
            lastBlock_.reset();
            return;
        }
        auto ab = ArrayBlock::read(reader_, b, array_.valueSize());
        if (!ab) {
            report(ab.takeError(), path);
            lastBlock_.reset();
            return;
        }
        if (auto w = ab->fieldProblem()) {
            w->path = path;
            out_.warning(*w);
        }
        lastBlock_ = b;
        toolHighest_ =
            std::max(toolHighest_,
                     static_cast<std::uint32_t>(static_cast<std::uint32_t>(key) * ab->maxEntries() +
                                                ab->nrEntries() - 1));
        lastFull_ = ab->entries() == per;
        const std::uint64_t first = key * per;
        std::uint32_t count = ab->entries();
        if (first >= array_.nrEntries())
            count = 0;
        else if (first + count > array_.nrEntries())
            count = static_cast<std::uint32_t>(array_.nrEntries() - first);
        values_ += ab->entries();
        out_.arrayBlock(first, *ab, count);
    }

    const ArrayReader& array_;
    const BlockReader& reader_;
    ArrayVisitor& out_;
    std::uint64_t nextKey_ = 0;
    std::uint64_t values_ = 0;
    std::optional<std::uint64_t> lastBlock_;
    std::uint32_t toolHighest_ = 0; // highest index as the tools compute it (32 bits)
    bool lastFull_ = true;
    std::size_t errors_ = 0;
};

} // namespace

ArrayReader::ArrayReader(const BlockReader& reader, std::uint64_t root, std::uint64_t nrEntries,
                         std::uint32_t valueSize, std::string name)
    : reader_(reader), root_(root), nrEntries_(nrEntries), valueSize_(valueSize),
      name_(std::move(name)) {}

Status ArrayReader::plausible() const {
    const std::uint64_t per = entriesPerBlock();
    const std::uint64_t blocks = per ? (nrEntries_ + per - 1) / per : 0;
    if (per == 0 || blocks > reader_.blockCount())
        return makeError(ErrorKind::Corrupt,
                         name_ + " of " + std::to_string(nrEntries_) + " values would need " +
                             std::to_string(blocks) + " array blocks; the device holds " +
                             std::to_string(reader_.blockCount()) + " blocks",
                         0, "nr_entries");
    return Status::success();
}

std::size_t ArrayReader::walk(ArrayVisitor& visitor) const {
    if (Status s = plausible(); !s) {
        Error e = s.error();
        e.path = name_;
        visitor.error(e);
        return 1;
    }
    SimpleTreeWalk walker(reader_, 8, name_ + " spine");
    SpineVisitor spine(*this, reader_, visitor);
    walker.walk(root_, spine);
    spine.finish();
    return spine.errors();
}

Expected<std::vector<std::uint8_t>> ArrayReader::get(std::uint64_t index) const {
    if (index >= nrEntries_)
        return makeError(ErrorKind::Usage, name_ + " index " + std::to_string(index) +
                                               " beyond its length " + std::to_string(nrEntries_));
    const std::uint32_t per = entriesPerBlock();
    auto hit = btreeLookup(reader_, root_, index / per, 8);
    if (!hit) return hit.takeError();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         name_ + ": no array block " + std::to_string(index / per) +
                             " in the spine",
                         root_, "keys");
    const std::uint64_t b = loadLe64((*hit)->value());
    if (b >= reader_.blockCount())
        return makeError(ErrorKind::OutOfRange,
                         name_ + ": array block pointer " + std::to_string(b) +
                             " beyond the end of the device",
                         (*hit)->leaf.number(), "value[" + std::to_string((*hit)->index) + "]");
    auto ab = ArrayBlock::read(reader_, b, valueSize_);
    if (!ab) return ab.takeError();
    const std::uint32_t slot = static_cast<std::uint32_t>(index % per);
    if (slot >= ab->entries())
        return makeError(ErrorKind::Corrupt,
                         name_ + ": slot " + std::to_string(slot) + " beyond nr_entries " +
                             std::to_string(ab->nrEntries()),
                         b, "nr_entries");
    return std::vector<std::uint8_t>(ab->value(slot), ab->value(slot) + valueSize_);
}

Expected<std::optional<std::uint32_t>> ArrayReader::firstBlockValueSize(const BlockReader& reader,
                                                                        std::uint64_t root) {
    auto hit = btreeLookup(reader, root, 0, 8);
    if (!hit) return hit.takeError();
    if (!*hit) return std::optional<std::uint32_t>();
    const std::uint64_t b = loadLe64((*hit)->value());
    if (b >= reader.blockCount())
        return makeError(ErrorKind::OutOfRange,
                         "array block pointer " + std::to_string(b) +
                             " beyond the end of the device",
                         (*hit)->leaf.number(), "value[" + std::to_string((*hit)->index) + "]");
    auto ab = ArrayBlock::read(reader, b, 0);
    if (!ab) return ab.takeError();
    return std::optional<std::uint32_t>(ab->valueSize());
}

} // namespace dms
