#pragma once
// Which persistent-data target a metadata device belongs to, from the magic at offset 32 of
// block 0 (thin 27022010, cache 1623043, era 2126579579; FORMAT.md §3, §10). Only the magic is
// looked at: a damaged superblock of a known kind is still that kind, for its checker to judge.

#include "core/BlockSource.h"

namespace dms {

enum class MetadataKind { Thin, Cache, Era, Unknown };

const char* metadataKindName(MetadataKind kind); // "thin", "cache", "era", "unknown"

// Unknown for a file too small for a superblock or an unfamiliar magic; an error only when
// block 0 cannot be read.
Expected<MetadataKind> detectMetadataKind(const BlockSource& source);

} // namespace dms
