#include "core/check/Finding.h"

namespace dms {

const char* severityName(Severity s) {
    switch (s) {
    case Severity::Fatal:
        return "fatal";
    case Severity::NonFatal:
        return "non-fatal";
    case Severity::Warning:
        return "warning";
    }
    return "?";
}

const char* categoryName(FindingCategory c) {
    switch (c) {
    case FindingCategory::File:
        return "file";
    case FindingCategory::Superblock:
        return "superblock";
    case FindingCategory::Node:
        return "node";
    case FindingCategory::Cycle:
        return "cycle";
    case FindingCategory::SpaceMap:
        return "space-map";
    case FindingCategory::MetadataLeak:
        return "metadata-leak";
    case FindingCategory::MetadataBadCount:
        return "metadata-bad-count";
    case FindingCategory::DataLeak:
        return "data-leak";
    case FindingCategory::DataBadCount:
        return "data-bad-count";
    case FindingCategory::Device:
        return "device";
    case FindingCategory::Mapping:
        return "mapping";
    }
    return "?";
}

std::string Finding::describe() const {
    std::string out = severityName(severity);
    out += ": ";
    std::string where;
    if (block) where = "block " + std::to_string(*block);
    if (!field.empty()) where += (where.empty() ? "field " : ", field ") + field;
    if (!where.empty()) out += where + ": ";
    out += message;
    if (!path.empty()) out += " (path " + path + ")";
    return out;
}

} // namespace dms
