#pragma once
// What one line of a thin dump points at, for "jump from the dump": a mapping line names its data
// block (a range its first one, data_begin), a device line names the device (whose mapping tree
// the viewer selects). Both dump formats (xml, human_readable); other lines point nowhere.

#include <QString>
#include <cstdint>
#include <optional>

namespace dms {

struct DumpLineTarget {
    enum class Kind { DataBlock, Device };
    Kind kind = Kind::DataBlock;
    std::uint64_t value = 0; // the data block, or the device id

    static std::optional<DumpLineTarget> parse(const QString& line);
    friend bool operator==(const DumpLineTarget&, const DumpLineTarget&) = default;
};

} // namespace dms
