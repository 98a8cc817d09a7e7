// dmscope-cli ls: thin_ls 0.9.0's table, byte for byte: the same fields, header, right-aligned
// columns each followed by one space, and its rounding of human-readable sizes.

#include "app/cli/CliCommand.h"
#include "app/cli/LiveOpen.h"

#include "core/thin/ThinDumper.h"
#include "core/thin/ThinUsage.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>
#include <sstream>

namespace dms::cli {
namespace {

constexpr const char* kName = "ls";

enum class Field {
    Dev,
    MappedBlocks,
    ExclusiveBlocks,
    SharedBlocks,
    MappedSectors,
    ExclusiveSectors,
    SharedSectors,
    MappedBytes,
    ExclusiveBytes,
    SharedBytes,
    Mapped,
    Exclusive,
    Shared,
    Transaction,
    CreateTime,
    SnapTime,
};

constexpr std::array<const char*, 16> kFieldNames = {
    "DEV",
    "MAPPED_BLOCKS",
    "EXCLUSIVE_BLOCKS",
    "SHARED_BLOCKS",
    "MAPPED_SECTORS",
    "EXCLUSIVE_SECTORS",
    "SHARED_SECTORS",
    "MAPPED_BYTES",
    "EXCLUSIVE_BYTES",
    "SHARED_BYTES",
    "MAPPED",
    "EXCLUSIVE",
    "SHARED",
    "TRANSACTION",
    "CREATE_TIME",
    "SNAP_TIME",
};

// thin_ls splits the list with getline(',') : "A," is one field, "" none, "A,,B" has an empty
// (unknown) one.
Expected<std::vector<Field>> parseFields(const std::string& text) {
    std::vector<Field> fields;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto it = std::find(kFieldNames.begin(), kFieldNames.end(), item);
        if (it == kFieldNames.end())
            return makeError(ErrorKind::Usage, "unknown field '" + item + "'");
        fields.push_back(static_cast<Field>(it - kFieldNames.begin()));
    }
    return fields;
}

bool needsExclusiveCounts(const std::vector<Field>& fields) {
    for (Field f : fields)
        switch (f) {
        case Field::ExclusiveBlocks:
        case Field::SharedBlocks:
        case Field::ExclusiveSectors:
        case Field::SharedSectors:
        case Field::ExclusiveBytes:
        case Field::SharedBytes:
        case Field::Exclusive:
        case Field::Shared:
            return true;
        default:
            break;
        }
    return false;
}

// thin_ls's size text: bytes divided by 1024 while above 1 MiB, then rounded to the next unit
// when still above 8 KiB. Sizes of 8 EiB and more (only reachable with absurd details) get EiB.
std::string formatSize(std::uint64_t sectors) {
    std::uint64_t n = sectors * 512;
    unsigned unit = 0;
    while (n > 1024ull * 1024ull) {
        n /= 1024ull;
        ++unit;
    }
    if (n > 8 * 1024ull) {
        n = static_cast<std::uint64_t>(std::round(static_cast<double>(n) / 1024.0));
        ++unit;
    }
    static const char* const kUnits[] = {"", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    return std::to_string(n) + kUnits[std::min(unit, 6u)];
}

std::string fieldText(Field f, const ThinDeviceUsage& d, std::uint64_t blockSize) {
    const std::uint64_t mapped = d.details.mappedBlocks;
    const std::uint64_t exclusive = d.exclusiveBlocks;
    const std::uint64_t shared = d.sharedBlocks();
    switch (f) {
    case Field::Dev:
        return std::to_string(d.id);
    case Field::MappedBlocks:
        return std::to_string(mapped);
    case Field::ExclusiveBlocks:
        return std::to_string(exclusive);
    case Field::SharedBlocks:
        return std::to_string(shared);
    case Field::MappedSectors:
        return std::to_string(mapped * blockSize);
    case Field::ExclusiveSectors:
        return std::to_string(exclusive * blockSize);
    case Field::SharedSectors:
        return std::to_string(shared * blockSize);
    case Field::MappedBytes:
        return std::to_string(mapped * blockSize * 512);
    case Field::ExclusiveBytes:
        return std::to_string(exclusive * blockSize * 512);
    case Field::SharedBytes:
        return std::to_string(shared * blockSize * 512);
    case Field::Mapped:
        return formatSize(mapped * blockSize);
    case Field::Exclusive:
        return formatSize(exclusive * blockSize);
    case Field::Shared:
        return formatSize(shared * blockSize);
    case Field::Transaction:
        return std::to_string(d.details.transactionId);
    case Field::CreateTime:
        return std::to_string(d.details.creationTime);
    case Field::SnapTime:
        return std::to_string(d.details.snapshottedTime);
    }
    return {};
}

// Every column right-aligned to its widest cell, each cell followed by a space, one line per row.
void renderGrid(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    std::string text;
    for (const auto& row : rows) {
        if (row.empty()) continue;
        for (std::size_t i = 0; i < row.size(); ++i) {
            text.append(widths[i] - row[i].size(), ' ');
            text += row[i];
            text += ' ';
        }
        text += '\n';
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

int runLs(const std::vector<std::string>& argv, CliIo& io) {
    const std::vector<OptionSpec> spec = {
        {"format", 'o', OptionSpec::Kind::Value, "comma-separated fields (thin_ls names)"},
        {"no-headers", 0, OptionSpec::Kind::Flag, "omit the header line"},
        {"metadata-snap", 'm', OptionSpec::Kind::OptionalValue,
         "read the held metadata snapshot (a block given as -mBLOCK is ignored, as by thin_ls)"},
        kHelperOption,
    };
    auto args = parseCommandArgs(argv, spec, 1, kName);
    if (!args) return reportError(io, kName, args.error());
    std::vector<Field> fields = {Field::Dev, Field::Mapped, Field::CreateTime, Field::SnapTime};
    if (auto f = args->value("format")) {
        auto parsed = parseFields(*f);
        if (!parsed) return reportError(io, kName, parsed.error());
        fields = *parsed;
    }
    auto live = openThinLive(args->positional()[0], args->has("metadata-snap"), io, kName,
                             args->has("helper"));
    if (!live) return reportError(io, kName, live.error());
    const auto& md = (*live)->metadata;
    auto sb = thinToolSuperblock(*md, args->has("metadata-snap"));
    if (!sb) {
        reportError(io, kName, sb.error());
        return kExitFailure;
    }
    auto usage = computeThinUsage(*md, *sb, needsExclusiveCounts(fields));
    if (!usage) return reportError(io, kName, usage.error());

    std::vector<std::vector<std::string>> rows;
    rows.reserve(usage->size() + 1);
    if (!args->has("no-headers")) {
        rows.emplace_back();
        for (Field f : fields)
            rows.back().push_back(kFieldNames[static_cast<std::size_t>(f)]);
    }
    for (const ThinDeviceUsage& d : *usage) {
        rows.emplace_back();
        for (Field f : fields)
            rows.back().push_back(fieldText(f, d, sb->dataBlockSize));
    }
    renderGrid(io.out, rows);
    io.out.flush();
    if (!io.out) return reportError(io, kName, makeError(ErrorKind::Io, "cannot write the output"));
    return kExitOk;
}

} // namespace

DMS_CLI_COMMAND(ls, "ls", "IMG [-o FIELD,...] [--no-headers] [-m] [--helper]",
                "list thin devices with mapped/exclusive/shared sizes exactly as thin_ls does",
                &runLs);

} // namespace dms::cli
