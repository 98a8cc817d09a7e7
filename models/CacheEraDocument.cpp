#include "models/CacheEraDocument.h"

namespace dms {

CacheEraDocument::CacheEraDocument(std::shared_ptr<const BlockSource> source, MetadataKind kind)
    : kind_(kind), reader_(std::move(source)) {}

Expected<std::shared_ptr<const CacheEraDocument>>
CacheEraDocument::open(std::shared_ptr<const BlockSource> source, MetadataKind kind) {
    if (kind != MetadataKind::Cache && kind != MetadataKind::Era)
        return makeError(ErrorKind::Usage, "not dm-cache or dm-era metadata");
    auto doc = std::shared_ptr<CacheEraDocument>(new CacheEraDocument(std::move(source), kind));
    auto raw = doc->reader_.raw(0);
    if (!raw) return raw.takeError();
    // Decoded as stored first; a superblock that fails validation is shown with its damage.
    if (kind == MetadataKind::Cache) {
        doc->cache_ = CacheSuperblock::decode(*raw);
        if (auto sb = CacheSuperblock::read(doc->reader_); !sb) doc->damage_ = sb.takeError();
    } else {
        doc->era_ = EraSuperblock::decode(*raw);
        if (auto sb = EraSuperblock::read(doc->reader_); !sb) doc->damage_ = sb.takeError();
    }
    return std::shared_ptr<const CacheEraDocument>(std::move(doc));
}

ThinSuperblock CacheEraDocument::sharedSuperblock() const {
    ThinSuperblock sb;
    if (isCache()) {
        sb.csum = cache_.csum;
        sb.flags = cache_.flags;
        sb.blocknr = cache_.blocknr;
        sb.uuid = cache_.uuid;
        sb.magic = cache_.magic;
        sb.version = cache_.version;
        sb.metadataSpaceMap = cache_.metadataSpaceMap;
        sb.dataBlockSize = cache_.dataBlockSize;
        sb.metadataBlockSize = cache_.metadataBlockSize;
    } else {
        sb.csum = era_.csum;
        sb.flags = era_.flags;
        sb.blocknr = era_.blocknr;
        sb.uuid = era_.uuid;
        sb.magic = era_.magic;
        sb.version = era_.version;
        sb.metadataSpaceMap = era_.metadataSpaceMap;
        sb.dataBlockSize = era_.dataBlockSize;
        sb.metadataBlockSize = era_.metadataBlockSize;
    }
    // Neither superblock stores the device size: the metadata space map covers it.
    sb.metadataNrBlocks = sb.metadataSpaceMap.nrBlocks;
    return sb;
}

std::vector<BtreeRoot> CacheEraDocument::btreeRoots() const {
    std::vector<BtreeRoot> roots;
    auto add = [&](BtreeKind kind, std::uint64_t root, std::uint64_t tag = 0) {
        if (root != 0) roots.push_back({kind, root, tag});
    };
    if (isCache()) {
        add(BtreeKind::MappingArray, cache_.mappingRoot);
        add(BtreeKind::HintArray, cache_.hintRoot);
        add(BtreeKind::DiscardBitset, cache_.discardRoot);
        if (cache_.version >= 2) add(BtreeKind::DirtyBitset, cache_.dirtyRoot);
        add(BtreeKind::MetadataRefCount, cache_.metadataSpaceMap.refCountRoot);
    } else {
        add(BtreeKind::EraArray, era_.eraArrayRoot);
        add(BtreeKind::WritesetTree, era_.writesetTreeRoot);
        add(BtreeKind::WritesetBitset, era_.currentWritesetRoot, era_.currentEra);
        add(BtreeKind::MetadataRefCount, era_.metadataSpaceMap.refCountRoot);
    }
    if (roots.empty()) roots.push_back({BtreeKind::MetadataRefCount, 0, 0}); // shows its error
    return roots;
}

QString CacheEraDocument::kindText() const {
    if (isCache()) return QStringLiteral("dm-cache metadata (format %1)").arg(cache_.version);
    return QStringLiteral("dm-era metadata");
}

} // namespace dms
