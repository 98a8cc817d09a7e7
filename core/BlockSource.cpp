#include "core/BlockSource.h"

namespace dms {

Status BlockSource::write(std::uint64_t block, const std::uint8_t*) {
    return makeError(ErrorKind::Usage, name() + " is open read-only; refusing to write", block);
}

Status BlockSource::flush() {
    return Status::success();
}

} // namespace dms
