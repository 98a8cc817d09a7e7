#pragma once
// Keeps the resident size of a check small on big metadata devices. The checker reads a
// FileBlockSource in place through its read-only shared mapping, and every page touched that
// way would stay in the process's resident set until the end. Every kTrimEvery blocks read,
// the mapping's page-table entries are dropped (madvise MADV_DONTNEED): the pages stay in the
// page cache, pointers into the mapping stay valid, and a later access simply faults the page
// back in. Does nothing for other sources (memory sources would lose their contents).

#include "core/BlockSource.h"

#include <atomic>
#include <cstddef>

namespace dms {

class MappingTrimmer {
public:
    static constexpr std::uint64_t kTrimEvery = 1024; // 4 MiB of blocks

    MappingTrimmer() = default;
    explicit MappingTrimmer(const BlockSource& source);
    MappingTrimmer& operator=(const MappingTrimmer& other);

    void touched(std::uint64_t blocks = 1) {
        if (!base_) return;
        const std::uint64_t before = count_.fetch_add(blocks, std::memory_order_relaxed);
        if ((before + blocks) / kTrimEvery != before / kTrimEvery) trim();
    }
    bool active() const { return base_ != nullptr; }

private:
    void trim() const;

    const std::uint8_t* base_ = nullptr;
    std::size_t bytes_ = 0;
    std::atomic<std::uint64_t> count_{0};
};

} // namespace dms
