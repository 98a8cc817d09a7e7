#pragma once
// Sizes for people: 65536 -> "64 KiB", 1610612736 -> "1.5 GiB".

#include <QString>
#include <cstdint>

namespace dms {

QString formatByteSize(std::uint64_t bytes);

} // namespace dms
