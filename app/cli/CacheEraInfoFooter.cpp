#include "app/cli/CacheEraInfoFooter.h"

#include "app/cli/CliCommand.h"
#include "core/spacemap/SpaceMapReader.h"

namespace dms::cli {

std::optional<std::uint64_t> countMetadataAllocated(const BlockReader& reader,
                                                    const SpaceMapRoot& root,
                                                    std::vector<std::string>& errors) {
    auto sm = SpaceMapReader::open(reader, root, SpaceMapKind::Metadata);
    if (!sm) {
        errors.push_back(sm.error().describe());
        return std::nullopt;
    }
    auto n = sm->countAllocated();
    if (!n) {
        errors.push_back(n.error().describe());
        return std::nullopt;
    }
    return *n;
}

int finishInfoJson(JsonWriter& j, std::ostream& out, std::uint64_t metadataNrBlocks,
                   const std::optional<std::uint64_t>& allocated,
                   const std::vector<std::string>& errors) {
    j.field("metadata_nr_blocks", metadataNrBlocks);
    if (allocated) j.field("metadata_allocated", *allocated);
    j.key("errors").beginArray();
    for (const std::string& e : errors)
        j.value(e);
    j.endArray();
    j.endObject();
    out << '\n';
    return errors.empty() ? kExitOk : kExitFailure;
}

int finishInfoText(std::ostream& o, std::uint64_t metadataNrBlocks,
                   const std::optional<std::uint64_t>& allocated,
                   const std::vector<std::string>& errors) {
    o << "  metadata blocks      " << metadataNrBlocks;
    if (allocated) o << " (" << *allocated << " allocated)";
    o << '\n';
    for (const std::string& e : errors)
        o << "  error                " << e << '\n';
    return errors.empty() ? kExitOk : kExitFailure;
}

} // namespace dms::cli
