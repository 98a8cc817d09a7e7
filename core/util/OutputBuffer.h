#pragma once
// Text output for large reports (thin dumps run to gigabytes): characters and decimal numbers
// are formatted straight into one big buffer that is handed to a sink when full, so no iostream
// formatting or flush happens per line. The first sink failure is kept and later output dropped.

#include "core/Expected.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string_view>

namespace dms {

class OutputBuffer {
public:
    using Sink = std::function<Status(const char* data, std::size_t size)>;

    static constexpr std::size_t kDefaultCapacity = std::size_t(1) << 20;

    explicit OutputBuffer(Sink sink, std::size_t capacity = kDefaultCapacity);
    // Writes to a stream; a stream in a failed state after a write is reported as an I/O error.
    static OutputBuffer toStream(std::ostream& out, std::size_t capacity = kDefaultCapacity);

    OutputBuffer(OutputBuffer&&) = default;
    OutputBuffer& operator=(OutputBuffer&&) = default;

    void put(char c) {
        if (pos_ == end_) drain();
        *pos_++ = c;
    }
    void append(std::string_view s) {
        if (s.size() > std::size_t(end_ - pos_)) return appendLong(s);
        std::memcpy(pos_, s.data(), s.size());
        pos_ += s.size();
    }
    // Unsigned decimal, as printed by iostreams for an unsigned integer.
    void appendU64(std::uint64_t v) {
        if (end_ - pos_ < kMaxDigits) drain();
        pos_ = formatU64(pos_, v);
    }
    void appendU32(std::uint32_t v) { appendU64(v); }

    // Hands everything buffered to the sink; returns the first failure seen so far.
    Status flush();
    bool failed() const { return !status_.ok(); }
    const Status& status() const { return status_; }

    // Writes v in decimal at out (up to 20 characters) and returns the end.
    static char* formatU64(char* out, std::uint64_t v);

private:
    static constexpr std::ptrdiff_t kMaxDigits = 20;
    void drain();
    void appendLong(std::string_view s);

    Sink sink_;
    std::unique_ptr<char[]> buffer_;
    char* pos_ = nullptr;
    char* end_ = nullptr;
    Status status_;
};

} // namespace dms
