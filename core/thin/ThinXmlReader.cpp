#include "core/thin/ThinXmlReader.h"

#include "core/util/XmlTokenizer.h"

namespace dms {

Status readThinXml(std::istream& in, ThinXmlHandler& h) {
    XmlTokenizer tok(in);
    enum class Where { Top, Superblock, Device, Done } where = Where::Top;
    for (;;) {
        auto next = tok.next();
        if (!next) return next.error();
        if (!*next) break;
        const XmlElement& e = **next;
        Status s;
        if (where == Where::Top && e.name == "superblock" && !e.closing) {
            ThinXmlSuperblock sb;
            if (!(s = xmlNumber(tok, e, "time", sb.time, true))) return s;
            if (!(s = xmlNumber(tok, e, "transaction", sb.transaction, true))) return s;
            if (!(s = xmlNumber(tok, e, "flags", sb.flags, false))) return s;
            if (!(s = xmlNumber(tok, e, "version", sb.version, false))) return s;
            if (!(s = xmlNumber(tok, e, "data_block_size", sb.dataBlockSize, true))) return s;
            if (!(s = xmlNumber(tok, e, "nr_data_blocks", sb.nrDataBlocks, true))) return s;
            if (!(s = h.superblock(sb))) return s;
            where = e.selfClosing ? Where::Done : Where::Superblock;
            if (where == Where::Done && !(s = h.endSuperblock())) return s;
        } else if (where == Where::Superblock && e.name == "device" && !e.closing) {
            std::uint64_t id = 0;
            DeviceDetails d;
            if (!(s = xmlNumber(tok, e, "dev_id", id, true))) return s;
            if (!(s = xmlNumber(tok, e, "mapped_blocks", d.mappedBlocks, false))) return s;
            if (!(s = xmlNumber(tok, e, "transaction", d.transactionId, false))) return s;
            if (!(s = xmlNumber(tok, e, "creation_time", d.creationTime, false))) return s;
            if (!(s = xmlNumber(tok, e, "snap_time", d.snapshottedTime, false))) return s;
            if (!(s = h.beginDevice(id, d))) return s;
            if (e.selfClosing) {
                if (!(s = h.endDevice())) return s;
            } else {
                where = Where::Device;
            }
        } else if (where == Where::Device && e.name == "range_mapping" && e.selfClosing) {
            ThinXmlMapping m;
            if (!(s = xmlNumber(tok, e, "origin_begin", m.originBegin, true))) return s;
            if (!(s = xmlNumber(tok, e, "data_begin", m.dataBegin, true))) return s;
            if (!(s = xmlNumber(tok, e, "length", m.length, true))) return s;
            if (!(s = xmlNumber(tok, e, "time", m.time, false))) return s;
            if (!(s = h.mapping(m))) return s;
        } else if (where == Where::Device && e.name == "single_mapping" && e.selfClosing) {
            ThinXmlMapping m;
            if (!(s = xmlNumber(tok, e, "origin_block", m.originBegin, true))) return s;
            if (!(s = xmlNumber(tok, e, "data_block", m.dataBegin, true))) return s;
            if (!(s = xmlNumber(tok, e, "time", m.time, false))) return s;
            if (!(s = h.mapping(m))) return s;
        } else if (where == Where::Device && e.name == "device" && e.closing) {
            if (!(s = h.endDevice())) return s;
            where = Where::Superblock;
        } else if (where == Where::Superblock && e.name == "superblock" && e.closing) {
            if (!(s = h.endSuperblock())) return s;
            where = Where::Done;
        } else {
            return tok.error("unexpected <" + std::string(e.closing ? "/" : "") + e.name + ">");
        }
    }
    if (where != Where::Done) return tok.error("the document ends before </superblock>");
    return Status::success();
}

} // namespace dms
