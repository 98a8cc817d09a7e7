#pragma once
// What the user types to name a block (Go to block, search): "37", "0x25", "m37", "metadata 37",
// "d 1200", "data:1200". A bare number is a metadata block unless the caller says otherwise.

#include "models/BlockRef.h"

#include <QString>
#include <optional>

namespace dms {

std::optional<BlockRef> parseBlockAddress(const QString& text,
                                          BlockSpace bareNumber = BlockSpace::Metadata);

} // namespace dms
