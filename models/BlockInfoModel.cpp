#include "models/BlockInfoModel.h"

#include "models/BlockHeaderDescription.h"
#include "models/ModelRoles.h"

#include <QBrush>
#include <QColor>

namespace dms {
namespace {

QString hex32(std::uint32_t v) {
    return QStringLiteral("0x%1").arg(v, 8, 16, QLatin1Char('0'));
}

} // namespace

BlockInfoModel::BlockInfoModel(QObject* parent) : QAbstractTableModel(parent) {}
BlockInfoModel::~BlockInfoModel() = default;

void BlockInfoModel::setDocument(std::shared_ptr<ThinPoolDocument> doc) {
    doc_ = std::move(doc);
    map_.reset();
    metadataSm_.reset();
    dataSm_.reset();
    ref_.reset();
    referrers_.reset();
    users_.reset();
    if (doc_) {
        const ThinSuperblock& sb = doc_->metadata().superblock();
        const BlockReader& reader = doc_->metadata().reader();
        if (auto m = SpaceMapReader::open(reader, sb.metadataSpaceMap, SpaceMapKind::Metadata))
            metadataSm_.emplace(std::move(*m));
        if (auto d = SpaceMapReader::open(reader, sb.dataSpaceMap, SpaceMapKind::Data))
            dataSm_.emplace(std::move(*d));
    }
    rebuild();
}

void BlockInfoModel::setBlockMap(std::shared_ptr<const BlockMap> map) {
    map_ = std::move(map);
    rebuild();
}

void BlockInfoModel::setBlock(std::optional<BlockRef> ref) {
    if (ref == ref_) return;
    ref_ = ref;
    referrers_.reset();
    referrerStatus_.clear();
    users_.reset();
    usersStatus_.clear();
    rebuild();
}

void BlockInfoModel::setReferrers(std::uint64_t block, std::vector<Referrer> referrers) {
    if (!ref_ || !ref_->isMetadata() || ref_->block != block) return;
    referrers_ = std::move(referrers);
    referrerStatus_.clear();
    rebuild();
}

void BlockInfoModel::setReferrerStatus(const QString& status) {
    referrerStatus_ = status;
    rebuild();
}

void BlockInfoModel::setDataBlockUsers(std::uint64_t block, std::vector<RmapRun> users) {
    if (!ref_ || ref_->isMetadata() || ref_->block != block) return;
    users_ = std::move(users);
    usersStatus_.clear();
    rebuild();
}

void BlockInfoModel::setDataBlockStatus(const QString& status) {
    usersStatus_ = status;
    rebuild();
}

int BlockInfoModel::rowOf(const QString& key) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].key == key) return static_cast<int>(i);
    return -1;
}

void BlockInfoModel::rebuild() {
    beginResetModel();
    rows_.clear();
    if (doc_ && ref_) {
        if (ref_->isMetadata())
            addMetadataRows(ref_->block);
        else
            addDataRows(ref_->block);
    }
    endResetModel();
}

