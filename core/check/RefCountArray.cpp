#include "core/check/RefCountArray.h"

#include <cstring>
#include <new>
#include <sys/mman.h>

namespace dms {

RefCountArray::RefCountArray(std::uint64_t size) : size_(size) {
    const std::size_t bytes = wordBytes();
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    words_ = std::unique_ptr<std::uint64_t[], detail::Unmap>(static_cast<std::uint64_t*>(p),
                                                             detail::Unmap{bytes});
}

void detail::Unmap::operator()(std::uint64_t* p) const {
    if (p) munmap(p, bytes);
}

std::uint64_t RefCountArray::get(std::uint64_t b) const {
    const std::uint8_t v = byte(b);
    if (v < kSaturation) return v;
    std::lock_guard lock(overflow_->mutex);
    auto it = overflow_->counts.find(b);
    return std::uint64_t(kSaturation) + (it == overflow_->counts.end() ? 0 : it->second);
}

void RefCountArray::incrementRun(std::uint64_t first, std::uint64_t n) {
    std::uint64_t b = first;
    const std::uint64_t end = first + n;
    while (b < end && (b % 8) != 0)
        increment(b++);
    // Each byte stays below 256 (a saturated byte holds kSaturation plus at most one pending
    // add per thread), so adding 1 to all eight bytes never carries into a neighbour.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kTops = 0x8080808080808080ull;
    static_assert(kSaturation == 0xF0, "the saturation test below looks for a full top nibble");
    for (; b + 8 <= end; b += 8) {
        std::atomic_ref<std::uint64_t> word(words()[b / 8]);
        const std::uint64_t old = word.fetch_add(kOnes, std::memory_order_relaxed);
        // Bit 7 of a byte survives iff its bits 7..4 are all set: the byte was >= 0xF0.
        const std::uint64_t saturated = old & (old << 1) & (old << 2) & (old << 3) & kTops;
        if (!saturated) continue;
        std::uint64_t back = 0;
        for (unsigned k = 0; k < 8; ++k)
            if (saturated & (std::uint64_t(0x80) << byteShift(k))) {
                back |= std::uint64_t(1) << byteShift(k);
                addOverflow(b + k);
            }
        word.fetch_sub(back, std::memory_order_relaxed);
    }
    while (b < end)
        increment(b++);
}

void RefCountArray::addOverflow(std::uint64_t b) {
    std::lock_guard lock(overflow_->mutex);
    ++overflow_->counts[b];
}

void RefCountArray::clear() {
    // Gives the pages back: the next read of them sees zeros again.
    if (words_ && madvise(words_.get(), wordBytes(), MADV_DONTNEED) != 0)
        std::memset(words_.get(), 0, wordBytes());
    std::lock_guard lock(overflow_->mutex);
    overflow_->counts.clear();
}

} // namespace dms
