#include "core/spacemap/SpaceMapReader.h"

#include "core/btree/BtreeLookup.h"
#include "core/btree/BtreeWalker.h"
#include "core/spacemap/BitmapBlock.h"

namespace dms {

const char* spaceMapKindName(SpaceMapKind kind) {
    return kind == SpaceMapKind::Metadata ? "metadata space map" : "data space map";
}

Expected<SpaceMapReader> SpaceMapReader::open(const BlockReader& reader, const SpaceMapRoot& root,
                                              SpaceMapKind kind) {
    SpaceMapReader sm(reader, root, kind);
    const std::string what = spaceMapKindName(kind);
    // Rounded up without overflowing for a hostile nr_blocks near 2^64.
    const std::uint64_t nrBitmaps =
        root.nrBlocks / kEntriesPerBitmap + (root.nrBlocks % kEntriesPerBitmap != 0);
    if (root.bitmapRoot == 0 || root.bitmapRoot >= reader.blockCount())
        return makeError(ErrorKind::Corrupt,
                         what + " bitmap_root " + std::to_string(root.bitmapRoot) +
                             " is not a metadata block",
                         0, "bitmap_root");
    if (root.refCountRoot == 0 || root.refCountRoot >= reader.blockCount())
        return makeError(ErrorKind::Corrupt,
                         what + " ref_count_root " + std::to_string(root.refCountRoot) +
                             " is not a metadata block",
                         0, "ref_count_root");
    if (kind == SpaceMapKind::Metadata) {
        if (nrBitmaps > kMetadataIndexEntries)
            return makeError(ErrorKind::Corrupt,
                             "metadata space map nr_blocks " + std::to_string(root.nrBlocks) +
                                 " needs more than 255 bitmaps",
                             0, "nr_blocks");
        auto index = reader.read(root.bitmapRoot, BlockType::MetadataIndex);
        if (!index) return index.takeError();
        sm.entries_.reserve(nrBitmaps);
        for (std::uint64_t i = 0; i < nrBitmaps; ++i)
            sm.entries_.push_back(IndexEntry::decode(index->data() + 16 + i * IndexEntry::kSize));
    } else {
        // Guards memory: the entries vector is sized by the tree's content, and a key beyond
        // nrBitmaps is rejected before it is stored.
        std::optional<Error> bad;
        Status s = BtreeWalker::forEachEntry(
            reader, root.bitmapRoot, IndexEntry::kSize,
            [&](std::uint64_t key, const std::uint8_t* value) {
                if (bad) return;
                if (key != sm.entries_.size() || key >= nrBitmaps) {
                    bad = makeError(ErrorKind::Corrupt,
                                    "data space-map index key " + std::to_string(key) + " where " +
                                        std::to_string(sm.entries_.size()) + " was expected (" +
                                        std::to_string(nrBitmaps) + " bitmaps)",
                                    root.bitmapRoot, "keys");
                    return;
                }
                sm.entries_.push_back(IndexEntry::decode(value));
            });
        if (!s) return s.error();
        if (bad) return *bad;
        if (sm.entries_.size() != nrBitmaps)
            return makeError(ErrorKind::Corrupt,
                             "data space-map index has " + std::to_string(sm.entries_.size()) +
                                 " entries, nr_blocks needs " + std::to_string(nrBitmaps),
                             root.bitmapRoot, "nr_entries");
    }
    for (std::size_t i = 0; i < sm.entries_.size(); ++i) {
        const std::uint64_t b = sm.entries_[i].blocknr;
        if (b == 0 || b >= reader.blockCount())
            return makeError(ErrorKind::Corrupt,
                             what + " index entry " + std::to_string(i) + " points to block " +
                                 std::to_string(b) + ", not a metadata block",
                             root.bitmapRoot, "blocknr");
    }
    return sm;
}

Expected<Block> SpaceMapReader::bitmap(std::uint64_t index) const {
    return reader_->read(entries_[index].blocknr, BlockType::Bitmap);
}

Expected<unsigned> SpaceMapReader::bitmapValue(std::uint64_t b) const {
    if (b >= nrBlocks())
        return makeError(ErrorKind::OutOfRange, "block " + std::to_string(b) + " is beyond the " +
                                                    spaceMapKindName(kind_) + " (" +
                                                    std::to_string(nrBlocks()) + " blocks)");
    auto bm = bitmap(b / kEntriesPerBitmap);
    if (!bm) return bm.takeError();
    return bitmapEntry(bm->data(), b % kEntriesPerBitmap);
}

Expected<std::uint32_t> SpaceMapReader::count(std::uint64_t b) const {
    auto v = bitmapValue(b);
    if (!v) return v.takeError();
    if (*v < 3) return static_cast<std::uint32_t>(*v);
    auto hit = btreeLookup(*reader_, root_.refCountRoot, b, 4);
    if (!hit) return hit.takeError();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         "bitmap says block " + std::to_string(b) +
                             " has count >= 3 but the refcount tree has no entry for it",
                         root_.refCountRoot, "ref_count_root");
    return loadLe32((*hit)->value());
}

