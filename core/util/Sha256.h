#pragma once
// SHA-256 (FIPS 180-4), for checking that the helper bundle an AppImage carries is the one its
// binaries were built with (core/devmapper/HelperBundle.h). Streaming: update() any number of
// times, then hexDigest().

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace dms {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    // Finishes the hash (the object is spent afterwards): 64 lowercase hex digits.
    std::string hexDigest();

    static std::string hexOf(const void* data, std::size_t size);

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t totalBytes_ = 0;
};

} // namespace dms
