#pragma once
// The resources live in a static library; nothing references them by symbol, so the linker would
// drop them. Calling this once (idempotent) pulls them in and registers them.

namespace dms {

void initResources();

} // namespace dms
