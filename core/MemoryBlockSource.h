#pragma once
// An in-memory metadata device: for tests, fixtures embedded as resources, and edit copies.

#include "core/BlockSource.h"

#include <vector>

namespace dms {

class MemoryBlockSource final : public BlockSource {
public:
    explicit MemoryBlockSource(std::vector<std::uint8_t> bytes, bool writable = true,
                               std::string name = "memory");
    static MemoryBlockSource zeroed(std::uint64_t blocks);

    std::uint64_t blockCount() const override { return bytes_.size() / kBlockSize; }
    std::uint64_t byteSize() const override { return bytes_.size(); }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override;
    bool writable() const override { return writable_; }
    Status write(std::uint64_t block, const std::uint8_t* in) override;
    std::string name() const override { return name_; }

    const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
    bool writable_;
    std::string name_;
};

} // namespace dms
