#pragma once
// A small streaming XML reader for the dump formats (thin_dump, cache_dump, era_dump XML;
// FORMAT.md §12): elements with their attributes (double or single quotes), comments and the
// XML declaration; text between elements must be blank. No XML library in the core. Errors
// name the input line.

#include "core/Expected.h"

#include <charconv>
#include <istream>
#include <map>
#include <optional>
#include <string>

namespace dms {

struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attrs;
    bool closing = false;     // </name>
    bool selfClosing = false; // <name/>
};

class XmlTokenizer {
public:
    explicit XmlTokenizer(std::istream& in) : in_(in) {}

    // The next element, or nullopt at the end.
    Expected<std::optional<XmlElement>> next();
    Error error(const std::string& what) const {
        return makeError(ErrorKind::Corrupt, "XML line " + std::to_string(line_) + ": " + what);
    }

private:
    int get() {
        const int c = in_.get();
        if (c == '\n') ++line_;
        return c;
    }
    Expected<std::optional<XmlElement>> parse(std::string raw);

    std::istream& in_;
    std::uint64_t line_ = 1;
};

// Reads attribute `name` of e as a decimal number into out; a missing attribute is an error
// only when required.
template <class T>
Status xmlNumber(const XmlTokenizer& tok, const XmlElement& e, const char* name, T& out,
                 bool required) {
    auto it = e.attrs.find(name);
    if (it == e.attrs.end()) {
        if (required) return tok.error("<" + e.name + "> lacks " + name);
        return Status::success();
    }
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size())
        return tok.error(std::string(name) + "=\"" + s + "\" is not a number");
    return Status::success();
}

} // namespace dms
