#include "core/era/EraEditor.h"

#include "core/array/ArrayWriter.h"
#include "core/bitset/BitsetReader.h"
#include "core/btree/BtreeWriter.h"
#include "core/era/EraDumper.h"

#include <algorithm>
#include <limits>

namespace dms {

Expected<std::unique_ptr<EraEditor>> EraEditor::open(std::shared_ptr<BlockSource> device,
                                                     EraEditorOptions options) {
    std::unique_ptr<EraEditor> ed(new EraEditor);
    auto tx = SpaceMapTransaction::open(std::move(device), options, ed->sb_);
    if (!tx) return tx.error();
    ed->tx_ = std::move(*tx);
    return ed;
}

// The writeset tree's values hold a bitset root: one more holder when a shared leaf is shadowed,
// the whole bitset dropped when the value goes (as the kernel's ws_inc / ws_dec).
BtreeValueType EraEditor::writesetValueType() {
    BtreeValueType t;
    t.size = EraSuperblock::kWritesetValueSize;
    TransactionManager& tm = tx_->tm();
    t.inc = [&tm](const std::uint8_t* v) { return tm.inc(EraWriteset::decode(v).root); };
    t.dec = [&tm](const std::uint8_t* v) {
        return BtreeWriter(tm, BtreeValueType::blockRef(tm)).destroy(EraWriteset::decode(v).root);
    };
    return t;
}

Expected<bool> EraEditor::archive() {
    if (sb_.currentWritesetRoot == 0) return false;
    std::uint8_t v[EraSuperblock::kWritesetValueSize];
    EraWriteset{sb_.currentWritesetNrBits, sb_.currentWritesetRoot}.encode(v);
    // The tree takes over the live writeset's reference; a writeset already archived under this
    // era is replaced (and freed), as the kernel's btree insert does.
    auto r =
        BtreeWriter(tx_->tm(), writesetValueType()).insert(sb_.writesetTreeRoot, sb_.currentEra, v);
    if (!r) return r.error();
    sb_.writesetTreeRoot = r->root;
    // The kernel keeps nr_bits and clears the root.
    sb_.currentWritesetRoot = 0;
    return true;
}

Status EraEditor::checkpoint() {
    if (sb_.currentEra == std::numeric_limits<std::uint32_t>::max())
        return makeError(ErrorKind::Usage, "current_era " + std::to_string(sb_.currentEra) +
                                               " is the last one: a new era would wrap to 0");
    auto archived = archive();
    if (!archived) return archived.error();
    auto bits = createBitset(tx_->tm(), sb_.nrBlocks, {});
    if (!bits) return bits.error();
    sb_.currentWritesetNrBits = sb_.nrBlocks;
    sb_.currentWritesetRoot = *bits;
    ++sb_.currentEra;
    return Status::success();
}

namespace {
struct FoldedWriteset {
    std::uint32_t era = 0;
    std::uint64_t nrBits = 0; // capped at nr_blocks, as the kernel's digest reads no further
    std::vector<std::uint64_t> words;
    bool marked(std::uint64_t i) const { return i < nrBits && BitsetReader::testIn(words, i); }
};
} // namespace

Expected<std::uint32_t> EraEditor::digest(std::optional<std::uint32_t> before) {
    auto all = readEraWritesets(reader(), sb_.writesetTreeRoot);
    if (!all) return all.error();
    std::vector<FoldedWriteset> folded; // ascending era
    std::uint64_t highest = 0;
    for (const EraWritesetEntry& w : *all) {
        if (before && w.era >= *before) continue;
        auto words = BitsetReader(reader(), w.writeset.root, w.writeset.nrBits,
                                  "writeset of era " + std::to_string(w.era))
                         .words();
        if (!words) return words.error();
        const std::uint64_t n = std::min<std::uint64_t>(w.writeset.nrBits, sb_.nrBlocks);
        folded.push_back({w.era, n, std::move(*words)});
        highest = std::max(highest, n);
    }
    if (folded.empty()) return 0u;

    ArrayWriter eras(tx_->tm(), 4);
    const std::uint32_t per = eras.entriesPerBlock();
    std::uint64_t root = sb_.eraArrayRoot;
    for (std::uint64_t first = 0, key = 0; first < highest; first += per, ++key) {
        const std::uint64_t end = std::min<std::uint64_t>(first + per, highest);
        bool any = false;
        for (std::uint64_t i = first; i < end && !any; ++i)
            for (const FoldedWriteset& w : folded)
                if (w.marked(i)) {
                    any = true;
                    break;
                }
        if (!any) continue; // the kernel writes only marked blocks: nothing to shadow here
        auto r = eras.updateBlock(root, key, [&](std::uint8_t* values, std::uint32_t n) -> Status {
            for (std::uint64_t i = first; i < end; ++i) {
                // Lowest era first, so the newest writeset marking a block decides its era.
                for (auto w = folded.rbegin(); w != folded.rend(); ++w) {
                    if (!w->marked(i)) continue;
                    if (i - first >= n)
                        return makeError(ErrorKind::Corrupt,
                                         "era array block " + std::to_string(key) + " holds " +
                                             std::to_string(n) + " entries, block " +
                                             std::to_string(i) + " is beyond them",
                                         std::nullopt, "nr_entries");
                    storeLe32(values + (i - first) * 4, w->era);
                    break;
                }
            }
            return Status::success();
        });
        if (!r) return r.error();
        root = *r;
    }
    sb_.eraArrayRoot = root;

    BtreeWriter tree(tx_->tm(), writesetValueType());
    for (const FoldedWriteset& w : folded) {
        auto r = tree.remove(sb_.writesetTreeRoot, w.era);
        if (!r) return r.error();
        sb_.writesetTreeRoot = r->root;
    }
    return static_cast<std::uint32_t>(folded.size());
}

Status EraEditor::commit() {
    return tx_->commit(sb_, BlockType::EraSuperblock);
}

} // namespace dms
