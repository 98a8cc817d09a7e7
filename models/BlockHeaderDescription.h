#pragma once
// What a metadata block's own bytes say it is: the block type whose checksum it carries, the type a
// classified role implies, and a one-line description of the header ("btree node, leaf (mapping
// values), 139/252 entries, value size 8").

#include "core/Block.h"
#include "core/BlockType.h"
#include "core/thin/BlockRole.h"

#include <QString>
#include <optional>

namespace dms {

// The block type a role's blocks must validate as; nullopt for roles that are not a structure.
std::optional<BlockType> blockTypeOfRole(BlockRole role);
// The thin block type whose checksum the block carries, if any.
std::optional<BlockType> blockTypeByChecksum(const std::uint8_t* data);
// The header of a block read as type t.
QString describeBlockHeader(const Block& block, BlockType t);

} // namespace dms
