#include "models/ByteSize.h"

namespace dms {

QString formatByteSize(std::uint64_t bytes) {
    static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) return QStringLiteral("%1 bytes").arg(bytes);
    double v = static_cast<double>(bytes);
    int unit = 0;
    while (v >= 1024.0 && unit < 6) {
        v /= 1024.0;
        ++unit;
    }
    // Whole numbers print without a fraction; others keep one digit.
    const bool whole = v == static_cast<double>(static_cast<std::uint64_t>(v));
    return QStringLiteral("%1 %2").arg(v, 0, 'f', whole ? 0 : 1).arg(QLatin1String(units[unit]));
}

} // namespace dms
