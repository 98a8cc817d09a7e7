#include "core/util/ZeroPages.h"

#include <new>
#include <sys/mman.h>
#include <utility>

namespace dms {

ZeroPages::ZeroPages(std::size_t size) {
    reset(size);
}

ZeroPages::~ZeroPages() {
    release();
}

ZeroPages::ZeroPages(ZeroPages&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

ZeroPages& ZeroPages::operator=(ZeroPages&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void ZeroPages::release() {
    if (data_) munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
}

void ZeroPages::reset(std::size_t size) {
    release();
    if (size == 0) return;
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<std::uint8_t*>(p);
    size_ = size;
}

} // namespace dms
