// dump for cache and era metadata (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"

#include "core/cache/CacheDumper.h"
#include "core/era/EraDumper.h"

#include <ostream>

namespace dms::cli {

Status dumpCacheOrEra(const CliArgs& args, const OpenedMetadata& md, OutputBuffer& out,
                      std::ostream& err) {
    BlockReader reader(md.source);
    if (md.kind == MetadataKind::Cache) {
        auto sb = CacheSuperblock::read(reader);
        if (!sb) return sb.error();
        CacheDumpOptions options;
        options.dirtyFromBitset = args.has("dirty-from-bitset");
        Status s = dumpCacheMetadata(reader, *sb, options, out);
        if (s && !options.dirtyFromBitset)
            if (auto hidden = dirtyMappingsHiddenByDefault(reader, *sb); hidden && *hidden)
                err << "dmscope-cli dump: note: " << *hidden
                    << " mapped cache blocks are dirty in the format-2 dirty bitset but printed "
                       "clean, as cache_dump 0.9.0 prints them; --dirty-from-bitset shows them\n";
        return s;
    }
    auto sb = EraSuperblock::read(reader);
    if (!sb) return sb.error();
    return dumpEraMetadata(reader, *sb, out);
}

} // namespace dms::cli
