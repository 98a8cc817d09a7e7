#pragma once
// In the ASan+UBSan build a sanitizer report from dmscope-cli may come with an exit status
// that looks like a verdict: the tests look for the report itself.

#include "tests/support/Fixtures.h"

namespace dms::test {

inline bool hasSanitizerReport(const RunResult& r) {
    return r.err.contains("ERROR: AddressSanitizer") || r.err.contains("runtime error:") ||
           r.err.contains("ERROR: LeakSanitizer");
}

} // namespace dms::test
