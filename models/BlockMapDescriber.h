#pragma once
// The block map's tooltip texts: one block (role, count, pointers, owner, why it is unreadable;
// or a data block's exact reference count), or a zoomed-out cell (its block range and how many
// blocks of each colour class it holds).

#include "models/BlockMapScheme.h"

#include <QString>

namespace dms {

class DataSpaceClassSource;

class BlockMapDescriber {
public:
    static QString metadataBlock(const BlockMap& map, std::uint64_t b);
    static QString dataBlock(const DataSpaceClassSource& source, std::uint64_t b);
    // A cell of `blocks` blocks from `first` (Hilbert: consecutive; linear: rows of a square).
    static QString cell(const BlockMapScheme& scheme, const std::uint32_t* counts,
                        std::uint64_t first, std::uint64_t blocks, bool consecutive);
};

} // namespace dms
