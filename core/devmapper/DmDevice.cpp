#include "core/devmapper/DmDevice.h"

#include <cstdio>

namespace dms {

bool parseDevNo(const std::string& text, DevNo& out) {
    unsigned ma = 0, mi = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%u:%u%c", &ma, &mi, &tail) != 2) return false;
    out = {ma, mi};
    return true;
}

} // namespace dms
