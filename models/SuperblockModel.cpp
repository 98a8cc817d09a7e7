#include "models/SuperblockModel.h"

#include "models/ByteSize.h"
#include "models/ModelRoles.h"

#include <QFontDatabase>

namespace dms {
namespace {

QString number(std::uint64_t v) {
    return QString::number(v);
}

QString hex32(std::uint32_t v) {
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

QString rootText(std::uint64_t block, const char* none) {
    return block == 0 ? QStringLiteral("0 (%1)").arg(QLatin1String(none)) : number(block);
}

QString flagsText(std::uint32_t v, const char* bit0) {
    if (v == 0) return QStringLiteral("0");
    QString s = QStringLiteral("%1").arg(v);
    if (bit0 && (v & 1u)) s += QStringLiteral(" (%1)").arg(QLatin1String(bit0));
    return s;
}

} // namespace

SuperblockModel::SuperblockModel(QObject* parent) : QAbstractTableModel(parent) {}

void SuperblockModel::clear() {
    if (rows_.empty()) return;
    beginResetModel();
    rows_.clear();
    location_ = 0;
    endResetModel();
}

void SuperblockModel::setSuperblock(const ThinSuperblock& sb, std::uint64_t deviceBlocks) {
    beginResetModel();
    rows_.clear();
    location_ = sb.location;
    const bool copy = sb.location != 0;
    auto add = [this](const char* field, unsigned offset, unsigned size, QString value,
                      const char* meaning, QVariant raw) {
        rows_.push_back(Row{QLatin1String(field), offset, size, std::move(value),
                            QString::fromUtf8(meaning), std::move(raw)});
    };
    auto u64 = [](std::uint64_t v) { return QVariant::fromValue<quint64>(v); };

    add("csum", 0, 4, hex32(sb.csum), "CRC-32C of bytes 4-4095, xor 160774", u64(sb.csum));
    add("flags", 4, 4, flagsText(sb.flags, "NEEDS_CHECK"), "bit 0 NEEDS_CHECK: check before use",
        u64(sb.flags));
    add("blocknr", 8, 8, number(sb.blocknr),
        copy ? "the copy's own location" : "the block's own location: 0", u64(sb.blocknr));
    const QByteArray uuid(reinterpret_cast<const char*>(sb.uuid.data()),
                          static_cast<int>(sb.uuid.size()));
    add("uuid", 16, 16,
        uuid.count('\0') == uuid.size() ? QStringLiteral("zero")
                                        : QString::fromLatin1(uuid.toHex(' ')),
        "unused by dm-thin", uuid);
    add("magic", 32, 8, number(sb.magic), "27022010 marks a thin-pool superblock", u64(sb.magic));
    add("version", 40, 4, number(sb.version), "format version; the kernel writes 2",
        u64(sb.version));
    add("time", 44, 4, number(sb.time), "snapshot epoch: +1 per snapshot", u64(sb.time));
    add("trans_id", 48, 8, number(sb.transactionId), "userspace transaction id",
        u64(sb.transactionId));
    add("held_root", 56, 8, rootText(sb.heldRoot, "none held"),
        "metadata snapshot: a superblock copy", u64(sb.heldRoot));

    struct SmField {
        const char* name;
        unsigned offset;
        std::uint64_t SpaceMapRoot::*member;
        const char* meaning;
    };
    auto addSpaceMap = [&](const char* blob, unsigned base, const SpaceMapRoot& r,
                           const char* device, const char* bitmapMeaning) {
        const SmField fields[] = {
            {"nr_blocks", 0, &SpaceMapRoot::nrBlocks, "blocks the map covers"},
            {"nr_allocated", 8, &SpaceMapRoot::nrAllocated, "blocks in use, as stored (a hint)"},
            {"bitmap_root", 16, &SpaceMapRoot::bitmapRoot, bitmapMeaning},
            {"ref_count_root", 24, &SpaceMapRoot::refCountRoot,
             "refcount btree: counts of 3 and up"},
        };
        rows_.push_back(
            Row{QLatin1String(blob), base, 128,
                copy && r.isZero() ? QStringLiteral("zero in the snapshot copy") : QString(),
                QStringLiteral("space-map root of the %1 device").arg(QLatin1String(device)),
                QVariant()});
        for (const SmField& f : fields) {
            const std::uint64_t v = r.*(f.member);
            // Shown indented under the blob's row; FieldNameRole keeps the dotted name.
            rows_.push_back(Row{QLatin1String(blob) + QLatin1Char('.') + QLatin1String(f.name),
                                base + f.offset, 8, number(v), QString::fromUtf8(f.meaning),
                                u64(v)});
        }
    };
    addSpaceMap("data_space_map_root", 64, sb.dataSpaceMap, "data", "index btree of the bitmaps");
    addSpaceMap("metadata_space_map_root", 192, sb.metadataSpaceMap, "metadata",
                "index block of the bitmaps");

    add("data_mapping_root", 320, 8, number(sb.dataMappingRoot),
        "mapping btree: device, virtual block", u64(sb.dataMappingRoot));
    add("device_details_root", 328, 8, number(sb.deviceDetailsRoot), "device details btree",
        u64(sb.deviceDetailsRoot));
    add("data_block_size", 336, 4,
        QStringLiteral("%1 sectors (%2)")
            .arg(sb.dataBlockSize)
            .arg(formatByteSize(std::uint64_t(sb.dataBlockSize) * 512)),
        "in 512-byte sectors", u64(sb.dataBlockSize));
    add("metadata_block_size", 340, 4,
        QStringLiteral("%1 sectors (%2)")
            .arg(sb.metadataBlockSize)
            .arg(formatByteSize(std::uint64_t(sb.metadataBlockSize) * 512)),
        "in sectors: always 8", u64(sb.metadataBlockSize));
    QString nrBlocks = QStringLiteral("%1 (%2)")
                           .arg(sb.metadataNrBlocks)
                           .arg(formatByteSize(sb.metadataNrBlocks * 4096));
    if (deviceBlocks < sb.metadataNrBlocks)
        nrBlocks += QStringLiteral("; the device holds only %1: truncated").arg(deviceBlocks);
    add("metadata_nr_blocks", 344, 8, nrBlocks, "metadata device size in blocks",
        u64(sb.metadataNrBlocks));
    add("compat_flags", 352, 4, flagsText(sb.compatFlags, nullptr),
        "optional features (none defined)", u64(sb.compatFlags));
    add("compat_ro_flags", 356, 4, flagsText(sb.compatRoFlags, nullptr),
        "unknown bit: no read-write open", u64(sb.compatRoFlags));
    add("incompat_flags", 360, 4, flagsText(sb.incompatFlags, nullptr),
        "unknown bit: the kernel refuses it", u64(sb.incompatFlags));
    endResetModel();
}

void SuperblockModel::setRows(std::vector<Row> rows, std::uint64_t location) {
    beginResetModel();
    rows_ = std::move(rows);
    location_ = location;
    endResetModel();
}

int SuperblockModel::rowOf(const QString& field) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].field == field) return static_cast<int>(i);
    return -1;
}

int SuperblockModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int SuperblockModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SuperblockModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case FieldColumn: {
            // Sub-fields of a space-map root read "  .nr_blocks" under their blob's row.
            const qsizetype dot = r.field.indexOf(QLatin1Char('.'));
            return dot < 0 ? r.field : QStringLiteral("  ") + r.field.mid(dot);
        }
        case ValueColumn:
            return r.value;
        case OffsetColumn:
            return r.offset;
        case MeaningColumn:
            return r.meaning;
        }
        break;
    case Qt::ToolTipRole:
        return QStringLiteral("%1: bytes %2-%3 of block %4\n%5")
            .arg(r.field)
            .arg(r.offset)
            .arg(r.offset + r.size - 1)
            .arg(location_)
            .arg(r.meaning);
    case Qt::FontRole:
        if (index.column() == ValueColumn || index.column() == OffsetColumn ||
            index.column() == FieldColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == OffsetColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        break;
    case RawValueRole:
        return index.column() == OffsetColumn ? QVariant(r.offset) : r.raw;
    case FieldNameRole:
        return r.field;
    case FieldSizeRole:
        return r.size;
    }
    return {};
}

QVariant SuperblockModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case FieldColumn:
        return tr("Field");
    case ValueColumn:
        return tr("Value");
    case OffsetColumn:
        return tr("Offset");
    case MeaningColumn:
        return tr("Meaning");
    }
    return {};
}

} // namespace dms
