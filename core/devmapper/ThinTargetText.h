#pragma once
// The text dm-thin puts in tables and status lines (LIVE.md), parsed into fields.
//
// Pool table:  <meta maj:min> <data maj:min> <block size, sectors> <low water mark>
//              <nr features> [features...]
// Pool status: <transaction id> <used>/<total> <used>/<total> <held root or -> <rw|ro|
//              out_of_data_space> <[no_]discard_passdown> <queue|error>_if_no_space
//              <needs_check or -> <metadata low watermark>; or "Fail" / "Error"
//              (metadata blocks first, then data blocks; the last four are newer fields)
// Thin table:  <pool maj:min> <dev id> [external origin maj:min]
// Thin status: <mapped sectors> <highest mapped sector or ->; or "Fail"

#include "core/Expected.h"
#include "core/devmapper/DmDevice.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dms {

struct ThinPoolTable {
    DevNo metadataDev;
    DevNo dataDev;
    std::uint32_t dataBlockSectors = 0;
    std::uint64_t lowWaterMark = 0; // data blocks
    std::vector<std::string> features;
};

enum class PoolMode { ReadWrite, ReadOnly, OutOfDataSpace, Fail, Error };
const char* poolModeName(PoolMode m); // "rw", "ro", "out_of_data_space", "Fail", "Error"

struct ThinPoolStatus {
    PoolMode mode = PoolMode::ReadWrite;
    std::uint64_t transactionId = 0;
    std::uint64_t usedMetadataBlocks = 0;
    std::uint64_t totalMetadataBlocks = 0;
    std::uint64_t usedDataBlocks = 0;
    std::uint64_t totalDataBlocks = 0;
    std::optional<std::uint64_t> heldRoot; // empty: '-'
    bool discardPassdown = false;
    bool errorIfNoSpace = false;
    bool needsCheck = false;
    std::optional<std::uint64_t> metadataLowWatermark;
    std::string text; // the status line as the kernel gave it

    bool failed() const { return mode == PoolMode::Fail || mode == PoolMode::Error; }
};

struct ThinTable {
    DevNo poolDev;
    std::uint64_t deviceId = 0;
    std::optional<DevNo> externalOrigin;
};

struct ThinStatus {
    bool failed = false;
    std::uint64_t mappedSectors = 0;
    std::optional<std::uint64_t> highestMappedSector;
};

Expected<ThinPoolTable> parseThinPoolTable(const std::string& params);
Expected<ThinPoolStatus> parseThinPoolStatus(const std::string& status);
Expected<ThinTable> parseThinTable(const std::string& params);
Expected<ThinStatus> parseThinStatus(const std::string& status);

} // namespace dms
