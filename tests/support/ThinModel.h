#pragma once
// A model of what thin-pool metadata should hold after a series of edits, with the editor's (the
// kernel's) semantics: devices, their details and mappings (with times), the pool's time,
// transaction id and flags, the held metadata snapshot, and which data block provisioning hands
// out next. Rendered as thin_dump 0.9.0 prints it, so a dump of the image can be compared byte for
// byte with the model.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace dms::test {

struct ModelMapping {
    std::uint64_t dataBlock = 0;
    std::uint32_t time = 0;
    bool operator==(const ModelMapping&) const = default;
};

struct ModelDevice {
    std::uint64_t transactionId = 0;
    std::uint32_t creationTime = 0;
    std::uint32_t snapshottedTime = 0;
    std::map<std::uint64_t, ModelMapping> mappings; // vblock ->
};

// One state of the pool, as a superblock and its trees describe it.
struct ThinState {
    std::uint32_t time = 0;
    std::uint64_t transactionId = 0;
    std::uint32_t flags = 0;
    std::uint32_t dataBlockSize = 128;
    std::uint64_t nrDataBlocks = 0;
    std::uint64_t metadataBlocks = 0;
    std::map<std::uint64_t, ModelDevice> devices;
    // The metadata snapshot (reserve-metadata-snap): the state committed when it was taken.
    std::shared_ptr<const ThinState> held;

    // `thin_dump` of this state; `thin_dump -m` of its held snapshot (nr_data_blocks "0", as the
    // kernel zeroes the copy's space-map roots).
    std::string render() const;
    std::string renderHeld() const;
    // True when some device here or in the held snapshot maps data block b.
    bool usesDataBlock(std::uint64_t b) const;
};

// Pending (this transaction) and committed states. Each op returns false when the editor must
// refuse it; the model is then unchanged.
class ThinModel {
public:
    ThinModel(std::uint64_t nrDataBlocks, std::uint64_t metadataBlocks,
              std::uint32_t dataBlockSize = 128);

    const ThinState& pending() const { return pending_; }
    const ThinState& committed() const { return committed_; }

    bool createThin(std::uint64_t id);
    bool createSnapshot(std::uint64_t id, std::uint64_t origin);
    bool deleteDevice(std::uint64_t id);
    bool map(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock, std::uint64_t len);
    bool unmap(std::uint64_t id, std::uint64_t vblock, std::uint64_t len);
    // The block provisioning must hand out: the first one at or after the cursor that is free in
    // the committed state and in this transaction; nullopt when there is none (or no device).
    std::optional<std::uint64_t> nextProvisionedBlock(std::uint64_t id) const;
    bool provision(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock);
    void setTransactionId(std::uint64_t id) { pending_.transactionId = id; }
    void setNeedsCheck(bool on) { pending_.flags = on ? 1 : 0; }
    bool reserveMetadataSnapshot(); // commits first
    bool releaseMetadataSnapshot();
    void extendData(std::uint64_t extra) { pending_.nrDataBlocks += extra; }
    // Commits; deviceBlocks is the size of the device the editor sees.
    bool extendMetadata(std::uint64_t extra, std::uint64_t deviceBlocks);
    void commit();
    void abort();

    bool hasDevice(std::uint64_t id) const { return pending_.devices.count(id) != 0; }

private:
    ThinState pending_;
    ThinState committed_;
    std::uint64_t dataCursor_ = 0; // the data space map's search start, back to 0 at commit
};

} // namespace dms::test
