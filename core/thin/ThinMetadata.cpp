#include "core/thin/ThinMetadata.h"

#include "core/btree/BtreeWalker.h"

#include <map>

namespace dms {

ThinMetadata::ThinMetadata(std::shared_ptr<const BlockSource> source, ThinSuperblock sb)
    : reader_(std::move(source)), superblock_(std::move(sb)) {}

Expected<std::shared_ptr<ThinMetadata>>
ThinMetadata::open(std::shared_ptr<const BlockSource> source) {
    BlockReader reader(source);
    auto sb = ThinSuperblock::read(reader, 0);
    if (!sb) return sb.takeError();
    return std::shared_ptr<ThinMetadata>(new ThinMetadata(std::move(source), std::move(*sb)));
}

Expected<std::shared_ptr<ThinMetadata>>
ThinMetadata::openDamaged(std::shared_ptr<const BlockSource> source) {
    BlockReader reader(source);
    auto sb = ThinSuperblock::read(reader, 0);
    if (sb)
        return std::shared_ptr<ThinMetadata>(new ThinMetadata(std::move(source), std::move(*sb)));
    if (sb.error().kind == ErrorKind::Magic || reader.blockCount() == 0) return sb.takeError();
    auto raw = reader.raw(0);
    if (!raw) return raw.takeError();
    auto md = std::shared_ptr<ThinMetadata>(
        new ThinMetadata(std::move(source), ThinSuperblock::decode(*raw)));
    md->damage_ = sb.takeError();
    return md;
}

std::shared_ptr<ThinMetadata>
ThinMetadata::sharedMachinery(std::shared_ptr<const BlockSource> source, ThinSuperblock sb) {
    return std::shared_ptr<ThinMetadata>(new ThinMetadata(std::move(source), std::move(sb)));
}

Expected<ThinSuperblock> ThinMetadata::metadataSnapshot() const {
    if (!hasMetadataSnapshot())
        return makeError(ErrorKind::Usage, "no metadata snapshot is held (held_root is 0)", 0,
                         "held_root");
    return ThinSuperblock::read(reader_, superblock_.heldRoot);
}

Expected<std::vector<ThinDevice>> ThinMetadata::devices(const ThinSuperblock& sb) const {
    std::map<std::uint64_t, ThinDevice> byId;
    Status s = BtreeWalker::forEachEntry(reader_, sb.deviceDetailsRoot, DeviceDetails::kSize,
                                         [&](std::uint64_t id, const std::uint8_t* v) {
                                             ThinDevice& d = byId[id];
                                             d.id = id;
                                             d.details = DeviceDetails::decode(v);
                                         });
    if (!s) return s.error();
    std::optional<Error> bad;
    s = BtreeWalker::forEachEntry(
        reader_, sb.dataMappingRoot, 8, [&](std::uint64_t id, const std::uint8_t* v) {
            auto it = byId.find(id);
            if (it == byId.end()) {
                if (!bad)
                    bad = makeError(ErrorKind::Corrupt,
                                    "device " + std::to_string(id) +
                                        " has a mapping tree but no details",
                                    sb.dataMappingRoot, "keys");
                return;
            }
            it->second.mappingRoot = loadLe64(v);
        });
    if (!s) return s.error();
    if (bad) return *bad;
    std::vector<ThinDevice> out;
    out.reserve(byId.size());
    for (auto& [id, d] : byId) {
        if (d.mappingRoot == 0)
            return makeError(ErrorKind::Corrupt,
                             "device " + std::to_string(id) + " has details but no mapping tree",
                             sb.dataMappingRoot, "keys");
        out.push_back(d);
    }
    return out;
}

Status ThinMetadata::forEachMapping(std::uint64_t bottomRoot,
                                    const std::function<void(std::uint64_t, BlockTime)>& fn) const {
    return BtreeWalker::forEachEntry(reader_, bottomRoot, 8,
                                     [&](std::uint64_t vblock, const std::uint8_t* v) {
                                         fn(vblock, BlockTime::unpack(loadLe64(v)));
                                     });
}

} // namespace dms
