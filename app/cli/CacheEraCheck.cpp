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
    // era_check 0.9.0 accepts --super-block-only but checks everything anyway; so do we, for
    // the same verdict.
    return EraChecker(md.source, EraCheckOptions{}).run();
}

} // namespace dms::cli
