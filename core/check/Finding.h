#pragma once
// One problem found by the metadata checker, as a value. The severity follows what thin_check
// 0.9.0 makes of the same damage, so that the verdict of a check equals thin_check's:
//
//   Fatal     thin_check fails even with --ignore-non-fatal-errors (bad checksums, broken
//             nodes in the live trees, a metadata count lower than the references found, ...)
//   NonFatal  thin_check fails, but passes with --ignore-non-fatal-errors (leaked metadata
//             blocks, nodes it refuses to count, under-filled nodes)
//   Warning   inconsistencies thin_check 0.9.0 does not look at (data space-map counts,
//             mapped_blocks, superblock fields other than the checksum); never change the verdict

#include <cstdint>
#include <optional>
#include <string>

namespace dms {

enum class Severity { Fatal, NonFatal, Warning };

const char* severityName(Severity s); // "fatal", "non-fatal", "warning"

enum class FindingCategory {
    File,             // the file itself: too small, not thin metadata
    Superblock,       // the superblock or the metadata snapshot's copy
    Node,             // a btree node: checksum, header, keys, pointers
    Cycle,            // a pointer back to an ancestor
    SpaceMap,         // space-map structure: index, bitmaps, refcount tree
    MetadataLeak,     // metadata block counted higher on disk than referenced
    MetadataBadCount, // metadata block counted lower on disk than referenced
    DataLeak,         // data block counted higher on disk than mapped
    DataBadCount,     // data block counted lower on disk than mapped
    Device,           // device details against the mapping trees
    Mapping,          // a mapping value (data block beyond the device, time in the future)
};

const char* categoryName(FindingCategory c); // "metadata-leak", ...

struct Finding {
    Severity severity = Severity::Fatal;
    FindingCategory category = FindingCategory::Node;
    std::optional<std::uint64_t> block; // metadata block the finding is about
    std::string field;                  // field name as in FORMAT.md, e.g. "nr_entries"
    std::string path;                   // e.g. "live mapping: 8 > dev 5 > 31 > 37"
    std::string message;

    // "fatal: block 37, field nr_entries: ... (path ...)"
    std::string describe() const;
};

} // namespace dms
