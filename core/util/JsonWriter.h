#pragma once
// A small streaming JSON writer for --json outputs (no DOM, no dependencies). Commas and
// nesting are tracked; strings are escaped.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace dms {

class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out, bool pretty = true) : out_(out), pretty_(pretty) {}

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(std::uint32_t v) { return value(std::uint64_t(v)); }
    JsonWriter& value(int v) { return value(std::int64_t(v)); }
    JsonWriter& value(double v);
    JsonWriter& value(bool v);
    JsonWriter& null();

    template <class T> JsonWriter& field(std::string_view k, const T& v) { return key(k).value(v); }

    static std::string escape(std::string_view s);

private:
    void beforeValue();
    void newline();

    std::ostream& out_;
    bool pretty_;
    std::vector<bool> first_; // per open container: no element written yet
    bool afterKey_ = false;
};

} // namespace dms
