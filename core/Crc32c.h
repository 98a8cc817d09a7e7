#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). The hardware path uses the SSE4.2
// crc32 instruction, chosen at run time; the portable path is slicing-by-8.

#include <cstddef>
#include <cstdint>

namespace dms {

// Raw register update: no initial or final inversion. The standard CRC-32C of a buffer is
// crc32cUpdate(0xFFFFFFFF, data, n) ^ 0xFFFFFFFF.
std::uint32_t crc32cUpdate(std::uint32_t crc, const void* data, std::size_t size);

// The same using only the portable table code (for tests comparing the two paths).
std::uint32_t crc32cUpdatePortable(std::uint32_t crc, const void* data, std::size_t size);

// Standard CRC-32C ("123456789" -> 0xE3069283).
std::uint32_t crc32c(const void* data, std::size_t size);

// True when the SSE4.2 path is in use.
bool crc32cIsHardware();

} // namespace dms
