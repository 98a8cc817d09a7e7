#pragma once
// One pending edit operation of an edit session, as a partition editor lists them: what it does
// (kind and numbers), a sentence saying so, and how it is applied to a ThinPoolEditor. The same
// operations as `dmscope-cli edit` (app/cli/EditOperations), without the expert ones.

#include "core/thin/ThinPoolEditor.h"

#include <QString>

namespace dms {

struct EditOperation {
    enum class Kind {
        CreateThin,          // a = id
        CreateSnapshot,      // a = id, b = origin
        Delete,              // a = id
        Map,                 // a = id, b = vblock, c = dblock, d = len
        Unmap,               // a = id, b = vblock, d = len
        Provision,           // a = id, b = vblock
        SetTransactionId,    // a = id
        SetNeedsCheck,       //
        ClearNeedsCheck,     //
        ReserveMetadataSnap, //
        ReleaseMetadataSnap, //
        ExtendMetadata,      // a = extra blocks
        ExtendData,          // a = extra blocks
    };

    Kind kind = Kind::CreateThin;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::uint64_t c = 0;
    std::uint64_t d = 1;

    static EditOperation createThin(std::uint64_t id) { return {Kind::CreateThin, id}; }
    static EditOperation createSnapshot(std::uint64_t id, std::uint64_t origin) {
        return {Kind::CreateSnapshot, id, origin};
    }
    static EditOperation deleteDevice(std::uint64_t id) { return {Kind::Delete, id}; }
    static EditOperation map(std::uint64_t id, std::uint64_t vblock, std::uint64_t dblock,
                             std::uint64_t len = 1) {
        return {Kind::Map, id, vblock, dblock, len};
    }
    static EditOperation unmap(std::uint64_t id, std::uint64_t vblock, std::uint64_t len = 1) {
        return {Kind::Unmap, id, vblock, 0, len};
    }
    static EditOperation provision(std::uint64_t id, std::uint64_t vblock) {
        return {Kind::Provision, id, vblock};
    }
    static EditOperation setTransactionId(std::uint64_t id) { return {Kind::SetTransactionId, id}; }
    static EditOperation setNeedsCheck(bool on) {
        return {on ? Kind::SetNeedsCheck : Kind::ClearNeedsCheck};
    }
    static EditOperation reserveMetadataSnapshot() { return {Kind::ReserveMetadataSnap}; }
    static EditOperation releaseMetadataSnapshot() { return {Kind::ReleaseMetadataSnap}; }
    static EditOperation extendMetadata(std::uint64_t n) { return {Kind::ExtendMetadata, n}; }
    static EditOperation extendData(std::uint64_t n) { return {Kind::ExtendData, n}; }

    // "Create snapshot 7 of device 1", "Map device 1 blocks 10..13 to data blocks 200..203".
    QString describe() const;
    // The `dmscope-cli edit` words for it, e.g. "create-snap 7 1" (for saved histories).
    QString command() const;
    // True for operations that commit part of the transaction themselves (as the kernel does).
    bool commitsPartWay() const;
    Status apply(ThinPoolEditor& editor) const;

    friend bool operator==(const EditOperation&, const EditOperation&) = default;
};

} // namespace dms
