#pragma once
// The demo pool bundled with the GUI: state A of pool-b, written by the kernel's dm-thin in
// the project's harness (tests/kernel/make-fixtures) (thin devices,
// snapshots of snapshots, deleted volumes, data blocks shared by three and more devices, and a
// held metadata snapshot), stored zstd-compressed as a Qt resource.

#include "core/MemoryBlockSource.h"

#include <memory>

namespace dms {

class DemoPool {
public:
    static constexpr const char* kDisplayName = "demo pool";

    // Decompresses the resource into a read-only in-memory source named "demo pool".
    static Expected<std::shared_ptr<MemoryBlockSource>> load();
};

} // namespace dms
