#pragma once
// Expected reference counts, one byte per block: a count of up to kSaturation lives in the
// byte, the excess in a small overflow map (counts that high are rare: a node shared by
// hundreds of snapshots). Increments are atomic so several walker threads can share one array.
// Memory is taken from the kernel lazily, a page at a time, as blocks are counted.

#include <atomic>
#include <bit>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace dms {

namespace detail {
// Deleter of an anonymous mapping of `bytes` bytes.
struct Unmap {
    std::size_t bytes = 0;
    void operator()(std::uint64_t* p) const;
};
} // namespace detail

class RefCountArray {
public:
    // Bytes kept below 256 even while every thread overshoots by one before backing off.
    static constexpr std::uint8_t kSaturation = 240;

    RefCountArray() = default;
    explicit RefCountArray(std::uint64_t size);

    std::uint64_t size() const { return size_; }

    // Adds one to block b (< size()) and returns the count before, saturated at kSaturation
    // (callers only ask "was it zero?"). All atomics work on the aligned 64-bit word holding
    // the byte, so single increments and incrementRun() can mix across threads.
    std::uint8_t increment(std::uint64_t b) {
        std::atomic_ref<std::uint64_t> word(words()[b / 8]);
        const unsigned shift = byteShift(b);
        const std::uint64_t one = std::uint64_t(1) << shift;
        const auto old =
            static_cast<std::uint8_t>(word.fetch_add(one, std::memory_order_relaxed) >> shift);
        if (old < kSaturation) return old;
        word.fetch_sub(one, std::memory_order_relaxed);
        addOverflow(b);
        return kSaturation;
    }

    // Adds one to each of the n blocks from `first` on (a run of consecutive data blocks, as a
    // leaf's mappings usually are), eight at a time where the bytes are aligned.
    void incrementRun(std::uint64_t first, std::uint64_t n);

    std::uint64_t get(std::uint64_t b) const;
    // The raw byte: exact below kSaturation. Only valid when no walker is running.
    std::uint8_t byte(std::uint64_t b) const { return bytes()[b]; }
    const std::uint8_t* bytes() const {
        return reinterpret_cast<const std::uint8_t*>(words_.get());
    }

    void clear();

private:
    std::uint64_t* words() const { return words_.get(); }
    static unsigned byteShift(std::uint64_t b) {
        return std::endian::native == std::endian::little ? 8 * unsigned(b % 8)
                                                          : 8 * unsigned(7 - b % 8);
    }
    void addOverflow(std::uint64_t b);

    struct Overflow {
        std::unordered_map<std::uint64_t, std::uint64_t> counts;
        std::mutex mutex;
    };

    // The bytes, in whole 64-bit words, in a private anonymous mapping: pages no increment
    // touches are never made resident (reads of them see the kernel's shared zero page), so a
    // 1 G-block data space map with few mappings costs what is mapped, not 1 GiB.
    std::size_t wordBytes() const { return (size_ / 8 + 1) * sizeof(std::uint64_t); }

    std::uint64_t size_ = 0;
    std::unique_ptr<std::uint64_t[], detail::Unmap> words_;
    std::unique_ptr<Overflow> overflow_ = std::make_unique<Overflow>();
};

} // namespace dms
