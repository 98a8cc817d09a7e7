#include "models/SpaceMapModel.h"

#include "core/spacemap/BitmapBlock.h"
#include "models/BlockRef.h"
#include "models/ModelRoles.h"
#include "models/RefCountRange.h"

#include <QBrush>
#include <QColor>
#include <algorithm>

namespace dms {
namespace {

QString blockRange(std::uint64_t begin, std::uint64_t length) {
    if (length == 1) return QObject::tr("block %1").arg(begin);
    return QObject::tr("blocks %1–%2 (%3)").arg(begin).arg(begin + length - 1).arg(length);
}

QVariant errorBrush() {
    return QBrush(QColor(0xd0, 0x30, 0x30));
}

// Row ids: 0 for an index row (or the error row), i + 1 for a run row under index entry i.
constexpr quintptr kTop = 0;

} // namespace

SpaceMapModel::SpaceMapModel(QObject* parent) : QAbstractItemModel(parent) {}
SpaceMapModel::~SpaceMapModel() = default;

void SpaceMapModel::setSpaceMap(std::shared_ptr<ThinPoolDocument> doc, SpaceMapKind kind) {
    beginResetModel();
    doc_ = std::move(doc);
    kind_ = kind;
    reader_.reset();
    openError_.reset();
    bitmaps_.clear();
    validated_.clear();
    failures_.clear();
    if (doc_) {
        const ThinSuperblock& sb = doc_->metadata().superblock();
        auto r = SpaceMapReader::open(
            doc_->metadata().reader(),
            kind == SpaceMapKind::Metadata ? sb.metadataSpaceMap : sb.dataSpaceMap, kind);
        if (r) {
            reader_.emplace(std::move(*r));
            bitmaps_.resize(reader_->indexEntries().size());
            validated_.assign(reader_->indexEntries().size(), 0);
        } else {
            openError_ = r.error();
        }
    }
    endResetModel();
}

void SpaceMapModel::clear() {
    setSpaceMap(nullptr, kind_);
}

std::uint64_t SpaceMapModel::nrBlocks() const {
    return reader_ ? reader_->nrBlocks() : 0;
}

std::uint64_t SpaceMapModel::entryCount(std::size_t i) const {
    const std::uint64_t base = i * kEntriesPerBitmap;
    return std::min(kEntriesPerBitmap, reader_->nrBlocks() - base);
}

QModelIndex SpaceMapModel::indexEntryFor(std::uint64_t block) const {
    if (!reader_ || block >= reader_->nrBlocks()) return {};
    return index(static_cast<int>(block / kEntriesPerBitmap), 0);
}

QModelIndex SpaceMapModel::runFor(std::uint64_t block) {
    const QModelIndex entry = indexEntryFor(block);
    if (!entry.isValid()) return {};
    if (canFetchMore(entry)) fetchMore(entry);
    const Bitmap& bm = *bitmaps_[std::size_t(entry.row())];
    if (bm.error) return entry;
    auto it = std::upper_bound(bm.runs.begin(), bm.runs.end(), block,
                               [](std::uint64_t b, const Run& r) { return b < r.begin; });
    const std::size_t row = std::size_t(it - bm.runs.begin()) - 1; // runs start at the base
    while (bm.shown <= row && canFetchMore(entry))
        fetchMore(entry);
    return index(static_cast<int>(row), 0, entry);
}

QModelIndex SpaceMapModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    if (!parent.isValid()) return createIndex(row, column, kTop);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex SpaceMapModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kTop) return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kTop);
}

int SpaceMapModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) {
        if (openError_) return 1;
        return reader_ ? static_cast<int>(reader_->indexEntries().size()) : 0;
    }
    if (parent.column() != 0 || !isIndexRow(parent) || !reader_) return 0;
    const Bitmap* bm = bitmaps_[static_cast<std::size_t>(parent.row())].get();
    if (!bm) return 0;
    if (bm->error) return 1;
    return static_cast<int>(bm->shown);
}

int SpaceMapModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

bool SpaceMapModel::hasChildren(const QModelIndex& parent) const {
    if (!parent.isValid()) return rowCount() > 0;
    if (parent.column() != 0 || !isIndexRow(parent) || !reader_) return false;
    return true; // every bitmap has entries, or an error row
}

