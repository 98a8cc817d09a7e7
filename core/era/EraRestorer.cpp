#include "core/era/EraRestorer.h"

#include "core/array/ArrayWriter.h"
#include "core/era/EraSuperblock.h"
#include "core/tx/FreshMetadataTransaction.h"
#include "core/util/XmlTokenizer.h"

#include <map>

namespace dms {
namespace {

struct EraXmlWriteset {
    std::uint32_t nrBits = 0;
    std::vector<std::uint64_t> words;
};

struct EraXml {
    std::uint32_t blockSize = 0;
    std::uint32_t nrBlocks = 0;
    std::uint32_t currentEra = 0;
    std::map<std::uint32_t, EraXmlWriteset> writesets;
    std::vector<std::uint32_t> eras;
};

Status parseEraXml(std::istream& in, EraXml& x, std::uint64_t deviceBlocks) {
    XmlTokenizer tok(in);
    enum class Where { Top, Superblock, Writeset, EraArray, Done } where = Where::Top;
    EraXmlWriteset* ws = nullptr;
    for (;;) {
        auto next = tok.next();
        if (!next) return next.error();
        if (!*next) break;
        const XmlElement& e = **next;
        Status s;
        if (where == Where::Top && e.name == "superblock" && !e.closing) {
            if (!(s = xmlNumber(tok, e, "block_size", x.blockSize, true))) return s;
            if (!(s = xmlNumber(tok, e, "nr_blocks", x.nrBlocks, true))) return s;
            if (!(s = xmlNumber(tok, e, "current_era", x.currentEra, true))) return s;
            if ((std::uint64_t(x.nrBlocks) + 1017) / 1018 > deviceBlocks)
                return tok.error("nr_blocks " + std::to_string(x.nrBlocks) +
                                 " does not fit the device (" + std::to_string(deviceBlocks) +
                                 " blocks)");
            x.eras.assign(x.nrBlocks, 0);
            where = e.selfClosing ? Where::Done : Where::Superblock;
        } else if (where == Where::Superblock && e.name == "writeset" && !e.closing) {
            std::uint32_t era = 0, nrBits = 0;
            if (!(s = xmlNumber(tok, e, "era", era, true))) return s;
            if (!(s = xmlNumber(tok, e, "nr_bits", nrBits, true))) return s;
            if (x.writesets.count(era)) return tok.error("era " + std::to_string(era) + " twice");
            if ((std::uint64_t(nrBits) + 32575) / 32576 > deviceBlocks)
                return tok.error("nr_bits " + std::to_string(nrBits) +
                                 " does not fit the device (" + std::to_string(deviceBlocks) +
                                 " blocks)");
            ws = &x.writesets[era];
            ws->nrBits = nrBits;
            ws->words.assign((std::uint64_t(nrBits) + 63) / 64, 0);
            if (!e.selfClosing) where = Where::Writeset;
        } else if (where == Where::Writeset && e.name == "bit" && e.selfClosing) {
            std::uint32_t block = 0;
            if (!(s = xmlNumber(tok, e, "block", block, true))) return s;
            if (block >= ws->nrBits)
                return tok.error("bit " + std::to_string(block) + " >= nr_bits " +
                                 std::to_string(ws->nrBits));
            auto v = e.attrs.find("value");
            if (v == e.attrs.end() || (v->second != "true" && v->second != "false"))
                return tok.error("<bit> needs value=\"true\" or \"false\"");
            const std::uint64_t mask = std::uint64_t(1) << (block % 64);
            if (v->second == "true")
                ws->words[block / 64] |= mask;
            else
                ws->words[block / 64] &= ~mask;
        } else if (where == Where::Writeset && e.name == "writeset" && e.closing) {
            where = Where::Superblock;
        } else if (where == Where::Superblock && e.name == "era_array" && !e.closing) {
            if (!e.selfClosing) where = Where::EraArray;
        } else if (where == Where::EraArray && e.name == "era" && e.selfClosing) {
            std::uint32_t block = 0, era = 0;
            if (!(s = xmlNumber(tok, e, "block", block, true))) return s;
            if (!(s = xmlNumber(tok, e, "era", era, true))) return s;
            if (block >= x.nrBlocks)
                return tok.error("block " + std::to_string(block) + " >= nr_blocks " +
                                 std::to_string(x.nrBlocks));
            x.eras[block] = era;
        } else if (where == Where::EraArray && e.name == "era_array" && e.closing) {
            where = Where::Superblock;
        } else if (where == Where::Superblock && e.name == "superblock" && e.closing) {
            where = Where::Done;
        } else {
            return tok.error("unexpected <" + std::string(e.closing ? "/" : "") + e.name + ">");
        }
    }
    if (where != Where::Done) return tok.error("the document ends before </superblock>");
    return Status::success();
}

} // namespace

Status restoreEraXml(std::istream& in, std::shared_ptr<BlockSource> device) {
    if (Status s = FreshMetadataTransaction::requireWritable(*device); !s) return s;
    EraXml x;
    if (Status s = parseEraXml(in, x, device->blockCount()); !s) return s;
    FreshMetadataTransaction fresh(device);
    if (Status s = fresh.begin(); !s) return s;
    TransactionManager& tm = fresh.tm();

    EraSuperblock sb;
    sb.magic = kEraSuperblockMagic;
    sb.version = 1;
    sb.dataBlockSize = x.blockSize;
    sb.metadataBlockSize = 8;
    sb.nrBlocks = x.nrBlocks;
    sb.currentEra = x.currentEra;
    BtreeWriter tree(tm, BtreeValueType::plain(EraSuperblock::kWritesetValueSize));
    auto root = tree.empty();
    if (!root) return root.error();
    for (const auto& [era, w] : x.writesets) {
        auto bits = createBitset(tm, w.nrBits, w.words);
        if (!bits) return bits.error();
        std::uint8_t v[EraSuperblock::kWritesetValueSize];
        EraWriteset{w.nrBits, *bits}.encode(v);
        auto r = tree.insert(*root, era, v);
        if (!r) return r.error();
        *root = r->root;
    }
    sb.writesetTreeRoot = *root;
    auto eras = ArrayWriter(tm, 4).create(
        x.nrBlocks, [&](std::uint64_t i, std::uint8_t* out) { storeLe32(out, x.eras[i]); });
    if (!eras) return eras.error();
    sb.eraArrayRoot = *eras;
    return fresh.commit(sb, BlockType::EraSuperblock);
}

} // namespace dms
