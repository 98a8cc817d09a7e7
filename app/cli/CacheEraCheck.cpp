// check for cache and era metadata (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"

#include "core/cache/CacheChecker.h"
#include "core/era/EraChecker.h"

namespace dms::cli {

CheckReport checkCacheOrEra(const CliArgs& args, const OpenedMetadata& md) {
    if (md.kind == MetadataKind::Cache) {
        CacheCheckOptions o;
        o.superblockOnly = args.has("super-block-only");
        o.checkMappings = !args.has("skip-mappings");
        o.checkHints = !args.has("skip-hints");
        o.checkDiscards = !args.has("skip-discards");
        return CacheChecker(md.source, o).run();
    }
    EraCheckOptions o;
    o.superblockOnly = args.has("super-block-only");
    return EraChecker(md.source, o).run();
}

} // namespace dms::cli
