#include "core/check/MappingTrimmer.h"

#include "core/FileBlockSource.h"

#include <sys/mman.h>

namespace dms {

MappingTrimmer::MappingTrimmer(const BlockSource& source) {
    // Only a FileBlockSource's mapping is a read-only view of the file (MAP_SHARED, PROT_READ).
    const auto* file = dynamic_cast<const FileBlockSource*>(&source);
    if (!file || file->writable() || source.blockCount() == 0) return;
    base_ = source.mapped(0);
    bytes_ = static_cast<std::size_t>(source.blockCount() * kBlockSize);
}

MappingTrimmer& MappingTrimmer::operator=(const MappingTrimmer& other) {
    base_ = other.base_;
    bytes_ = other.bytes_;
    count_.store(0);
    return *this;
}

void MappingTrimmer::trim() const {
    ::madvise(const_cast<std::uint8_t*>(base_), bytes_, MADV_DONTNEED);
}

} // namespace dms
