#pragma once
// Errors in the core are values. Each one names what is wrong, and where known the metadata
// block and the field, so that a message can point the user at the exact bytes.

#include <cstdint>
#include <optional>
#include <string>

namespace dms {

enum class ErrorKind {
    Io,          // the source could not be read or written
    OutOfRange,  // a block number beyond the end of the device
    Checksum,    // stored checksum differs from the computed one
    BlockNumber, // the block's self-recorded number is not where it was read from
    Magic,       // a superblock magic is wrong
    Corrupt,     // a field holds an impossible value
    Cycle,       // a tree points back at one of its ancestors
    Unsupported, // valid but not something dmscope handles
    Usage,       // the caller asked for something invalid
    Busy,        // the device is held by someone else
    Permission,  // no permission to open
};

const char* errorKindName(ErrorKind kind);

struct Error {
    ErrorKind kind = ErrorKind::Corrupt;
    std::string message;                // what is wrong, in plain words
    std::optional<std::uint64_t> block; // metadata block the error is about
    std::string field;                  // field name as in FORMAT.md, e.g. "nr_entries"
    std::string path;                   // path from a tree root, e.g. "mapping[dev 3] > 17 > 204"

    // One line: "block 17, field nr_entries: nr_entries 300 > max_entries 252 (path ...)".
    std::string describe() const;
};

Error makeError(ErrorKind kind, std::string message, std::optional<std::uint64_t> block = {},
                std::string field = {});

} // namespace dms
