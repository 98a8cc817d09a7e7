#include "core/util/OutputBuffer.h"

#include <algorithm>
#include <cstring>
#include <ostream>

namespace dms {

namespace {

// "00".."99": two digits per division halves the divisions of the naive loop.
constexpr char kDigitPairs[] = "00010203040506070809"
                               "10111213141516171819"
                               "20212223242526272829"
                               "30313233343536373839"
                               "40414243444546474849"
                               "50515253545556575859"
                               "60616263646566676869"
                               "70717273747576777879"
                               "80818283848586878889"
                               "90919293949596979899";

} // namespace

OutputBuffer::OutputBuffer(Sink sink, std::size_t capacity)
    : sink_(std::move(sink)), buffer_(new char[std::max<std::size_t>(capacity, 64)]) {
    pos_ = buffer_.get();
    end_ = pos_ + std::max<std::size_t>(capacity, 64);
}

OutputBuffer OutputBuffer::toStream(std::ostream& out, std::size_t capacity) {
    return OutputBuffer(
        [&out](const char* data, std::size_t size) -> Status {
            out.write(data, static_cast<std::streamsize>(size));
            if (!out) return makeError(ErrorKind::Io, "cannot write the output");
            return Status::success();
        },
        capacity);
}

char* OutputBuffer::formatU64(char* out, std::uint64_t v) {
    char tmp[kMaxDigits];
    char* p = tmp + kMaxDigits;
    while (v >= 100) {
        const unsigned pair = static_cast<unsigned>(v % 100) * 2;
        v /= 100;
        *--p = kDigitPairs[pair + 1];
        *--p = kDigitPairs[pair];
    }
    if (v >= 10) {
        const unsigned pair = static_cast<unsigned>(v) * 2;
        *--p = kDigitPairs[pair + 1];
        *--p = kDigitPairs[pair];
    } else {
        *--p = static_cast<char>('0' + v);
    }
    const std::size_t n = static_cast<std::size_t>(tmp + kMaxDigits - p);
    std::memcpy(out, p, n);
    return out + n;
}

void OutputBuffer::drain() {
    const std::size_t n = static_cast<std::size_t>(pos_ - buffer_.get());
    pos_ = buffer_.get();
    if (n == 0 || !status_.ok()) return;
    if (Status s = sink_(buffer_.get(), n); !s) status_ = s;
}

void OutputBuffer::appendLong(std::string_view s) {
    drain();
    if (s.size() <= std::size_t(end_ - pos_)) {
        std::memcpy(pos_, s.data(), s.size());
        pos_ += s.size();
        return;
    }
    if (!status_.ok()) return;
    if (Status st = sink_(s.data(), s.size()); !st) status_ = st;
}

Status OutputBuffer::flush() {
    drain();
    return status_;
}

} // namespace dms
