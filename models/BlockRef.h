#pragma once
// A block the user can point at: a metadata block (what most views show) or a data block of the
// pool (the data space map, and the blocks thin devices map to). Every view selects BlockRefs
// through the one BlockSelection, so selecting a block anywhere moves the others.

#include <QMetaType>
#include <QString>
#include <cstdint>

namespace dms {

enum class BlockSpace : std::uint8_t { Metadata, Data };

struct BlockRef {
    BlockSpace space = BlockSpace::Metadata;
    std::uint64_t block = 0;

    static BlockRef metadata(std::uint64_t b) { return {BlockSpace::Metadata, b}; }
    static BlockRef data(std::uint64_t b) { return {BlockSpace::Data, b}; }
    bool isMetadata() const { return space == BlockSpace::Metadata; }
    friend bool operator==(const BlockRef&, const BlockRef&) = default;

    // "metadata block 37" / "data block 1200".
    QString describe() const {
        return QStringLiteral("%1 block %2")
            .arg(isMetadata() ? QStringLiteral("metadata") : QStringLiteral("data"))
            .arg(block);
    }
};

} // namespace dms

Q_DECLARE_METATYPE(dms::BlockRef)
