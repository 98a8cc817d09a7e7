#include "core/thin/ThinDumpWriter.h"

namespace dms {

void ThinDumpWriter::beginSuperblock(const ThinDumpHeader& h) {
    if (format_ == ThinDumpFormat::Xml) {
        out_.append("<superblock uuid=\"\" time=\"");
        out_.appendU32(h.time);
        out_.append("\" transaction=\"");
        out_.appendU64(h.transaction);
        out_.append("\" flags=\"");
        out_.appendU32(h.flags);
        out_.append("\" version=\"");
        out_.appendU32(h.version);
        out_.append("\" data_block_size=\"");
        out_.appendU32(h.dataBlockSize);
        out_.append("\" nr_data_blocks=\"");
        out_.appendU64(h.nrDataBlocks);
        out_.append("\">\n");
    } else {
        out_.append("begin superblock: \"\", ");
        out_.appendU32(h.time);
        out_.append(", ");
        out_.appendU64(h.transaction);
        out_.append(", ");
        out_.appendU32(h.flags);
        out_.append(", ");
        out_.appendU32(h.version);
        out_.append(", ");
        out_.appendU32(h.dataBlockSize);
        out_.append(", ");
        out_.appendU64(h.nrDataBlocks);
        out_.put('\n');
    }
}

void ThinDumpWriter::endSuperblock() {
    out_.append(format_ == ThinDumpFormat::Xml ? "</superblock>\n" : "end superblock\n");
}

void ThinDumpWriter::beginDevice(std::uint32_t devId, const DeviceDetails& d) {
    if (format_ == ThinDumpFormat::Xml) {
        out_.append("  <device dev_id=\"");
        out_.appendU32(devId);
        out_.append("\" mapped_blocks=\"");
        out_.appendU64(d.mappedBlocks);
        out_.append("\" transaction=\"");
        out_.appendU64(d.transactionId);
        out_.append("\" creation_time=\"");
        out_.appendU32(d.creationTime);
        out_.append("\" snap_time=\"");
        out_.appendU32(d.snapshottedTime);
        out_.append("\">\n");
    } else {
        out_.append("device: ");
        out_.appendU32(devId);
        out_.append("\nmapped_blocks: ");
        out_.appendU64(d.mappedBlocks);
        out_.append("\ntransaction: ");
        out_.appendU64(d.transactionId);
        out_.append("\ncreation time: ");
        out_.appendU32(d.creationTime);
        out_.append("\nsnap time: ");
        out_.appendU32(d.snapshottedTime);
        out_.put('\n');
    }
}

void ThinDumpWriter::endDevice() {
    out_.append(format_ == ThinDumpFormat::Xml ? "  </device>\n" : "\n");
}

} // namespace dms
