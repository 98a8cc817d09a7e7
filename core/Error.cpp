#include "core/Error.h"

namespace dms {

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Io:
        return "I/O error";
    case ErrorKind::OutOfRange:
        return "block out of range";
    case ErrorKind::Checksum:
        return "checksum mismatch";
    case ErrorKind::BlockNumber:
        return "wrong block number";
    case ErrorKind::Magic:
        return "bad magic";
    case ErrorKind::Corrupt:
        return "corrupt";
    case ErrorKind::Cycle:
        return "cycle";
    case ErrorKind::Unsupported:
        return "unsupported";
    case ErrorKind::Usage:
        return "usage";
    case ErrorKind::Busy:
        return "busy";
    case ErrorKind::Permission:
        return "permission denied";
    }
    return "error";
}

std::string Error::describe() const {
    std::string out;
    if (block) out += "block " + std::to_string(*block);
    if (!field.empty()) out += (out.empty() ? "field " : ", field ") + field;
    if (!out.empty()) out += ": ";
    out += message;
    if (!path.empty()) out += " (path " + path + ")";
    return out;
}

Error makeError(ErrorKind kind, std::string message, std::optional<std::uint64_t> block,
                std::string field) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.block = block;
    e.field = std::move(field);
    return e;
}

} // namespace dms