void BlockInfoModel::addMetadataRows(std::uint64_t b) {
    const BlockReader& reader = doc_->metadata().reader();
    add({QStringLiteral("block"),
         tr("Metadata block"),
         tr("%1 of %2").arg(b).arg(doc_->deviceBlocks()),
         {},
         {},
         false,
         quint64(b)});
    auto raw = reader.raw(b);
    if (!raw) {
        add({QStringLiteral("error"),
             tr("Error"),
             QString::fromStdString(raw.error().describe()),
             {},
             {},
             true,
             {}});
        return;
    }
    const std::uint8_t* data = raw->data();
    const std::optional<BlockType> detected = blockTypeByChecksum(data);
    bool zero = true;
    for (std::size_t i = 0; i < kBlockSize && zero; ++i)
        zero = data[i] == 0;
    QString typeText = detected ? describeBlockHeader(*raw, *detected)
                       : zero   ? tr("all zero")
                                : tr("unknown: no block type's checksum matches");
    add({QStringLiteral("type"), tr("Type (header)"), typeText, {}, {}, false, {}});

    std::optional<BlockType> expected;
    if (map_ && b < map_->size()) {
        const BlockRole role = map_->role(b);
        expected = blockTypeOfRole(role);
        Row r{QStringLiteral("role"),
              tr("Role"),
              QString::fromLatin1(blockRoleName(role)),
              {},
              {},
              role == BlockRole::Unreadable || role == BlockRole::Leaked,
              {}};
        if (const std::string* why = map_->reason(b)) r.tooltip = QString::fromStdString(*why);
        if (!r.tooltip.isEmpty()) r.value += QStringLiteral(": ") + r.tooltip;
        add(std::move(r));
        const BlockOwner owner = map_->owner(b);
        add({QStringLiteral("owner"),
             tr("Owner"),
             owner.kind == BlockOwner::Kind::Device   ? tr("thin device %1").arg(owner.device)
             : owner.kind == BlockOwner::Kind::Shared ? tr("shared by several devices")
                                                      : tr("none (pool structure)"),
             {},
             {},
             false,
             {}});
    } else {
        add({QStringLiteral("role"),
             tr("Role"),
             tr("… (the block index is not built yet)"),
             {},
             {},
             false,
             {}});
    }

    const std::optional<BlockType> type = expected ? expected : detected;
    const std::uint32_t stored = storedChecksum(data);
    if (type) {
        const std::uint32_t computed = computeChecksum(data, *type);
        const bool ok = computed == stored;
        add({QStringLiteral("checksum"),
             tr("Checksum"),
             tr("stored %1, computed %2 (%3): %4")
                 .arg(hex32(stored), hex32(computed), QString::fromLatin1(blockTypeName(*type)),
                      ok ? tr("ok") : tr("MISMATCH")),
             {},
             {},
             !ok,
             {}});
        const std::uint64_t self = raw->u64(blockNumberOffset(*type));
        add({QStringLiteral("blocknr"),
             tr("Self block number"),
             self == b ? tr("%1: ok").arg(self)
                       : tr("%1: WRONG, read from block %2").arg(self).arg(b),
             {},
             {},
             self != b,
             quint64(self)});
    } else {
        add({QStringLiteral("checksum"),
             tr("Checksum"),
             tr("stored %1; no block type's checksum matches").arg(hex32(stored)),
             {},
             {},
             !zero,
             {}});
    }

    // The metadata space map's count against the pointers found.
    QString countText;
    bool countBad = false;
    std::optional<quint64> count;
    if (metadataSm_ && b < metadataSm_->nrBlocks()) {
        auto c = metadataSm_->count(b);
        if (c) {
            count = *c;
            countText = QString::number(*c);
        } else {
            countText = QString::fromStdString(c.error().describe());
            countBad = true;
        }
    } else {
        countText = metadataSm_ ? tr("beyond the metadata space map")
                                : tr("the metadata space map cannot be read");
    }
    add({QStringLiteral("count"), tr("Space-map count"), countText, {}, {}, countBad, count});
    if (map_ && b < map_->size()) {
        // Block 0 is counted by the classifier for being the superblock.
        const std::uint32_t refs = map_->references(b);
        const bool differs = count && *count != refs;
        add({QStringLiteral("references"),
             tr("References found"),
             differs ? tr("%1: differs from the space-map count %2").arg(refs).arg(*count)
                     : QString::number(refs),
             {},
             {},
             differs,
             quint64(refs)});
    }

    if (!referrers_) {
        add({QStringLiteral("referrers"),
             tr("Referrers"),
             referrerStatus_.isEmpty() ? tr("not searched") : referrerStatus_,
             {},
             {},
             false,
             {}});
        return;
    }
    add({QStringLiteral("referrers"),
         tr("Referrers"),
         referrers_->empty() ? (b == 0 ? tr("none: the superblock is found at block 0")
                                       : tr("none: nothing points at this block"))
                             : QString::number(referrers_->size()),
         {},
         {},
         false,
         quint64(referrers_->size())});
    for (std::size_t i = 0; i < referrers_->size(); ++i) {
        const Referrer& r = (*referrers_)[i];
        QString slot = QString::fromStdString(r.field);
        if (r.kind == Referrer::Kind::MappingTopValue)
            slot += tr(" (thin device %1)").arg(r.key);
        else if (r.kind == Referrer::Kind::ChildPointer)
            slot += tr(" (keys from %1)").arg(r.key);
        const QString text = tr("block %1, %2; path: %3")
                                 .arg(r.parent)
                                 .arg(slot)
                                 .arg(QString::fromStdString(r.path));
        add({QStringLiteral("referrer.%1").arg(i), tr("  ← %1").arg(r.parent), text,
             tr("%1 in %2\npath: %3")
                 .arg(QString::fromStdString(r.field))
                 .arg(QString::fromLatin1(referrerKindName(r.kind)))
                 .arg(QString::fromStdString(r.path)),
             BlockRef::metadata(r.parent), false, quint64(r.parent)});
    }
}