Expected<std::vector<std::pair<std::uint64_t, std::uint32_t>>>
SpaceMapReader::refCountEntries() const {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> out;
    Status s = BtreeWalker::forEachEntry(*reader_, root_.refCountRoot, 4,
                                         [&](std::uint64_t key, const std::uint8_t* value) {
                                             out.emplace_back(key, loadLe32(value));
                                         });
    if (!s) return s.error();
    return out;
}

Status
SpaceMapReader::forEachCount(const std::function<void(std::uint64_t, std::uint32_t)>& fn) const {
    auto refs = refCountEntries();
    if (!refs) return refs.error();
    std::size_t r = 0;
    for (std::uint64_t i = 0; i < entries_.size(); ++i) {
        auto bm = bitmap(i);
        if (!bm) return bm.error();
        const std::uint64_t base = i * kEntriesPerBitmap;
        const std::uint64_t n = std::min(kEntriesPerBitmap, nrBlocks() - base);
        for (std::uint64_t e = 0; e < n; ++e) {
            const std::uint64_t b = base + e;
            std::uint32_t c = bitmapEntry(bm->data(), e);
            if (c == 3) {
                while (r < refs->size() && (*refs)[r].first < b)
                    ++r;
                if (r == refs->size() || (*refs)[r].first != b)
                    return makeError(ErrorKind::Corrupt,
                                     "bitmap says block " + std::to_string(b) +
                                         " has count >= 3 but the refcount tree has no entry",
                                     root_.refCountRoot, "ref_count_root");
                c = (*refs)[r].second;
            }
            fn(b, c);
        }
    }
    return Status::success();
}

Status SpaceMapReader::forEachRun(
    const std::function<void(std::uint64_t, std::uint64_t, std::uint32_t)>& fn) const {
    std::uint64_t begin = 0;
    std::uint32_t current = 0;
    bool open = false;
    Status s = forEachCount([&](std::uint64_t b, std::uint32_t c) {
        if (open && c == current) return;
        if (open) fn(begin, b, current);
        begin = b;
        current = c;
        open = true;
    });
    if (!s) return s;
    if (open) fn(begin, nrBlocks(), current);
    return Status::success();
}

Expected<std::uint64_t> SpaceMapReader::countAllocated() const {
    std::uint64_t total = 0;
    for (std::uint64_t i = 0; i < entries_.size(); ++i) {
        auto bm = bitmap(i);
        if (!bm) return bm.takeError();
        const std::uint64_t base = i * kEntriesPerBitmap;
        const std::uint64_t n = std::min(kEntriesPerBitmap, nrBlocks() - base);
        const BitmapTally t = tallyBitmap(bm->data(), n);
        total += n - t.byValue[0];
    }
    return total;
}

} // namespace dms
