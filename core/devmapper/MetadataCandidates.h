#pragma once
// Block devices that look like persistent-data metadata: block 0 carries the thin, cache or era
// superblock magic (all three keep it at offset 32, FORMAT.md §3, §9, §10).
//
// OFFSET  SIZE  FIELD
//     32     8  magic: thin 27022010, cache 06142003 (octal), era 2126579579

#include "core/Expected.h"
#include "core/MetadataKind.h"
#include "core/devmapper/DmDevice.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dms {

// The kind of the magic in block0 (never MetadataKind::Unknown: nullopt then).
std::optional<MetadataKind> metadataKindOf(const std::uint8_t* block0, std::size_t size);

struct MetadataCandidate {
    std::string name; // kernel name ("loop3", "dm-4")
    std::string path; // /dev/mapper/<dm name> for dm devices, else /dev/<name>
    DevNo dev;
    std::uint64_t bytes = 0;
    MetadataKind kind = MetadataKind::Thin;
    // Devices stacked on this one (sysfs holders/, e.g. "dm-4"): a linear device at offset 0
    // shows the same superblock, so the device is in use, not an inactive candidate.
    std::vector<std::string> holders;
};

struct CandidateScan {
    std::vector<MetadataCandidate> found;
    std::vector<std::string> unreadable; // devices this process could not open (e.g. not root)
};

// Scans every entry of `sysClassBlock` (name/dev, name/size, name/dm/name), reading block 0 of
// `devDir`/name. Devices that are empty or smaller than one block are skipped.
CandidateScan scanMetadataCandidates(const std::string& sysClassBlock = "/sys/class/block",
                                     const std::string& devDir = "/dev");

} // namespace dms
