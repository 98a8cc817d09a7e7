#pragma once
// cat(a, b, ...): the parts streamed into one string. Messages are built with it rather than with
// chains of std::string operator+, which trip GCC 12's -Wrestrict false positive at -O3.

#include <sstream>
#include <string>

namespace dms::test {

template <class... T> std::string cat(const T&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

} // namespace dms::test
