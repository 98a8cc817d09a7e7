#include "core/FileBlockSource.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dms {
namespace {

Error openError(const std::string& path, int err, OpenMode mode) {
    std::string what = "cannot open " + path + ": " + std::strerror(err);
    if (err == EBUSY && mode == OpenMode::ReadWriteExclusive)
        return makeError(ErrorKind::Busy,
                         what + " (the device is in use, e.g. by an active thin pool; deactivate "
                                "the pool with 'dmsetup remove' or 'lvchange -an' first)");
    if (err == EACCES || err == EPERM)
        return makeError(ErrorKind::Permission, what + " (root is needed for most devices)");
    return makeError(ErrorKind::Io, what);
}

} // namespace

Expected<std::unique_ptr<FileBlockSource>> FileBlockSource::open(const std::string& path,
                                                                 OpenMode mode) {
    int flags = O_CLOEXEC | O_NOCTTY;
    if (mode == OpenMode::ReadOnly) flags |= O_RDONLY;
    if (mode == OpenMode::ReadOnlyDirect) flags |= O_RDONLY | O_DIRECT;
    if (mode == OpenMode::ReadWriteExclusive) flags |= O_RDWR | O_EXCL;
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) return openError(path, errno, mode);
    auto src = adopt(fd, path);
    if (!src) return src;
    // O_EXCL keeps a second writer off a block device only. An image file gets an advisory lock
    // instead, so that two dmscope sessions (window or CLI) cannot edit it at once and interleave
    // their commits. It goes with the descriptor.
    if (mode == OpenMode::ReadWriteExclusive && !(*src)->isBlockDevice() &&
        ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EWOULDBLOCK)
            return makeError(ErrorKind::Busy,
                             "cannot open " + path +
                                 " for editing: another dmscope session (a window or "
                                 "'dmscope-cli edit') is editing it; finish that one first");
        return makeError(ErrorKind::Io, "cannot lock " + path + ": " + std::strerror(err));
    }
    if (mode == OpenMode::ReadOnly) (*src)->tryMap();
    return src;
}

Expected<std::unique_ptr<FileBlockSource>> FileBlockSource::adopt(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return makeError(ErrorKind::Io, "cannot stat " + path + ": " + std::strerror(err));
    }
    std::uint64_t size = 0;
    bool blockDevice = false;
    if (S_ISREG(st.st_mode)) {
        size = static_cast<std::uint64_t>(st.st_size);
    } else if (S_ISBLK(st.st_mode)) {
        blockDevice = true;
        if (::ioctl(fd, BLKGETSIZE64, &size) != 0) {
            const int err = errno;
            ::close(fd);
            return makeError(ErrorKind::Io,
                             "cannot get the size of " + path + ": " + std::strerror(err));
        }
    } else {
        ::close(fd);
        const char* kind =
            S_ISDIR(st.st_mode) ? "a directory" : "neither a file nor a block device";
        return makeError(ErrorKind::Unsupported, path + " is " + kind);
    }
    const int fileFlags = ::fcntl(fd, F_GETFL);
    const int accmode = fileFlags & O_ACCMODE;
    std::unique_ptr<FileBlockSource> src(
        new FileBlockSource(fd, path, size, accmode != O_RDONLY, blockDevice));
    src->direct_ = (fileFlags & O_DIRECT) != 0;
    return src;
}

FileBlockSource::FileBlockSource(int fd, std::string path, std::uint64_t size, bool writable,
                                 bool blockDevice)
    : fd_(fd), path_(std::move(path)), size_(size), writable_(writable), blockDevice_(blockDevice) {
}

FileBlockSource::~FileBlockSource() {
    if (map_) ::munmap(const_cast<std::uint8_t*>(map_), blockCount() * kBlockSize);
    ::close(fd_);
}

void FileBlockSource::tryMap() {
    const std::uint64_t bytes = blockCount() * kBlockSize;
    if (bytes == 0 || writable_ || direct_) return;
    void* p = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) return; // fall back to pread
    ::madvise(p, bytes, MADV_WILLNEED);
    map_ = static_cast<const std::uint8_t*>(p);
}

Status FileBlockSource::read(std::uint64_t block, std::uint8_t* out) const {
    if (block >= blockCount())
        return makeError(
            ErrorKind::OutOfRange,
            "beyond the end of " + path_ + " (" + std::to_string(blockCount()) + " blocks)", block);
    if (map_) {
        std::memcpy(out, map_ + block * kBlockSize, kBlockSize);
        return Status::success();
    }
    if (direct_) return readDirect(block, out);
    std::size_t done = 0;
    while (done < kBlockSize) {
        const ssize_t n = ::pread(fd_, out + done, kBlockSize - done,
                                  static_cast<off_t>(block * kBlockSize + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return makeError(ErrorKind::Io,
                             "read failed on " + path_ + ": " +
                                 (n == 0 ? std::string("unexpected end of file")
                                         : std::string(std::strerror(errno))),
                             block);
        done += static_cast<std::size_t>(n);
    }
    return Status::success();
}

Status FileBlockSource::readDirect(std::uint64_t block, std::uint8_t* out) const {
    // O_DIRECT wants the buffer, offset and length aligned to the logical block size; a page
    // covers every device's.
    alignas(4096) static thread_local std::uint8_t bounce[kBlockSize];
    const bool aligned = reinterpret_cast<std::uintptr_t>(out) % kBlockSize == 0;
    std::uint8_t* buf = aligned ? out : bounce;
    for (;;) {
        const ssize_t n = ::pread(fd_, buf, kBlockSize, static_cast<off_t>(block * kBlockSize));
        if (n < 0 && errno == EINTR) continue;
        if (n != static_cast<ssize_t>(kBlockSize))
            return makeError(
                ErrorKind::Io,
                "direct read failed on " + path_ + ": " +
                    (n >= 0 ? std::string("short read") : std::string(std::strerror(errno))),
                block);
        break;
    }
    if (!aligned) std::memcpy(out, bounce, kBlockSize);
    return Status::success();
}

const std::uint8_t* FileBlockSource::mapped(std::uint64_t block) const {
    return (map_ && block < blockCount()) ? map_ + block * kBlockSize : nullptr;
}

Status FileBlockSource::write(std::uint64_t block, const std::uint8_t* in) {
    if (!writable_) return BlockSource::write(block, in);
    if (block >= blockCount())
        return makeError(ErrorKind::OutOfRange, "write beyond the end of " + path_, block);
    std::size_t done = 0;
    while (done < kBlockSize) {
        const ssize_t n = ::pwrite(fd_, in + done, kBlockSize - done,
                                   static_cast<off_t>(block * kBlockSize + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            return makeError(ErrorKind::Io,
                             "write failed on " + path_ + ": " + std::strerror(errno), block);
        done += static_cast<std::size_t>(n);
    }
    return Status::success();
}

Status FileBlockSource::flush() {
    if (!writable_) return Status::success();
    if (::fdatasync(fd_) != 0)
        return makeError(ErrorKind::Io, "flush failed on " + path_ + ": " + std::strerror(errno));
    return Status::success();
}

} // namespace dms
