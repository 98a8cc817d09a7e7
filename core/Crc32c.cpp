#include "core/Crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define DMS_HAVE_X86 1
#endif

namespace dms {
namespace {

constexpr std::uint32_t kPoly = 0x82F63B78u;

struct Tables {
    std::array<std::array<std::uint32_t, 256>, 8> t{};
    constexpr Tables() {
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
            t[0][i] = c;
        }
        for (std::uint32_t i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
    }
};

constexpr Tables kTables{};

std::uint32_t portable(std::uint32_t crc, const unsigned char* p, std::size_t n) {
    const auto& t = kTables.t;
    while (n >= 8) {
        std::uint32_t lo;
        std::uint32_t hi;
        std::memcpy(&lo, p, 4);
        std::memcpy(&hi, p + 4, 4);
        lo ^= crc;
        crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
              t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xFF];
    return crc;
}

#ifdef DMS_HAVE_X86
__attribute__((target("sse4.2"))) std::uint32_t hardware(std::uint32_t crc, const unsigned char* p,
                                                         std::size_t n) {
    std::uint64_t c = crc;
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        n -= 8;
    }
    auto c32 = static_cast<std::uint32_t>(c);
    while (n--)
        c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

bool detectHardware() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#else
bool detectHardware() {
    return false;
}
#endif

const bool kHardware = detectHardware();

} // namespace

std::uint32_t crc32cUpdatePortable(std::uint32_t crc, const void* data, std::size_t size) {
    return portable(crc, static_cast<const unsigned char*>(data), size);
}

std::uint32_t crc32cUpdate(std::uint32_t crc, const void* data, std::size_t size) {
#ifdef DMS_HAVE_X86
    if (kHardware) return hardware(crc, static_cast<const unsigned char*>(data), size);
#endif
    return portable(crc, static_cast<const unsigned char*>(data), size);
}

std::uint32_t crc32c(const void* data, std::size_t size) {
    return crc32cUpdate(0xFFFFFFFFu, data, size) ^ 0xFFFFFFFFu;
}

bool crc32cIsHardware() {
    return kHardware;
}

} // namespace dms
