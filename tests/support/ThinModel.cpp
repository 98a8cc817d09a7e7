#include "tests/support/ThinModel.h"

#include <sstream>

namespace dms::test {
namespace {

// A run as thin_dump merges it: consecutive virtual and data blocks with one time.
void renderMappings(std::ostringstream& out, const std::map<std::uint64_t, ModelMapping>& m) {
    auto it = m.begin();
    while (it != m.end()) {
        const std::uint64_t vBegin = it->first;
        const ModelMapping first = it->second;
        std::uint64_t len = 1;
        auto next = std::next(it);
        while (next != m.end() && next->first == vBegin + len &&
               next->second.dataBlock == first.dataBlock + len && next->second.time == first.time) {
            ++len;
            ++next;
        }
        if (len == 1)
            out << "    <single_mapping origin_block=\"" << vBegin << "\" data_block=\""
                << first.dataBlock << "\" time=\"" << first.time << "\"/>\n";
        else
            out << "    <range_mapping origin_begin=\"" << vBegin << "\" data_begin=\""
                << first.dataBlock << "\" length=\"" << len << "\" time=\"" << first.time
                << "\"/>\n";
        it = next;
    }
}

std::string renderState(const ThinState& s, std::uint64_t nrDataBlocks) {
    std::ostringstream out;
    out << "<superblock uuid=\"\" time=\"" << s.time << "\" transaction=\"" << s.transactionId
        << "\" flags=\"" << s.flags << "\" version=\"2\" data_block_size=\"" << s.dataBlockSize
        << "\" nr_data_blocks=\"" << nrDataBlocks << "\">\n";
    for (const auto& [id, d] : s.devices) {
        out << "  <device dev_id=\"" << id << "\" mapped_blocks=\"" << d.mappings.size()
            << "\" transaction=\"" << d.transactionId << "\" creation_time=\"" << d.creationTime
            << "\" snap_time=\"" << d.snapshottedTime << "\">\n";
        renderMappings(out, d.mappings);
        out << "  </device>\n";
    }
    out << "</superblock>\n";
    return out.str();
}

bool mapsDataBlock(const ThinState& s, std::uint64_t b) {
    for (const auto& [id, d] : s.devices)
        for (const auto& [v, m] : d.mappings)
            if (m.dataBlock == b) return true;
    return false;
}

} // namespace

std::string ThinState::render() const {
    return renderState(*this, nrDataBlocks);
}

std::string ThinState::renderHeld() const {
    return held ? renderState(*held, 0) : std::string();
}

bool ThinState::usesDataBlock(std::uint64_t b) const {
    return mapsDataBlock(*this, b) || (held && mapsDataBlock(*held, b));
}

ThinModel::ThinModel(std::uint64_t nrDataBlocks, std::uint64_t metadataBlocks,
                     std::uint32_t dataBlockSize) {
    pending_.nrDataBlocks = nrDataBlocks;
    pending_.metadataBlocks = metadataBlocks;
    pending_.dataBlockSize = dataBlockSize;
    committed_ = pending_;
}

bool ThinModel::createThin(std::uint64_t id) {
    if (hasDevice(id)) return false;
    ModelDevice d;
    d.transactionId = pending_.transactionId;
    d.creationTime = pending_.time;
    d.snapshottedTime = pending_.time;
    pending_.devices[id] = d;
    return true;
}

bool ThinModel::createSnapshot(std::uint64_t id, std::uint64_t origin) {
    if (hasDevice(id) || !hasDevice(origin)) return false;
    ++pending_.time;
    ModelDevice& o = pending_.devices[origin];
    o.snapshottedTime = pending_.time;
    ModelDevice d;
    d.transactionId = pending_.transactionId;
    d.creationTime = pending_.time;
    d.snapshottedTime = pending_.time;
    d.mappings = o.mappings; // shared, not copied, on disk; the same mappings either way
    pending_.devices[id] = d;
    return true;
}

bool ThinModel::deleteDevice(std::uint64_t id) {
    return pending_.devices.erase(id) != 0;
}

bool ThinModel::map(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock,
                    std::uint64_t len) {
    if (!hasDevice(id) || dblock + len > pending_.nrDataBlocks) return false;
    auto& m = pending_.devices[id].mappings;
    for (std::uint64_t i = 0; i < len; ++i) {
        auto it = m.find(vblock + i);
        // A remap to the same data block keeps the mapping, time included.
        if (it != m.end() && it->second.dataBlock == dblock + i) continue;
        m[vblock + i] = ModelMapping{dblock + i, pending_.time};
    }
    return true;
}

bool ThinModel::unmap(std::uint64_t id, std::uint64_t vblock, std::uint64_t len) {
    if (!hasDevice(id)) return false;
    auto& m = pending_.devices[id].mappings;
    m.erase(m.lower_bound(vblock), m.lower_bound(vblock + len));
    return true;
}

std::optional<std::uint64_t> ThinModel::nextProvisionedBlock(std::uint64_t id) const {
    if (!hasDevice(id)) return std::nullopt;
    for (std::uint64_t b = dataCursor_; b < committed_.nrDataBlocks; ++b)
        if (!committed_.usesDataBlock(b) && !pending_.usesDataBlock(b)) return b;
    return std::nullopt;
}

bool ThinModel::provision(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock) {
    if (!hasDevice(id)) return false;
    dataCursor_ = dblock + 1;
    pending_.devices[id].mappings[vblock] = ModelMapping{dblock, pending_.time};
    return true;
}

bool ThinModel::reserveMetadataSnapshot() {
    if (pending_.held) return false;
    commit();
    ThinState copy = committed_;
    copy.held.reset();
    // held_root reaches the disk with the next commit, as in the kernel.
    pending_.held = std::make_shared<const ThinState>(std::move(copy));
    return true;
}

bool ThinModel::releaseMetadataSnapshot() {
    if (!pending_.held) return false;
    pending_.held.reset();
    return true;
}

bool ThinModel::extendMetadata(std::uint64_t extra, std::uint64_t deviceBlocks) {
    const std::uint64_t size = pending_.metadataBlocks + extra;
    if (size > deviceBlocks || size > 255ull * 16320) return false;
    pending_.metadataBlocks = size;
    commit();
    return true;
}

void ThinModel::commit() {
    committed_ = pending_;
    dataCursor_ = 0;
}

void ThinModel::abort() {
    pending_ = committed_;
    dataCursor_ = 0;
}

} // namespace dms::test
