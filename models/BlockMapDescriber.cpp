#include "models/BlockMapDescriber.h"

#include "core/spacemap/IndexEntry.h"
#include "models/DataSpaceClassSource.h"

#include <QCoreApplication>
#include <algorithm>
#include <numeric>

namespace dms {
namespace {

QString tr(const char* s) {
    return QCoreApplication::translate("BlockMapDescriber", s);
}

} // namespace

QString BlockMapDescriber::metadataBlock(const BlockMap& map, std::uint64_t b) {
    if (b >= map.size()) return tr("metadata block %1: beyond the device").arg(b);
    QStringList lines;
    lines << tr("metadata block %1").arg(b);
    lines << tr("role: %1").arg(QString::fromLatin1(blockRoleName(map.role(b))));
    const auto count = map.diskCount(b);
    const QString countText = count ? QString::number(*count) : tr("unknown (bitmap unreadable)");
    lines << tr("reference count: %1, pointers found: %2").arg(countText).arg(map.references(b));
    const BlockOwner owner = map.owner(b);
    if (owner.kind == BlockOwner::Kind::Device)
        lines << tr("owner: thin device %1").arg(owner.device);
    else if (owner.kind == BlockOwner::Kind::Shared)
        lines << tr("owner: shared by several thin devices");
    if (const std::string* why = map.reason(b))
        lines << tr("unreadable: %1").arg(QString::fromStdString(*why));
    return lines.join(QLatin1Char('\n'));
}

QString BlockMapDescriber::dataBlock(const DataSpaceClassSource& source, std::uint64_t b) {
    QStringList lines;
    lines << tr("data block %1").arg(b);
    const std::uint64_t bitmap = b / kEntriesPerBitmap;
    const std::string bad = source.bitmapError(bitmap);
    if (!bad.empty()) {
        lines << tr("bitmap %1 unreadable: %2").arg(bitmap).arg(QString::fromStdString(bad));
        return lines.join(QLatin1Char('\n'));
    }
    const auto count = source.exactCount(b);
    if (!count)
        lines << tr("reference count unreadable: %1")
                     .arg(QString::fromStdString(count.error().describe()));
    else if (*count == 0)
        lines << tr("free");
    else
        lines << tr("reference count: %1").arg(*count);
    lines << tr("bitmap %1 (metadata block %2), entry %3")
                 .arg(bitmap)
                 .arg(source.reader().indexEntries()[bitmap].blocknr)
                 .arg(b % kEntriesPerBitmap);
    return lines.join(QLatin1Char('\n'));
}

QString BlockMapDescriber::cell(const BlockMapScheme& scheme, const std::uint32_t* counts,
                                std::uint64_t first, std::uint64_t blocks, bool consecutive) {
    QStringList lines;
    if (consecutive)
        lines << tr("blocks %1-%2 (%3 blocks)").arg(first).arg(first + blocks - 1).arg(blocks);
    else
        lines << tr("%1 blocks from block %2").arg(blocks).arg(first);
    std::vector<unsigned> order(scheme.classCount());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](unsigned a, unsigned b) { return counts[a] > counts[b]; });
    for (unsigned c : order)
        if (counts[c])
            lines << QStringLiteral("%1  %2").arg(counts[c], 8).arg(scheme.classes()[c].name);
    return lines.join(QLatin1Char('\n'));
}

} // namespace dms
