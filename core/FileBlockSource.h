#pragma once
// A metadata image file or block device. Read-only opens use O_RDONLY (the descriptor cannot
// write) and map the whole device; edit opens use O_RDWR|O_EXCL and pread/pwrite. Live metadata
// (an active pool's, written by the kernel through dm-bufio, not the page cache) is read with
// ReadOnlyDirect: O_DIRECT into aligned buffers, never mapped.

#include "core/BlockSource.h"

#include <memory>

namespace dms {

enum class OpenMode { ReadOnly, ReadWriteExclusive, ReadOnlyDirect };

class FileBlockSource final : public BlockSource {
public:
    static Expected<std::unique_ptr<FileBlockSource>> open(const std::string& path,
                                                           OpenMode mode = OpenMode::ReadOnly);
    // Adopts a descriptor opened elsewhere (e.g. passed by the privileged helper). A descriptor
    // with O_DIRECT set is read the direct way.
    static Expected<std::unique_ptr<FileBlockSource>> adopt(int fd, const std::string& path);
    ~FileBlockSource() override;

    std::uint64_t blockCount() const override { return size_ / kBlockSize; }
    std::uint64_t byteSize() const override { return size_; }
    Status read(std::uint64_t block, std::uint8_t* out) const override;
    const std::uint8_t* mapped(std::uint64_t block) const override;
    bool writable() const override { return writable_; }
    Status write(std::uint64_t block, const std::uint8_t* in) override;
    Status flush() override;
    std::string name() const override { return path_; }

    bool isBlockDevice() const { return blockDevice_; }
    bool directIo() const { return direct_; }

private:
    FileBlockSource(int fd, std::string path, std::uint64_t size, bool writable, bool blockDevice);
    void tryMap();
    Status readDirect(std::uint64_t block, std::uint8_t* out) const;

    int fd_;
    std::string path_;
    std::uint64_t size_;
    bool writable_;
    bool blockDevice_;
    bool direct_ = false;
    const std::uint8_t* map_ = nullptr;
};

} // namespace dms
