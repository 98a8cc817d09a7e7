#pragma once
// What the cache and era tool-comparison tests share before they start: whether the tools they
// compare against are installed, and how many random pools a run makes (an environment variable
// overrides the default, to run more or fewer).

#include <initializer_list>

namespace dms::test {

// True when every one of the named programs is found on PATH.
bool toolsInstalled(std::initializer_list<const char*> tools);
// The positive value of the environment variable `variable`, else `fallback`.
int poolCount(const char* variable, int fallback);

} // namespace dms::test
