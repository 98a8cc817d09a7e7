#include "core/util/JsonWriter.h"

#include <cmath>
#include <cstdio>

namespace dms {

void JsonWriter::newline() {
    if (!pretty_) return;
    out_ << '\n';
    for (std::size_t i = 0; i < first_.size(); ++i)
        out_ << "  ";
}

void JsonWriter::beforeValue() {
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ << ',';
    first_.back() = false;
    newline();
}

JsonWriter& JsonWriter::beginObject() {
    beforeValue();
    out_ << '{';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ << '}';
    if (first_.empty() && pretty_) out_ << '\n';
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    beforeValue();
    out_ << '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ << ']';
    if (first_.empty() && pretty_) out_ << '\n';
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
    beforeValue();
    out_ << '"' << escape(k) << "\":" << (pretty_ ? " " : "");
    afterKey_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
    beforeValue();
    out_ << '"' << escape(s) << '"';
    return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v) {
    beforeValue();
    out_ << v;
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
    beforeValue();
    out_ << v;
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    beforeValue();
    if (!std::isfinite(v)) {
        out_ << "null";
        return *this;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    out_ << buf;
    return *this;
}

JsonWriter& JsonWriter::value(bool v) {
    beforeValue();
    out_ << (v ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::null() {
    beforeValue();
    out_ << "null";
    return *this;
}

std::string JsonWriter::escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

} // namespace dms
