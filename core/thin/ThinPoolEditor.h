#pragma once
// A transaction on thin-pool metadata, as dm-thin-metadata.c makes them: devices, snapshots,
// mappings and superblock fields changed copy-on-write through the transaction manager and both
// space maps; nothing reaches the device until commit() (data space map commit, metadata space
// map commit, roots into the superblock, every other block written and flushed, superblock last,
// flush). abort() drops the transaction; the editor then starts a new one from the device.

#include "core/btree/BtreeWriter.h"
#include "core/spacemap/DiskSpaceMap.h"
#include "core/spacemap/MetadataSpaceMap.h"
#include "core/thin/DeviceDetails.h"
#include "core/thin/ThinSuperblock.h"

#include <memory>

namespace dms {

struct ThinPoolEditorOptions {
    AllocationPolicyKind policy = AllocationPolicyKind::Reference;
    TraceObserver* observer = nullptr;
};

class ThinPoolEditor {
public:
    // Formats a new pool on `device` (all of it, capped at the metadata space map's maximum).
    static Expected<std::unique_ptr<ThinPoolEditor>> create(std::shared_ptr<BlockSource> device,
                                                            std::uint64_t dataBlocks,
                                                            std::uint32_t dataBlockSize,
                                                            ThinPoolEditorOptions options = {});
    // Opens existing metadata for editing.
    static Expected<std::unique_ptr<ThinPoolEditor>> open(std::shared_ptr<BlockSource> device,
                                                          ThinPoolEditorOptions options = {});
    ~ThinPoolEditor();

    // --- devices ---
    Status createThin(std::uint64_t id);
    // As the kernel's create_snap: the snapshot shares the origin's mapping tree; time++.
    Status createSnapshot(std::uint64_t id, std::uint64_t origin);
    Status deleteDevice(std::uint64_t id);

    // --- mappings (len consecutive blocks) ---
    // Maps vblock..vblock+len-1 to dblock..dblock+len-1 at the current time (each data block's
    // count +1; a replaced mapping's data block -1).
    Status map(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock, std::uint64_t len = 1);
    // Provisions like the kernel: allocates a data block from the data space map.
    Expected<std::uint64_t> provision(std::uint64_t id, std::uint64_t vblock);
    Status unmap(std::uint64_t id, std::uint64_t vblock, std::uint64_t len = 1);

    // --- bulk building (restore): each device gets a tree of its own ---
    void setHeader(std::uint32_t time, std::uint64_t transactionId, std::uint32_t flags);
    Status beginDevice(std::uint64_t id);
    // Maps vblock -> dblock with an explicit time; the data block's count +1.
    Status addMapping(std::uint64_t vblock, std::uint64_t dblock, std::uint32_t time);
    // Stores the device's tree root and its details as given.
    Status endDevice(const DeviceDetails& details);

    // --- superblock ---
    Status setTransactionId(std::uint64_t id);
    void setNeedsCheck(bool on);
    Status reserveMetadataSnapshot();
    Status releaseMetadataSnapshot();

    // --- expert: may break consistency ---
    SpaceMap& metadataSpaceMap();
    SpaceMap& dataSpaceMap();
    // Grows the metadata space map (bootstrap mode, inc-and-commit until stable) and commits.
    Status extendMetadata(std::uint64_t extraBlocks);
    Status extendData(std::uint64_t extraBlocks);

    Status commit();
    Status abort();

    const ThinSuperblock& superblock() const { return sb_; }
    MetadataSpaceMap& metadataMachine() { return *metaSm_; }
    DiskSpaceMap& dataMachine() { return *dataSm_; }
    TransactionManager& transactionManager() { return *tm_; }
    Expected<std::optional<DeviceDetails>> details(std::uint64_t id);

private:
    explicit ThinPoolEditor(std::shared_ptr<BlockSource> device, ThinPoolEditorOptions options);
    Status begin(); // (re)opens the space maps and writers from the superblock
    void makeWriters();
    Status updateDetails(std::uint64_t id, const DeviceDetails& d);
    Expected<std::uint64_t> bottomRoot(std::uint64_t id);
    Status setBottomRoot(std::uint64_t id, std::uint64_t root);
    Status checkDevice(std::uint64_t id, DeviceDetails& out);

    std::shared_ptr<BlockSource> device_;
    ThinPoolEditorOptions options_;
    std::unique_ptr<TransactionManager> tm_;
    std::unique_ptr<MetadataSpaceMap> metaSm_;
    std::unique_ptr<DiskSpaceMap> dataSm_;
    std::unique_ptr<BtreeWriter> details_;
    std::unique_ptr<BtreeWriter> bottom_;
    std::unique_ptr<BtreeWriter> top_;
    ThinSuperblock sb_;
    std::optional<std::uint64_t> building_; // device id between beginDevice and endDevice
    std::uint64_t buildingRoot_ = 0;
};

} // namespace dms