bool SpaceMapModel::canFetchMore(const QModelIndex& parent) const {
    if (!parent.isValid() || parent.column() != 0 || !isIndexRow(parent) || !reader_) return false;
    const Bitmap* bm = bitmaps_[static_cast<std::size_t>(parent.row())].get();
    return !bm || (!bm->error && bm->shown < bm->runs.size());
}

std::unique_ptr<SpaceMapModel::Bitmap> SpaceMapModel::loadBitmap(std::size_t i) const {
    auto bm = std::make_unique<Bitmap>();
    const BlockReader& reader = doc_->metadata().reader();
    auto block = reader.read(reader_->indexEntries()[i].blocknr, BlockType::Bitmap);
    if (!block) {
        bm->error = block.error();
        return bm;
    }
    const std::uint64_t base = i * kEntriesPerBitmap;
    const std::uint64_t n = entryCount(i);
    const std::uint8_t* data = block->data();
    RefCountEntries refs;
    if (tallyBitmap(data, n).byValue[3] != 0) {
        auto r = readRefCountRange(reader, reader_->root().refCountRoot, base, base + n);
        if (r)
            refs = std::move(*r);
        else
            bm->countError = r.error();
    }
    std::size_t r = 0;
    for (std::uint64_t e = 0; e < n; ++e) {
        Run cur;
        cur.begin = base + e;
        cur.length = 1;
        cur.value = static_cast<std::uint8_t>(bitmapEntry(data, e));
        cur.count = cur.value;
        if (cur.value == 3) {
            while (r < refs.size() && refs[r].first < cur.begin)
                ++r;
            cur.countKnown = r < refs.size() && refs[r].first == cur.begin;
            cur.count = cur.countKnown ? refs[r].second : 0;
            if (!cur.countKnown && !bm->countError)
                bm->countError = makeError(ErrorKind::Corrupt,
                                           "bitmap says block " + std::to_string(cur.begin) +
                                               " has count >= 3 but the refcount tree has no "
                                               "entry for it",
                                           reader_->root().refCountRoot, "ref_count_root");
        }
        if (!bm->runs.empty()) {
            Run& last = bm->runs.back();
            if (last.value == cur.value && last.count == cur.count &&
                last.countKnown == cur.countKnown) {
                ++last.length;
                continue;
            }
        }
        bm->runs.push_back(cur);
    }
    return bm;
}

void SpaceMapModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) return;
    const std::size_t i = static_cast<std::size_t>(parent.row());
    if (!bitmaps_[i]) {
        auto bm = loadBitmap(i);
        if (bm->error) {
            validated_[i] = 2;
            failures_[i] = *bm->error;
            beginInsertRows(parent, 0, 0);
            bitmaps_[i] = std::move(bm);
            endInsertRows();
            emit dataChanged(index(parent.row(), 0), index(parent.row(), ColumnCount - 1));
            return;
        }
        validated_[i] = 1;
        bitmaps_[i] = std::move(bm);
    }
    Bitmap& bm = *bitmaps_[i];
    const std::size_t more = std::min<std::size_t>(kRunsPerFetch, bm.runs.size() - bm.shown);
    if (more == 0) return;
    beginInsertRows(parent, static_cast<int>(bm.shown), static_cast<int>(bm.shown + more - 1));
    bm.shown += more;
    endInsertRows();
}

const Error* SpaceMapModel::bitmapError(std::size_t i) const {
    if (validated_[i] == 0) {
        auto block =
            doc_->metadata().reader().read(reader_->indexEntries()[i].blocknr, BlockType::Bitmap);
        validated_[i] = block ? 1 : 2;
        if (!block) failures_[i] = block.error();
    }
    if (validated_[i] == 1) return nullptr;
    return &failures_.at(i);
}

QVariant SpaceMapModel::errorData(const Error& e, int column, int role) const {
    switch (role) {
    case Qt::DisplayRole:
        if (column == NameColumn) return QString::fromStdString(e.message);
        if (column == BlockColumn && e.block) return QString::number(*e.block);
        if (column == StatusColumn) return QString::fromStdString(e.describe());
        return {};
    case Qt::ToolTipRole:
        return QString::fromStdString(e.describe());
    case Qt::ForegroundRole:
        return errorBrush();
    case BlockRefRole:
        if (e.block) return QVariant::fromValue(BlockRef::metadata(*e.block));
        return {};
    case RawValueRole:
        if (column == BlockColumn && e.block) return quint64(*e.block);
        return {};
    case SeverityRole:
        return 0;
    }
    return {};
}

