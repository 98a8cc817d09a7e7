#pragma once
// A set of metadata blocks as one bit per block (a walk's "already been here").

#include <atomic>
#include <cstdint>
#include <memory>

namespace dms {

// Test-and-set is atomic, so walker threads can share one bitmap.
class BlockBitmap {
public:
    BlockBitmap() = default;
    explicit BlockBitmap(std::uint64_t size);

    // Sets bit b and returns whether it was set before.
    bool testAndSet(std::uint64_t b) {
        std::atomic_ref<std::uint64_t> word(words_[b / 64]);
        const std::uint64_t bit = std::uint64_t(1) << (b % 64);
        return word.fetch_or(bit, std::memory_order_relaxed) & bit;
    }
    bool test(std::uint64_t b) const { return words_[b / 64] & (std::uint64_t(1) << (b % 64)); }
    void clear();

private:
    std::uint64_t size_ = 0;
    std::unique_ptr<std::uint64_t[]> words_;
};

} // namespace dms
