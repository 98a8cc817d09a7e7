#include "models/DataSpaceClassSource.h"

#include "models/ThinPoolDocument.h"

namespace dms {

DataSpaceClassSource::DataSpaceClassSource(std::shared_ptr<const ThinPoolDocument> doc,
                                           SpaceMapReader reader)
    : BitmapClassSource(reader.nrBlocks()), doc_(std::move(doc)), reader_(std::move(reader)),
      verdicts_(new std::atomic<std::uint8_t>[reader_.indexEntries().size()]) {
    for (std::size_t i = 0; i < reader_.indexEntries().size(); ++i)
        verdicts_[i].store(Unchecked, std::memory_order_relaxed);
}

Expected<std::shared_ptr<DataSpaceClassSource>>
DataSpaceClassSource::open(std::shared_ptr<const ThinPoolDocument> doc) {
    const ThinMetadata& md = doc->metadata();
    auto reader =
        SpaceMapReader::open(md.reader(), md.superblock().dataSpaceMap, SpaceMapKind::Data);
    if (!reader) return reader.takeError();
    return std::shared_ptr<DataSpaceClassSource>(
        new DataSpaceClassSource(std::move(doc), std::move(*reader)));
}

Block DataSpaceClassSource::bitmap(std::uint64_t i) const {
    const BlockReader& r = doc_->metadata().reader();
    const std::uint64_t where = reader_.indexEntries()[i].blocknr;
    // Two threads may both validate an unchecked bitmap: harmless, they agree.
    switch (verdicts_[i].load(std::memory_order_relaxed)) {
    case Good: {
        auto raw = r.raw(where);
        return raw ? *raw : Block();
    }
    case Bad:
        return {};
    default: {
        auto checked = r.read(where, BlockType::Bitmap);
        verdicts_[i].store(checked ? Good : Bad, std::memory_order_relaxed);
        return checked ? *checked : Block();
    }
    }
}

std::optional<std::uint32_t> DataSpaceClassSource::exactValue(std::uint64_t b) const {
    if (classOf(b) != SharedByMore) return std::nullopt;
    auto count = reader_.count(b);
    if (!count) return std::nullopt;
    return *count;
}

std::string DataSpaceClassSource::bitmapError(std::uint64_t i) const {
    if (i >= reader_.indexEntries().size()) return "no such bitmap";
    auto checked =
        doc_->metadata().reader().read(reader_.indexEntries()[i].blocknr, BlockType::Bitmap);
    return checked ? std::string() : checked.error().describe();
}

} // namespace dms
