#pragma once
// Expected reference counts, one byte per block: a count of up to kSaturation lives in the
// byte, the excess in a small overflow map (counts that high are rare: a node shared by
// hundreds of snapshots). Increments are atomic so several walker threads can share one array.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace dms {

class RefCountArray {
public:
    // Bytes kept below 256 even while every thread overshoots by one before backing off.
    static constexpr std::uint8_t kSaturation = 240;

    RefCountArray() = default;
    explicit RefCountArray(std::uint64_t size);

    std::uint64_t size() const { return size_; }

    // Adds one to block b (< size()) and returns the count before, saturated at kSaturation
    // (callers only ask "was it zero?").
    std::uint8_t increment(std::uint64_t b) {
        std::atomic_ref<std::uint8_t> cell(bytes_[b]);
        const std::uint8_t old = cell.fetch_add(1, std::memory_order_relaxed);
        if (old < kSaturation) return old;
        cell.fetch_sub(1, std::memory_order_relaxed);
        addOverflow(b);
        return kSaturation;
    }

    std::uint64_t get(std::uint64_t b) const;
    // The raw byte: exact below kSaturation. Only valid when no walker is running.
    std::uint8_t byte(std::uint64_t b) const { return bytes_[b]; }
    const std::uint8_t* bytes() const { return bytes_.get(); }

    void clear();

private:
    void addOverflow(std::uint64_t b);

    struct Overflow {
        std::unordered_map<std::uint64_t, std::uint64_t> counts;
        std::mutex mutex;
    };

    std::uint64_t size_ = 0;
    std::unique_ptr<std::uint8_t[]> bytes_;
    std::unique_ptr<Overflow> overflow_ = std::make_unique<Overflow>();
};

} // namespace dms
