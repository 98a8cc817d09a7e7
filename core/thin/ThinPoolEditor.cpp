#include "core/thin/ThinPoolEditor.h"

#include "core/BlockReader.h"

namespace dms {
namespace {

constexpr std::uint32_t kThinVersion = 2;

BtreeValueType mappingValueType(DiskSpaceMap& data) {
    BtreeValueType t;
    t.size = 8;
    t.inc = [&data](const std::uint8_t* v) {
        return data.inc(BlockTime::unpack(loadLe64(v)).dataBlock);
    };
    t.dec = [&data](const std::uint8_t* v) {
        return data.dec(BlockTime::unpack(loadLe64(v)).dataBlock);
    };
    // As the kernel: a remap to the same data block keeps its reference, whatever the time.
    t.equal = [](const std::uint8_t* a, const std::uint8_t* b) {
        return BlockTime::unpack(loadLe64(a)).dataBlock == BlockTime::unpack(loadLe64(b)).dataBlock;
    };
    return t;
}

Error noDevice(std::uint64_t id) {
    return makeError(ErrorKind::Usage, "thin device " + std::to_string(id) + " does not exist");
}

} // namespace

ThinPoolEditor::ThinPoolEditor(std::shared_ptr<BlockSource> device, ThinPoolEditorOptions options)
    : device_(std::move(device)), options_(options) {}

ThinPoolEditor::~ThinPoolEditor() = default;

void ThinPoolEditor::makeWriters() {
    details_ = std::make_unique<BtreeWriter>(*tm_, BtreeValueType::plain(DeviceDetails::kSize));
    bottom_ = std::make_unique<BtreeWriter>(*tm_, mappingValueType(*dataSm_));
    top_ = std::make_unique<BtreeWriter>(*tm_, bottom_->subtreeValueType());
}

Expected<std::unique_ptr<ThinPoolEditor>>
ThinPoolEditor::create(std::shared_ptr<BlockSource> device, std::uint64_t dataBlocks,
                       std::uint32_t dataBlockSize, ThinPoolEditorOptions options) {
    if (!device->writable())
        return makeError(ErrorKind::Usage, device->name() + " is not open for writing");
    if (device->blockCount() < 16)
        return makeError(ErrorKind::Usage, device->name() + " is too small for thin metadata (" +
                                               std::to_string(device->blockCount()) + " blocks)");
    if (dataBlockSize < 128 || dataBlockSize % 128 != 0)
        return makeError(ErrorKind::Usage, "data block size must be a multiple of 128 sectors "
                                           "(64 KiB), not " +
                                               std::to_string(dataBlockSize));
    std::unique_ptr<ThinPoolEditor> ed(new ThinPoolEditor(std::move(device), options));
    ed->tm_ = std::make_unique<TransactionManager>(ed->device_);
    ed->tm_->setObserver(options.observer);
    const std::uint64_t metaBlocks =
        std::min(ed->device_->blockCount(), MetadataSpaceMap::kMaxBlocks);
    auto meta = MetadataSpaceMap::create(*ed->tm_, metaBlocks, 0, options.policy, options.observer);
    if (!meta) return meta.takeError();
    ed->metaSm_ = std::move(*meta);
    auto data = DiskSpaceMap::create(*ed->tm_, 0, options.observer);
    if (!data) return data.takeError();
    ed->dataSm_ = std::move(*data);
    ed->makeWriters();
    auto mapping = ed->top_->empty();
    if (!mapping) return mapping.takeError();
    auto details = ed->details_->empty();
    if (!details) return details.takeError();
    if (Status s = ed->dataSm_->extend(dataBlocks); !s) return s.error();

    ThinSuperblock& sb = ed->sb_;
    sb.magic = kThinSuperblockMagic;
    sb.version = kThinVersion;
    sb.dataBlockSize = dataBlockSize;
    sb.metadataBlockSize = 8;
    sb.metadataNrBlocks = metaBlocks;
    sb.dataMappingRoot = *mapping;
    sb.deviceDetailsRoot = *details;
    if (Status s = ed->commit(); !s) return s.error();
    return ed;
}

Expected<std::unique_ptr<ThinPoolEditor>> ThinPoolEditor::open(std::shared_ptr<BlockSource> device,
                                                               ThinPoolEditorOptions options) {
    // A read-only device can be edited in memory (a dry run); only commit() needs to write.
    std::unique_ptr<ThinPoolEditor> ed(new ThinPoolEditor(std::move(device), options));
    if (Status s = ed->begin(); !s) return s.error();
    return ed;
}

Status ThinPoolEditor::begin() {
    BlockReader reader(device_);
    auto sb = ThinSuperblock::read(reader, 0);
    if (!sb) return sb.error();
    sb_ = *sb;
    tm_ = std::make_unique<TransactionManager>(device_);
    tm_->setObserver(options_.observer);
    auto meta =
        MetadataSpaceMap::open(*tm_, sb_.metadataSpaceMap, options_.policy, options_.observer);
    if (!meta) return meta.error();
    metaSm_ = std::move(*meta);
    auto data = DiskSpaceMap::open(*tm_, sb_.dataSpaceMap, options_.observer);
    if (!data) return data.error();
    dataSm_ = std::move(*data);
    makeWriters();
    return Status::success();
}

SpaceMap& ThinPoolEditor::metadataSpaceMap() {
    return *metaSm_;
}
SpaceMap& ThinPoolEditor::dataSpaceMap() {
    return *dataSm_;
}

Expected<std::optional<DeviceDetails>> ThinPoolEditor::details(std::uint64_t id) {
    auto hit = details_->lookup(sb_.deviceDetailsRoot, id);
    if (!hit) return hit.takeError();
    if (!*hit) return std::optional<DeviceDetails>();
    return std::optional<DeviceDetails>(DeviceDetails::decode((*hit)->value()));
}

Status ThinPoolEditor::checkDevice(std::uint64_t id, DeviceDetails& out) {
    auto d = details(id);
    if (!d) return d.error();
    if (!*d) return noDevice(id);
    out = **d;
    return Status::success();
}

Status ThinPoolEditor::updateDetails(std::uint64_t id, const DeviceDetails& d) {
    std::uint8_t v[DeviceDetails::kSize];
    d.encode(v);
    auto r = details_->insert(sb_.deviceDetailsRoot, id, v);
    if (!r) return r.error();
    sb_.deviceDetailsRoot = r->root;
    return Status::success();
}

Status ThinPoolEditor::createThin(std::uint64_t id) {
    auto existing = details(id);
    if (!existing) return existing.error();
    if (*existing)
        return makeError(ErrorKind::Usage, "thin device " + std::to_string(id) + " already exists");
    auto root = bottom_->empty();
    if (!root) return root.error();
    std::uint8_t v[8];
    storeLe64(v, *root);
    auto r = top_->insert(sb_.dataMappingRoot, id, v);
    if (!r) return r.error();
    sb_.dataMappingRoot = r->root;
    DeviceDetails d;
    d.transactionId = sb_.transactionId;
    d.creationTime = sb_.time;
    d.snapshottedTime = sb_.time;
    return updateDetails(id, d);
}

Status ThinPoolEditor::createSnapshot(std::uint64_t id, std::uint64_t origin) {
    auto existing = details(id);
    if (!existing) return existing.error();
    if (*existing)
        return makeError(ErrorKind::Usage, "thin device " + std::to_string(id) + " already exists");
    DeviceDetails originDetails;
    if (Status s = checkDevice(origin, originDetails); !s) return s;
    auto originRoot = bottomRoot(origin);
    if (!originRoot) return originRoot.error();
    // The snapshot shares the origin's tree: one more holder of its root.
    if (Status s = tm_->inc(*originRoot); !s) return s;
    std::uint8_t v[8];
    storeLe64(v, *originRoot);
    auto r = top_->insert(sb_.dataMappingRoot, id, v);
    if (!r) return r.error();
    sb_.dataMappingRoot = r->root;
    ++sb_.time;
    originDetails.snapshottedTime = sb_.time;
    if (Status s = updateDetails(origin, originDetails); !s) return s;
    DeviceDetails d;
    d.mappedBlocks = originDetails.mappedBlocks;
    d.transactionId = sb_.transactionId;
    d.creationTime = sb_.time;
    d.snapshottedTime = sb_.time;
    return updateDetails(id, d);
}

Status ThinPoolEditor::deleteDevice(std::uint64_t id) {
    DeviceDetails d;
    if (Status s = checkDevice(id, d); !s) return s;
    auto r = details_->remove(sb_.deviceDetailsRoot, id);
    if (!r) return r.error();
    sb_.deviceDetailsRoot = r->root;
    auto t = top_->remove(sb_.dataMappingRoot, id); // drops the device's tree
    if (!t) return t.error();
    sb_.dataMappingRoot = t->root;
    return Status::success();
}

Expected<std::uint64_t> ThinPoolEditor::bottomRoot(std::uint64_t id) {
    auto hit = top_->lookup(sb_.dataMappingRoot, id);
    if (!hit) return hit.takeError();
    if (!*hit)
        return makeError(ErrorKind::Corrupt,
                         "thin device " + std::to_string(id) + " has no mapping tree",
                         sb_.dataMappingRoot, "keys");
    return loadLe64((*hit)->value());
}

Status ThinPoolEditor::map(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock,
                           std::uint64_t len) {
    DeviceDetails d;
    if (Status s = checkDevice(id, d); !s) return s;
    for (std::uint64_t i = 0; i < len; ++i) {
        if (dblock + i >= dataSm_->nrBlocks())
            return makeError(ErrorKind::Usage, "data block " + std::to_string(dblock + i) +
                                                   " is beyond the data device (" +
                                                   std::to_string(dataSm_->nrBlocks()) +
                                                   " blocks)");
        auto root = bottomRoot(id);
        if (!root) return root.error();
        auto old = bottom_->lookup(*root, vblock + i);
        if (!old) return old.error();
        if (*old && BlockTime::unpack(loadLe64((*old)->value())).dataBlock == dblock + i)
            continue; // already mapped there: the tree keeps its one reference
        // The tree takes over this reference.
        if (Status s = dataSm_->inc(dblock + i); !s) return s;
        bool inserted = false;
        std::uint8_t v[8];
        storeLe64(v, BlockTime{dblock + i, sb_.time}.pack());
        auto r = top_->update(sb_.dataMappingRoot, id, [&](std::uint8_t* slot) -> Status {
            auto ins = bottom_->insert(loadLe64(slot), vblock + i, v);
            if (!ins) return ins.error();
            inserted = ins->inserted;
            storeLe64(slot, ins->root);
            return Status::success();
        });
        if (!r) return r.error();
        sb_.dataMappingRoot = r->root;
        if (inserted) ++d.mappedBlocks;
    }
    return updateDetails(id, d);
}

Expected<std::uint64_t> ThinPoolEditor::provision(std::uint64_t id, std::uint64_t vblock) {
    auto b = dataSm_->newBlock();
    if (!b) return b.takeError();
    // map() takes its own reference; give back the allocation's.
    if (Status s = map(id, vblock, *b, 1); !s) return s.error();
    if (Status s = dataSm_->dec(*b); !s) return s.error();
    return *b;
}

Status ThinPoolEditor::unmap(std::uint64_t id, std::uint64_t vblock, std::uint64_t len) {
    DeviceDetails d;
    if (Status s = checkDevice(id, d); !s) return s;
    std::uint64_t removed = 0;
    auto r = top_->update(sb_.dataMappingRoot, id, [&](std::uint8_t* slot) -> Status {
        auto rr = bottom_->removeRange(loadLe64(slot), vblock, vblock + len);
        if (!rr) return rr.error();
        removed = rr->removed;
        storeLe64(slot, rr->root);
        return Status::success();
    });
    if (!r) return r.error();
    sb_.dataMappingRoot = r->root;
    d.mappedBlocks -= std::min(d.mappedBlocks, removed);
    return updateDetails(id, d);
}

void ThinPoolEditor::setHeader(std::uint32_t time, std::uint64_t transactionId,
                               std::uint32_t flags) {
    sb_.time = time;
    sb_.transactionId = transactionId;
    sb_.flags = flags;
}

Status ThinPoolEditor::beginDevice(std::uint64_t id) {
    if (building_)
        return makeError(ErrorKind::Usage,
                         "device " + std::to_string(*building_) + " is still open");
    auto existing = details(id);
    if (!existing) return existing.error();
    if (*existing)
        return makeError(ErrorKind::Usage, "thin device " + std::to_string(id) + " appears twice");
    auto root = bottom_->empty();
    if (!root) return root.error();
    building_ = id;
    buildingRoot_ = *root;
    return Status::success();
}

Status ThinPoolEditor::addMapping(std::uint64_t vblock, std::uint64_t dblock, std::uint32_t time) {
    if (!building_) return makeError(ErrorKind::Usage, "a mapping outside a device");
    if (dblock >= dataSm_->nrBlocks())
        return makeError(ErrorKind::Usage, "device " + std::to_string(*building_) + " maps block " +
                                               std::to_string(vblock) + " to data block " +
                                               std::to_string(dblock) +
                                               ", beyond the data device (" +
                                               std::to_string(dataSm_->nrBlocks()) + " blocks)");
    if (Status s = dataSm_->inc(dblock); !s) return s;
    std::uint8_t v[8];
    storeLe64(v, BlockTime{dblock, time}.pack());
    auto r = bottom_->insert(buildingRoot_, vblock, v);
    if (!r) return r.error();
    buildingRoot_ = r->root;
    if (!r->inserted)
        return makeError(ErrorKind::Usage, "device " + std::to_string(*building_) +
                                               " maps virtual block " + std::to_string(vblock) +
                                               " twice");
    return Status::success();
}

Status ThinPoolEditor::endDevice(const DeviceDetails& d) {
    if (!building_) return makeError(ErrorKind::Usage, "no device is open");
    const std::uint64_t id = *building_;
    building_.reset();
    std::uint8_t v[8];
    storeLe64(v, buildingRoot_);
    auto r = top_->insert(sb_.dataMappingRoot, id, v);
    if (!r) return r.error();
    sb_.dataMappingRoot = r->root;
    return updateDetails(id, d);
}

Status ThinPoolEditor::setTransactionId(std::uint64_t id) {
    sb_.transactionId = id;
    return Status::success();
}

void ThinPoolEditor::setNeedsCheck(bool on) {
    sb_.flags =
        on ? (sb_.flags | ThinSuperblock::kNeedsCheck) : (sb_.flags & ~ThinSuperblock::kNeedsCheck);
}

Status ThinPoolEditor::reserveMetadataSnapshot() {
    if (sb_.heldRoot != 0)
        return makeError(ErrorKind::Busy,
                         "a metadata snapshot is already held at block " +
                             std::to_string(sb_.heldRoot) + ": release it before taking another",
                         0, "held_root");
    // Commit first so that the copied roots are the current ones.
    if (Status s = commit(); !s) return s;
    // Copy the superblock: one more holder makes the shadow a real copy.
    if (Status s = tm_->inc(0); !s) return s;
    auto copy = tm_->shadow(0, BlockType::ThinSuperblock);
    if (!copy) return copy.error();
    std::uint8_t* p = copy->block.data;
    std::fill(p + 64, p + 64 + 2 * SpaceMapRoot::kSize, std::uint8_t(0)); // not published
    storeLe64(p + 56, 0);
    // The held copy keeps the trees alive.
    if (Status s = tm_->inc(loadLe64(p + 320)); !s) return s;
    if (Status s = tm_->inc(loadLe64(p + 328)); !s) return s;
    sb_.heldRoot = copy->block.number;
    return Status::success();
}

Status ThinPoolEditor::releaseMetadataSnapshot() {
    const std::uint64_t held = sb_.heldRoot;
    if (held == 0)
        return makeError(ErrorKind::Usage, "no metadata snapshot is held: nothing to release", 0,
                         "held_root");
    auto copy = ThinSuperblock::read(tm_->reader(), held);
    if (!copy) return copy.error();
    sb_.heldRoot = 0;
    if (Status s = top_->destroy(copy->dataMappingRoot); !s) return s;
    if (Status s = details_->destroy(copy->deviceDetailsRoot); !s) return s;
    return metaSm_->dec(held);
}

Status ThinPoolEditor::extendMetadata(std::uint64_t extraBlocks) {
    if (metaSm_->nrBlocks() + extraBlocks > device_->blockCount())
        return makeError(ErrorKind::Usage,
                         "the device holds " + std::to_string(device_->blockCount()) +
                             " blocks; grow it before extending the metadata to " +
                             std::to_string(metaSm_->nrBlocks() + extraBlocks));
    if (Status s = metaSm_->extend(extraBlocks); !s) return s;
    // The kernel writes metadata_nr_blocks only when it formats the pool; after a resize the field
    // keeps the old size (pool-b shows 1024 with a 2048-block space map), and so do we.
    // The reference space map allocates only from the committed map, which does not have the new
    // blocks yet (and its cursor now points past the old end): commit at once, as the kernel's
    // pool resume does after resizing.
    return commit();
}

Status ThinPoolEditor::extendData(std::uint64_t extraBlocks) {
    return dataSm_->extend(extraBlocks);
}

Status ThinPoolEditor::commit() {
    if (Status s = dataSm_->commit(); !s) return s;
    if (Status s = metaSm_->commit(); !s) return s;
    sb_.dataSpaceMap = dataSm_->root();
    sb_.metadataSpaceMap = metaSm_->root();
    sb_.blocknr = 0;
    sb_.location = 0;
    std::uint8_t block[kBlockSize];
    sb_.encode(block);
    return tm_->commit(block, BlockType::ThinSuperblock, 0);
}

Status ThinPoolEditor::abort() {
    tm_->abort();
    return begin();
}

} // namespace dms
