#pragma once
// Every byte of metadata I/O goes through this interface: a file or block device, memory (tests),
// or a fault-injecting wrapper. Nothing else in the core calls open/pread/pwrite.

#include "core/Expected.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dms {

inline constexpr std::size_t kBlockSize = 4096;

class BlockSource {
public:
    virtual ~BlockSource() = default;

    // Whole 4096-byte blocks. A trailing partial block is not counted (see byteSize()).
    virtual std::uint64_t blockCount() const = 0;
    virtual std::uint64_t byteSize() const = 0;

    // Copies block `block` into out[0..4095]. Safe to call from several threads at once.
    virtual Status read(std::uint64_t block, std::uint8_t* out) const = 0;

    // The block's bytes in place when the source is memory-mapped, else nullptr. Valid for the
    // source's lifetime.
    virtual const std::uint8_t* mapped(std::uint64_t /*block*/) const { return nullptr; }

    // True for a block this process wrote in an open transaction: it is valid by construction and
    // its checksum is only computed when it is written out, so readers skip validation.
    virtual bool verified(std::uint64_t /*block*/) const { return false; }

    virtual bool writable() const { return false; }
    virtual Status write(std::uint64_t block, const std::uint8_t* in);
    virtual Status flush();

    // Path or description, for messages.
    virtual std::string name() const = 0;
};

} // namespace dms
