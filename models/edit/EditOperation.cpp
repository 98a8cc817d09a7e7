#include "models/edit/EditOperation.h"

namespace dms {
namespace {

QString range(std::uint64_t first, std::uint64_t len) {
    if (len <= 1) return QString::number(first);
    return QStringLiteral("%1..%2").arg(first).arg(first + len - 1);
}

} // namespace

QString EditOperation::describe() const {
    switch (kind) {
    case Kind::CreateThin:
        return QStringLiteral("Create thin device %1").arg(a);
    case Kind::CreateSnapshot:
        return QStringLiteral("Create snapshot %1 of device %2").arg(a).arg(b);
    case Kind::Delete:
        return QStringLiteral("Delete device %1 and its mappings").arg(a);
    case Kind::Map:
        return QStringLiteral("Map device %1 block%2 %3 to data block%2 %4")
            .arg(a)
            .arg(d > 1 ? QStringLiteral("s") : QString())
            .arg(range(b, d), range(c, d));
    case Kind::Unmap:
        return QStringLiteral("Unmap device %1 block%2 %3")
            .arg(a)
            .arg(d > 1 ? QStringLiteral("s") : QString())
            .arg(range(b, d));
    case Kind::Provision:
        return QStringLiteral("Provision device %1 block %2 (a new data block)").arg(a).arg(b);
    case Kind::SetTransactionId:
        return QStringLiteral("Set the transaction id to %1").arg(a);
    case Kind::SetNeedsCheck:
        return QStringLiteral("Set the needs_check flag");
    case Kind::ClearNeedsCheck:
        return QStringLiteral("Clear the needs_check flag");
    case Kind::ReserveMetadataSnap:
        return QStringLiteral("Reserve a metadata snapshot (commits first)");
    case Kind::ReleaseMetadataSnap:
        return QStringLiteral("Release the metadata snapshot");
    case Kind::ExtendMetadata:
        return QStringLiteral("Extend the metadata space map by %1 blocks (commits)").arg(a);
    case Kind::ExtendData:
        return QStringLiteral("Extend the data space map by %1 blocks").arg(a);
    }
    return QStringLiteral("?");
}

QString EditOperation::command() const {
    auto n = [](std::uint64_t v) { return QString::number(v); };
    switch (kind) {
    case Kind::CreateThin:
        return QStringLiteral("create-thin ") + n(a);
    case Kind::CreateSnapshot:
        return QStringLiteral("create-snap %1 %2").arg(a).arg(b);
    case Kind::Delete:
        return QStringLiteral("delete ") + n(a);
    case Kind::Map:
        return QStringLiteral("map %1 %2 %3 %4").arg(a).arg(b).arg(c).arg(d);
    case Kind::Unmap:
        return QStringLiteral("unmap %1 %2 %3").arg(a).arg(b).arg(d);
    case Kind::Provision:
        return QStringLiteral("provision %1 %2").arg(a).arg(b);
    case Kind::SetTransactionId:
        return QStringLiteral("set-transaction-id ") + n(a);
    case Kind::SetNeedsCheck:
        return QStringLiteral("set-needs-check");
    case Kind::ClearNeedsCheck:
        return QStringLiteral("clear-needs-check");
    case Kind::ReserveMetadataSnap:
        return QStringLiteral("reserve-metadata-snap");
    case Kind::ReleaseMetadataSnap:
        return QStringLiteral("release-metadata-snap");
    case Kind::ExtendMetadata:
        return QStringLiteral("extend-metadata ") + n(a);
    case Kind::ExtendData:
        return QStringLiteral("extend-data ") + n(a);
    }
    return QString();
}

bool EditOperation::commitsPartWay() const {
    return kind == Kind::ReserveMetadataSnap || kind == Kind::ExtendMetadata;
}

Status EditOperation::apply(ThinPoolEditor& ed) const {
    switch (kind) {
    case Kind::CreateThin:
        return ed.createThin(a);
    case Kind::CreateSnapshot:
        return ed.createSnapshot(a, b);
    case Kind::Delete:
        return ed.deleteDevice(a);
    case Kind::Map:
        return ed.map(a, b, c, d);
    case Kind::Unmap:
        return ed.unmap(a, b, d);
    case Kind::Provision: {
        auto r = ed.provision(a, b);
        return r ? Status::success() : Status(r.error());
    }
    case Kind::SetTransactionId:
        return ed.setTransactionId(a);
    case Kind::SetNeedsCheck:
    case Kind::ClearNeedsCheck:
        ed.setNeedsCheck(kind == Kind::SetNeedsCheck);
        return Status::success();
    case Kind::ReserveMetadataSnap:
        return ed.reserveMetadataSnapshot();
    case Kind::ReleaseMetadataSnap:
        return ed.releaseMetadataSnapshot();
    case Kind::ExtendMetadata:
        return ed.extendMetadata(a);
    case Kind::ExtendData:
        return ed.extendData(a);
    }
    return makeError(ErrorKind::Usage, "unknown edit operation");
}

} // namespace dms
