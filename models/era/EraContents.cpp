#include "models/era/EraContents.h"

#include "core/bitset/BitsetReader.h"
#include "core/era/EraDumper.h"

#include <bit>
#include <new>

namespace dms {
namespace {

class EraArrayVisitor final : public ArrayVisitor {
public:
    EraArrayVisitor(std::vector<std::uint32_t>& eras, std::vector<std::uint8_t>& readable,
                    std::vector<std::uint64_t>& blocks, const std::atomic<bool>* cancel)
        : eras_(eras), readable_(readable), blocks_(blocks), cancel_(cancel) {}
    void arrayBlock(std::uint64_t first, const ArrayBlock& block, std::uint32_t count) override {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return;
        const std::uint64_t index = first / arrayMaxEntries(4);
        if (index < blocks_.size()) blocks_[index] = block.number();
        if (first >= eras_.size()) return;
        count = std::uint32_t(std::min<std::uint64_t>(count, eras_.size() - first));
        for (std::uint32_t i = 0; i < count; ++i) {
            eras_[first + i] = loadLe32(block.value(i));
            readable_[first + i] = 1;
        }
    }
    void error(const Error& e) override {
        if (errors_.size() < 20) errors_.push_back(e.describe());
    }
    std::vector<std::string> errors_;

private:
    std::vector<std::uint32_t>& eras_;
    std::vector<std::uint8_t>& readable_;
    std::vector<std::uint64_t>& blocks_;
    const std::atomic<bool>* cancel_;
};

EraWritesetSummary readWriteset(const BlockReader& reader, std::uint32_t era, const EraWriteset& w,
                                bool live) {
    EraWritesetSummary s;
    s.era = era;
    s.nrBits = w.nrBits;
    s.root = w.root;
    s.live = live;
    BitsetReader bits(reader, w.root, w.nrBits, live ? "current writeset" : "writeset");
    if (Status ok = bits.array().plausible(); !ok) {
        s.error = ok.error().describe();
        return s;
    }
    auto words = bits.words();
    if (!words) {
        s.error = words.error().describe();
        return s;
    }
    s.words = std::move(*words);
    for (std::uint64_t i = 0; i < w.nrBits; ++i)
        s.bitsSet += BitsetReader::testIn(s.words, i);
    return s;
}

} // namespace

EraContents EraContents::loadAll(const BlockReader& reader, const EraSuperblock& sb,
                                 const std::atomic<bool>* cancel) {
    EraContents c;
    c.currentEra_ = sb.currentEra;
    ArrayReader array(reader, sb.eraArrayRoot, sb.nrBlocks, 4, "era array");
    if (Status s = array.plausible(); !s) {
        c.errors_.push_back(s.error().describe());
    } else {
        c.eras_.assign(sb.nrBlocks, 0);
        c.readable_.assign(sb.nrBlocks, 0);
        c.arrayBlocks_.assign(sb.nrBlocks / arrayMaxEntries(4) + 1, 0);
        EraArrayVisitor v(c.eras_, c.readable_, c.arrayBlocks_, cancel);
        array.walk(v);
        c.errors_.insert(c.errors_.end(), v.errors_.begin(), v.errors_.end());
        for (std::uint32_t e : c.eras_)
            c.maxEra_ = std::max(c.maxEra_, e);
    }
    if (cancel && cancel->load()) {
        c.cancelled_ = true;
        return c;
    }
    auto tree = readEraWritesets(reader, sb.writesetTreeRoot);
    if (!tree) c.errors_.push_back(tree.error().describe());
    for (const EraWritesetEntry& e : tree ? *tree : std::vector<EraWritesetEntry>{}) {
        if (cancel && cancel->load()) {
            c.cancelled_ = true;
            return c;
        }
        c.writesets_.push_back(readWriteset(reader, e.era, e.writeset, false));
        if (!c.writesets_.back().error.empty()) c.errors_.push_back(c.writesets_.back().error);
    }
    if (sb.currentWritesetRoot != 0)
        c.writesets_.push_back(
            readWriteset(reader, sb.currentEra,
                         EraWriteset{sb.currentWritesetNrBits, sb.currentWritesetRoot}, true));
    return c;
}

EraContents EraContents::load(const BlockReader& reader, const EraSuperblock& sb,
                              const std::atomic<bool>* cancel) {
    // A hostile length passes plausible() on a big device and may still not fit in memory: the
    // view says so instead of the worker thread ending the program.
    try {
        return loadAll(reader, sb, cancel);
    } catch (const std::bad_alloc&) {
        EraContents c;
        c.errors_.push_back("block 0, field nr_blocks: too many entries to hold in memory");
        return c;
    }
}

std::uint64_t EraContents::eraArrayBlockOf(std::uint32_t block) const {
    const std::size_t i = block / arrayMaxEntries(4);
    return i < arrayBlocks_.size() ? arrayBlocks_[i] : 0;
}

std::vector<std::uint8_t> EraContents::writtenSince(std::uint32_t era) const {
    std::vector<std::uint8_t> marked(eras_.size(), 0);
    for (std::size_t b = 0; b < eras_.size(); ++b)
        marked[b] = readable_[b] && eras_[b] >= era;
    for (const EraWritesetSummary& w : writesets_) {
        if (w.live || w.era < era || w.words.empty()) continue;
        const std::uint64_t n = std::min<std::uint64_t>(w.nrBits, marked.size());
        for (std::uint64_t b = 0; b < n; ++b)
            if (BitsetReader::testIn(w.words, b)) marked[b] = 1;
    }
    return marked;
}

} // namespace dms
