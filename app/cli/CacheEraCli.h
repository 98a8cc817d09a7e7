#pragma once
// The cache and era halves of the commands that open any metadata (info, dump, check): each
// command parses its options, opens the device, and hands cache or era metadata here.

#include "app/cli/CliCommand.h"
#include "core/check/CheckReport.h"
#include "core/util/OutputBuffer.h"

namespace dms::cli {

// dump: cache_dump / era_dump 0.9.0's XML (--dirty-from-bitset: format-2 dirty bits as on disk).
// When the default output hides dirty format-2 mappings, a note says so on `err`.
Status dumpCacheOrEra(const CliArgs& args, const OpenedMetadata& md, OutputBuffer& out,
                      std::ostream& err);

// info: every superblock field and the structures' totals, as text or JSON.
int printCacheInfo(const CliArgs& args, const OpenedMetadata& md, CliIo& io);
int printEraInfo(const CliArgs& args, const OpenedMetadata& md, CliIo& io);

// check: cache_check / era_check 0.9.0's verdict.
CheckReport checkCacheOrEra(const CliArgs& args, const OpenedMetadata& md);

} // namespace dms::cli

namespace dms::cli {

// restore: which dump format an XML input is, from its <superblock> attributes
// (nr_cache_blocks: cache, current_era: era, else thin); the stream is rewound.
MetadataKind sniffXmlKind(std::istream& in);

// restore: cache_restore's / era_restore's job (--metadata-version 1|2 for cache, default 1).
Status restoreCacheOrEra(MetadataKind kind, const CliArgs& args, std::istream& in,
                         std::shared_ptr<BlockSource> device);

} // namespace dms::cli

namespace dms::cli {

struct MetadataEditOptions;

// edit on cache metadata: set-dirty CBLOCK, clear-dirty CBLOCK, invalidate CBLOCK,
// set-needs-check, clear-needs-check, in one transaction (--dry-run: on a copy in memory).
int runCacheEdit(const std::string& path, const std::vector<std::string>& words,
                 const MetadataEditOptions& options, CliIo& io);

// edit on era metadata: archive, checkpoint, digest, digest-before ERA (core/era/EraEditor.h).
int runEraEdit(const std::string& path, const std::vector<std::string>& words,
               const MetadataEditOptions& options, CliIo& io);

} // namespace dms::cli