void BlockInfoModel::addDataRows(std::uint64_t b) {
    add({QStringLiteral("block"), tr("Data block"), QString::number(b), {}, {}, false, quint64(b)});
    if (dataSm_ && b < dataSm_->nrBlocks()) {
        auto c = dataSm_->count(b);
        add({QStringLiteral("count"),
             tr("Space-map count"),
             c ? QString::number(*c) : QString::fromStdString(c.error().describe()),
             {},
             {},
             !c,
             c ? std::optional<quint64>(*c) : std::nullopt});
    } else {
        add({QStringLiteral("count"),
             tr("Space-map count"),
             dataSm_ ? tr("beyond the data space map (%1 blocks)").arg(dataSm_->nrBlocks())
                     : tr("the data space map cannot be read"),
             {},
             {},
             !dataSm_.has_value(),
             {}});
    }
    if (!users_) {
        add({QStringLiteral("users"),
             tr("Mapped by"),
             usersStatus_.isEmpty() ? tr("not searched") : usersStatus_,
             {},
             {},
             false,
             {}});
        return;
    }
    add({QStringLiteral("users"),
         tr("Mapped by"),
         users_->empty() ? tr("no thin device") : tr("%1 device(s)").arg(users_->size()),
         tr("Every device and virtual block of the live mapping trees that maps this data block "
            "(snapshots that share a subtree are each listed)."),
         {},
         false,
         quint64(users_->size())});
    for (std::size_t i = 0; i < users_->size(); ++i) {
        const RmapRun& u = (*users_)[i];
        add({QStringLiteral("user.%1").arg(i),
             tr("  thin device %1").arg(u.thinDev),
             tr("virtual block %1").arg(u.thinBegin + (b - u.dataBegin)),
             {},
             {},
             false,
             quint64(u.thinBegin + (b - u.dataBegin))});
    }
}

int BlockInfoModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int BlockInfoModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BlockInfoModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = rows_[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == PropertyColumn ? r.property : r.value;
    case Qt::ToolTipRole:
        return r.tooltip.isEmpty() ? QVariant() : QVariant(r.tooltip);
    case Qt::ForegroundRole:
        if (r.problem && index.column() == ValueColumn) return QBrush(QColor(0xd0, 0x30, 0x30));
        return {};
    case FieldNameRole:
        return r.key;
    case RawValueRole:
        if (r.raw) return *r.raw;
        return {};
    case BlockRefRole:
        if (r.target) return QVariant::fromValue(*r.target);
        return {};
    case SeverityRole:
        if (r.problem) return 0;
        return {};
    }
    return {};
}

QVariant BlockInfoModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == PropertyColumn ? tr("Property") : tr("Value");
}

} // namespace dms
