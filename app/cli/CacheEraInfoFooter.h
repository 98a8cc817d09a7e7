#pragma once
// What cache and era info both end with: the metadata space map's size and allocated count, then
// the errors met while reading, as text or JSON, and the exit code they give.

#include "core/BlockReader.h"
#include "core/spacemap/SpaceMapRoot.h"
#include "core/util/JsonWriter.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dms::cli {

// Blocks allocated in the metadata space map, or nothing with the error added to `errors`.
std::optional<std::uint64_t> countMetadataAllocated(const BlockReader& reader,
                                                    const SpaceMapRoot& root,
                                                    std::vector<std::string>& errors);

// Writes metadata_nr_blocks, metadata_allocated, errors, closes the object and the line.
int finishInfoJson(JsonWriter& j, std::ostream& out, std::uint64_t metadataNrBlocks,
                   const std::optional<std::uint64_t>& allocated,
                   const std::vector<std::string>& errors);

// Writes the "metadata blocks" line and one "error" line per error.
int finishInfoText(std::ostream& o, std::uint64_t metadataNrBlocks,
                   const std::optional<std::uint64_t>& allocated,
                   const std::vector<std::string>& errors);

} // namespace dms::cli
