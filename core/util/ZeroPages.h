#pragma once
// A byte array that starts all zero and takes memory only for the pages written: a private
// anonymous mapping, whose untouched pages read as the kernel's shared zero page. For per-block
// tables of a data device of up to 2^30 blocks where only the used blocks are ever written.

#include <cstddef>
#include <cstdint>

namespace dms {

class ZeroPages {
public:
    ZeroPages() = default;
    explicit ZeroPages(std::size_t size);
    ~ZeroPages();
    ZeroPages(ZeroPages&& other) noexcept;
    ZeroPages& operator=(ZeroPages&& other) noexcept;
    ZeroPages(const ZeroPages&) = delete;
    ZeroPages& operator=(const ZeroPages&) = delete;

    // Drops the contents and makes size zero bytes (throws std::bad_alloc when it cannot map).
    void reset(std::size_t size);

    std::size_t size() const { return size_; }
    std::uint8_t* data() { return data_; }
    const std::uint8_t* data() const { return data_; }
    std::uint8_t* begin() { return data_; }
    std::uint8_t& operator[](std::size_t i) { return data_[i]; }
    std::uint8_t operator[](std::size_t i) const { return data_[i]; }

private:
    void release();

    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace dms