QVariant SpaceMapModel::indexData(std::size_t i, int column, int role) const {
    const IndexEntry& ie = reader_->indexEntries()[i];
    const Error* err = (column == StatusColumn || role == Qt::ForegroundRole ||
                        role == Qt::ToolTipRole || role == SeverityRole)
                           ? bitmapError(i)
                           : nullptr;
    const std::uint64_t base = i * kEntriesPerBitmap;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return tr("bitmap %1: %2").arg(i).arg(blockRange(base, entryCount(i)));
        case BlockColumn:
            return QString::number(ie.blocknr);
        case NrFreeColumn:
            return QString::number(ie.nrFree);
        case NoneFreeBeforeColumn:
            return QString::number(ie.noneFreeBefore);
        case StatusColumn:
            return err ? QString::fromStdString(err->describe()) : tr("ok");
        }
        return {};
    case RawValueRole:
        switch (column) {
        case NameColumn:
            return quint64(i);
        case BlockColumn:
            return quint64(ie.blocknr);
        case NrFreeColumn:
            return quint64(ie.nrFree);
        case NoneFreeBeforeColumn:
            return quint64(ie.noneFreeBefore);
        }
        return {};
    case Qt::ForegroundRole:
        if (err) return errorBrush();
        return {};
    case Qt::ToolTipRole:
        return tr("index entry %1: bitmap at metadata block %2 covers %3; nr_free %4, "
                  "none_free_before %5%6")
            .arg(i)
            .arg(ie.blocknr)
            .arg(blockRange(base, entryCount(i)))
            .arg(ie.nrFree)
            .arg(ie.noneFreeBefore)
            .arg(err ? QStringLiteral("\n") + QString::fromStdString(err->describe()) : QString());
    case BlockRefRole:
        return QVariant::fromValue(BlockRef::metadata(ie.blocknr));
    case SeverityRole:
        if (err) return 0;
        return {};
    }
    return {};
}

QVariant SpaceMapModel::runData(const Bitmap& bm, int row, int column, int role) const {
    const Run& run = bm.runs[static_cast<std::size_t>(row)];
    const bool countBad = !run.countKnown;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return blockRange(run.begin, run.length);
        case BlockColumn:
            return QString::number(run.begin);
        case ValueColumn:
            return QString::number(run.value);
        case CountColumn:
            return countBad ? tr("?") : QString::number(run.count);
        case StatusColumn:
            return countBad && bm.countError ? QString::fromStdString(bm.countError->describe())
                                             : QString();
        }
        return {};
    case RawValueRole:
        switch (column) {
        case NameColumn:
            return quint64(run.length);
        case BlockColumn:
            return quint64(run.begin);
        case ValueColumn:
            return quint64(run.value);
        case CountColumn:
            if (countBad) return {};
            return quint64(run.count);
        }
        return {};
    case Qt::ForegroundRole:
        if (countBad) return errorBrush();
        return {};
    case Qt::ToolTipRole:
        if (countBad && bm.countError) return QString::fromStdString(bm.countError->describe());
        return tr("%1: bitmap value %2, reference count %3")
            .arg(blockRange(run.begin, run.length))
            .arg(run.value)
            .arg(run.count);
    case BlockRefRole:
        return QVariant::fromValue(kind_ == SpaceMapKind::Metadata ? BlockRef::metadata(run.begin)
                                                                   : BlockRef::data(run.begin));
    case SeverityRole:
        if (countBad) return 0;
        return {};
    }
    return {};
}

QVariant SpaceMapModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role == Qt::TextAlignmentRole && index.column() != NameColumn &&
        index.column() != StatusColumn)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (openError_) return errorData(*openError_, index.column(), role);
    if (isIndexRow(index)) return indexData(std::size_t(index.row()), index.column(), role);
    const Bitmap& bm = *bitmaps_[index.internalId() - 1];
    if (bm.error) return errorData(*bm.error, index.column(), role);
    return runData(bm, index.row(), index.column(), role);
}

QVariant SpaceMapModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn:
        return tr("Entry");
    case BlockColumn:
        return tr("Block");
    case ValueColumn:
        return tr("Value");
    case CountColumn:
        return tr("Count");
    case NrFreeColumn:
        return tr("nr_free");
    case NoneFreeBeforeColumn:
        return tr("none_free_before");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

} // namespace dms
