// restore for cache and era XML (see CacheEraCli.h).

#include "app/cli/CacheEraCli.h"

#include "core/cache/CacheRestorer.h"
#include "core/era/EraRestorer.h"

#include <istream>

namespace dms::cli {

MetadataKind sniffXmlKind(std::istream& in) {
    // The <superblock ...> start tag comes first (after a declaration or comments at most).
    std::string head;
    for (int c; head.size() < 65536 && (c = in.get()) != EOF;) {
        head.push_back(static_cast<char>(c));
        const auto open = head.find("<superblock");
        if (open != std::string::npos && head.find('>', open) != std::string::npos) break;
    }
    in.clear();
    in.seekg(0);
    const auto open = head.find("<superblock");
    if (open == std::string::npos) return MetadataKind::Thin;
    const std::string tag = head.substr(open);
    if (tag.find("nr_cache_blocks") != std::string::npos) return MetadataKind::Cache;
    if (tag.find("current_era") != std::string::npos) return MetadataKind::Era;
    return MetadataKind::Thin;
}

Status restoreCacheOrEra(MetadataKind kind, const CliArgs& args, std::istream& in,
                         std::shared_ptr<BlockSource> device) {
    if (kind == MetadataKind::Era) return restoreEraXml(in, std::move(device));
    CacheRestoreOptions o;
    auto v = args.number("metadata-version");
    if (!v) return v.error();
    if (*v) {
        if (**v < 1 || **v > 2)
            return makeError(ErrorKind::Usage, "--metadata-version must be 1 or 2");
        o.version = static_cast<unsigned>(**v);
    }
    return restoreCacheXml(in, std::move(device), o);
}

} // namespace dms::cli
