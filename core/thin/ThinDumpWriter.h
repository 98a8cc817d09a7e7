#pragma once
// The text of a thin dump, byte for byte as thin_dump 0.9.0 writes it (FORMAT.md §12), in its
// two formats:
//
//   xml             <superblock uuid="" time=".." transaction=".." flags=".." version=".."
//                     data_block_size=".." nr_data_blocks="..">, two-space indented
//                   <device dev_id mapped_blocks transaction creation_time snap_time>,
//                   <range_mapping origin_begin data_begin length time/>,
//                   <single_mapping origin_block data_block time/>
//   human_readable  begin superblock: "", time, transaction, flags, version, block size, blocks
//                   device: / mapped_blocks: / transaction: / creation time: / snap time:
//                   "    (v..v+n-1) -> (d..d+n-1), t" and "    v -> d, t", a blank line after
//                   each device, "end superblock"
//
// Callers pass device ids already narrowed to 32 bits: thin_dump prints them that way.

#include "core/thin/DeviceDetails.h"
#include "core/util/OutputBuffer.h"

namespace dms {

enum class ThinDumpFormat { Xml, HumanReadable };

struct ThinDumpHeader {
    std::uint32_t time = 0;
    std::uint64_t transaction = 0;
    std::uint32_t flags = 0;
    std::uint32_t version = 0;
    std::uint32_t dataBlockSize = 0;
    std::uint64_t nrDataBlocks = 0;
};

class ThinDumpWriter {
public:
    ThinDumpWriter(OutputBuffer& out, ThinDumpFormat format) : out_(out), format_(format) {}

    void beginSuperblock(const ThinDumpHeader& h);
    void endSuperblock();
    void beginDevice(std::uint32_t devId, const DeviceDetails& d);
    void endDevice();

    void rangeMapping(std::uint64_t originBegin, std::uint64_t dataBegin, std::uint64_t length,
                      std::uint32_t time) {
        if (format_ == ThinDumpFormat::Xml) {
            out_.append("    <range_mapping origin_begin=\"");
            out_.appendU64(originBegin);
            out_.append("\" data_begin=\"");
            out_.appendU64(dataBegin);
            out_.append("\" length=\"");
            out_.appendU64(length);
            out_.append("\" time=\"");
            out_.appendU32(time);
            out_.append("\"/>\n");
        } else {
            out_.append("    (");
            out_.appendU64(originBegin);
            out_.append("..");
            out_.appendU64(originBegin + length - 1);
            out_.append(") -> (");
            out_.appendU64(dataBegin);
            out_.append("..");
            out_.appendU64(dataBegin + length - 1);
            out_.append("), ");
            out_.appendU32(time);
            out_.put('\n');
        }
    }

    void singleMapping(std::uint64_t originBlock, std::uint64_t dataBlock, std::uint32_t time) {
        if (format_ == ThinDumpFormat::Xml) {
            out_.append("    <single_mapping origin_block=\"");
            out_.appendU64(originBlock);
            out_.append("\" data_block=\"");
            out_.appendU64(dataBlock);
            out_.append("\" time=\"");
            out_.appendU32(time);
            out_.append("\"/>\n");
        } else {
            out_.append("    ");
            out_.appendU64(originBlock);
            out_.append(" -> ");
            out_.appendU64(dataBlock);
            out_.append(", ");
            out_.appendU32(time);
            out_.put('\n');
        }
    }

private:
    OutputBuffer& out_;
    ThinDumpFormat format_;
};

// Merges a device's mappings, fed in virtual-block order, into thin_dump's runs: a run grows
// while the virtual block and the data block both follow on by one and the time is equal; a run
// of one is written as a single mapping. Runs span leaf boundaries; finish() at the device end.
class ThinMappingRuns {
public:
    explicit ThinMappingRuns(ThinDumpWriter& writer) : writer_(writer) {}

    void add(std::uint64_t vblock, std::uint64_t dataBlock, std::uint32_t time) {
        if (open_ && vblock == origin_ + length_ && dataBlock == data_ + length_ && time == time_) {
            ++length_;
            return;
        }
        finish();
        origin_ = vblock;
        data_ = dataBlock;
        time_ = time;
        length_ = 1;
        open_ = true;
    }

    void finish() {
        if (!open_) return;
        if (length_ == 1)
            writer_.singleMapping(origin_, data_, time_);
        else
            writer_.rangeMapping(origin_, data_, length_, time_);
        open_ = false;
    }

private:
    ThinDumpWriter& writer_;
    std::uint64_t origin_ = 0;
    std::uint64_t data_ = 0;
    std::uint64_t length_ = 0;
    std::uint32_t time_ = 0;
    bool open_ = false;
};

} // namespace dms
