#pragma once
// thin_dump 0.9.0, reproduced: which superblock it reads (live, or the held metadata snapshot
// for -m), which devices it prints (those in the top level of the mapping tree, in id order,
// each needing details), the header fields and the merged mapping runs (ThinDumpWriter).
// Output is streamed; on damage the dump stops and the error is returned (what was written
// before it stays written, so callers must report the failure).

#include "core/thin/ThinDumpWriter.h"
#include "core/thin/ThinMetadata.h"

#include <optional>
#include <set>

namespace dms {

struct ThinDumpOptions {
    ThinDumpFormat format = ThinDumpFormat::Xml;
    bool useMetadataSnap = false;                   // -m
    std::optional<std::uint64_t> metadataSnapBlock; // -mBLOCK: must equal held_root
    std::optional<std::set<std::uint64_t>> devIds;  // --dev-id (repeatable); none = all
    bool skipMappings = false;                      // --skip-mappings
    std::optional<std::uint64_t> transactionId;     // header overrides
    std::optional<std::uint32_t> dataBlockSize;
    std::optional<std::uint64_t> nrDataBlocks;
};

// The superblock the thin tools read: the live one, or for a metadata-snapshot read the held
// copy, failing with thin_dump's texts "no current metadata snap" (held_root 0) and
// "metadata snapshot does not match that in superblock" (a given block other than held_root).
Expected<ThinSuperblock> thinToolSuperblock(const ThinMetadata& md, bool useMetadataSnap,
                                            std::optional<std::uint64_t> snapBlock = {});

// The header thin_dump prints for a superblock. nr_data_blocks comes from the data space-map
// root only when the superblock's blocknr field is 0; a held copy (blocknr = its location)
// gives 0, as in thin_dump.
ThinDumpHeader thinDumpHeader(const ThinSuperblock& sb);

Status dumpThinMetadata(const ThinMetadata& md, const ThinDumpOptions& options, OutputBuffer& out);

} // namespace dms
