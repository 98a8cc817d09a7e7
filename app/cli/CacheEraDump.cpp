// dump for cache and era metadata (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"

#include "core/cache/CacheDumper.h"
#include "core/era/EraDumper.h"

namespace dms::cli {

Status dumpCacheOrEra(const CliArgs& args, const OpenedMetadata& md, OutputBuffer& out) {
    BlockReader reader(md.source);
    if (md.kind == MetadataKind::Cache) {
        auto sb = CacheSuperblock::read(reader);
        if (!sb) return sb.error();
        CacheDumpOptions options;
        options.dirtyFromBitset = args.has("dirty-from-bitset");
        return dumpCacheMetadata(reader, *sb, options, out);
    }
    auto sb = EraSuperblock::read(reader);
    if (!sb) return sb.error();
    return dumpEraMetadata(reader, *sb, out);
}

} // namespace dms::cli
