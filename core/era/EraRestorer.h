#pragma once
// era_restore's job: era_dump XML (FORMAT.md §12) -> new dm-era metadata, written in one
// transaction through the metadata space map, the btree writer (writeset tree) and the array
// writer (era array, one bitset per archived writeset). Like era_restore 0.9.0: no live
// writeset (current_writeset {0, 0}), flags 0, bit values must be "true" or "false".

#include "core/BlockSource.h"

#include <istream>
#include <memory>

namespace dms {

Status restoreEraXml(std::istream& xml, std::shared_ptr<BlockSource> device);

} // namespace dms
