#include "core/cache/CacheRestorer.h"

#include "core/array/ArrayWriter.h"
#include "core/cache/CacheSuperblock.h"
#include "core/tx/FreshMetadataTransaction.h"
#include "core/util/XmlTokenizer.h"

#include <cstring>

namespace dms {
namespace {

struct CacheXml {
    std::uint32_t blockSize = 0;
    std::uint32_t nrCacheBlocks = 0;
    std::string policy;
    std::uint32_t hintWidth = 4;
    std::vector<std::uint64_t> mappings; // value per cache block: origin << 16 | VALID
    std::vector<std::uint64_t> dirty;    // bitset words
    std::vector<std::uint8_t> hints;     // hintWidth bytes per cache block
    std::vector<std::pair<std::uint64_t, std::uint64_t>> discards; // [begin, end)
};

Expected<std::vector<std::uint8_t>> base64Decode(const std::string& s) {
    std::vector<std::uint8_t> out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : s) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=')
            break;
        else
            return makeError(ErrorKind::Corrupt, "invalid base64 '" + s + "'");
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(std::uint8_t(acc >> bits));
        }
    }
    return out;
}

Status parseCacheXml(std::istream& in, CacheXml& x, std::uint64_t deviceBlocks) {
    XmlTokenizer tok(in);
    bool inSuper = false, done = false;
    for (;;) {
        auto next = tok.next();
        if (!next) return next.error();
        if (!*next) break;
        const XmlElement& e = **next;
        Status s;
        std::uint64_t cblock = 0;
        auto cacheBlock = [&]() -> Status {
            if (!(s = xmlNumber(tok, e, "cache_block", cblock, true))) return s;
            if (cblock >= x.nrCacheBlocks)
                return tok.error("cache_block " + std::to_string(cblock) + " >= nr_cache_blocks " +
                                 std::to_string(x.nrCacheBlocks));
            return Status::success();
        };
        if (!inSuper && !done && e.name == "superblock" && !e.closing) {
            if (!(s = xmlNumber(tok, e, "block_size", x.blockSize, true))) return s;
            if (!(s = xmlNumber(tok, e, "nr_cache_blocks", x.nrCacheBlocks, true))) return s;
            if (!(s = xmlNumber(tok, e, "hint_width", x.hintWidth, true))) return s;
            auto p = e.attrs.find("policy");
            if (p == e.attrs.end()) return tok.error("<superblock> lacks policy");
            x.policy = p->second;
            if (x.policy.size() >= 16) return tok.error("policy name longer than 15 characters");
            if (x.hintWidth != 4)
                return tok.error("hint_width " + std::to_string(x.hintWidth) +
                                 ": only 4 is supported (as by cache_restore 0.9.0)");
            const std::uint64_t n = x.nrCacheBlocks;
            const std::uint64_t needed = (n + 508) / 509 + (n + 1017) / 1018 + (n + 32575) / 32576;
            if (needed > deviceBlocks)
                return tok.error("nr_cache_blocks " + std::to_string(n) + " needs " +
                                 std::to_string(needed) + " array blocks; the device holds " +
                                 std::to_string(deviceBlocks) + " blocks");
            x.mappings.assign(x.nrCacheBlocks, 0);
            x.dirty.assign((std::uint64_t(x.nrCacheBlocks) + 63) / 64, 0);
            x.hints.assign(std::size_t(x.nrCacheBlocks) * x.hintWidth, 0);
            inSuper = !e.selfClosing;
            done = e.selfClosing;
        } else if (inSuper && e.name == "superblock" && e.closing) {
            inSuper = false;
            done = true;
        } else if (inSuper && (e.name == "mappings" || e.name == "hints" || e.name == "discards")) {
            continue;
        } else if (inSuper && e.name == "mapping" && e.selfClosing) {
            std::uint64_t origin = 0;
            if (!(s = cacheBlock())) return s;
            if (!(s = xmlNumber(tok, e, "origin_block", origin, true))) return s;
            if (origin >> 48)
                return tok.error("origin_block " + std::to_string(origin) + " too big");
            auto d = e.attrs.find("dirty");
            if (d == e.attrs.end() || (d->second != "true" && d->second != "false"))
                return tok.error("<mapping> needs dirty=\"true\" or \"false\"");
            x.mappings[cblock] = (origin << 16) | CacheSuperblock::kMappingValid;
            if (d->second == "true") x.dirty[cblock / 64] |= std::uint64_t(1) << (cblock % 64);
        } else if (inSuper && e.name == "hint" && e.selfClosing) {
            if (!(s = cacheBlock())) return s;
            auto d = e.attrs.find("data");
            if (d == e.attrs.end()) return tok.error("<hint> lacks data");
            auto bytes = base64Decode(d->second);
            if (!bytes) return tok.error(bytes.error().message);
            if (bytes->size() != x.hintWidth)
                return tok.error("hint of " + std::to_string(bytes->size()) + " bytes, width is " +
                                 std::to_string(x.hintWidth));
            std::memcpy(x.hints.data() + cblock * x.hintWidth, bytes->data(), x.hintWidth);
        } else if (inSuper && e.name == "discard" && e.selfClosing) {
            std::uint64_t b = 0, end = 0;
            if (!(s = xmlNumber(tok, e, "dbegin", b, true))) return s;
            if (!(s = xmlNumber(tok, e, "dend", end, true))) return s;
            if (end < b || end > (std::uint64_t(1) << 32))
                return tok.error("discard range " + std::to_string(b) + ".." + std::to_string(end) +
                                 " is impossible");
            x.discards.push_back({b, end});
        } else {
            return tok.error("unexpected <" + std::string(e.closing ? "/" : "") + e.name + ">");
        }
    }
    if (!done) return tok.error("the document ends before </superblock>");
    return Status::success();
}

} // namespace

Status restoreCacheXml(std::istream& in, std::shared_ptr<BlockSource> device,
                       const CacheRestoreOptions& options) {
    if (options.version < 1 || options.version > 2)
        return makeError(ErrorKind::Usage, "metadata version must be 1 or 2");
    if (Status s = FreshMetadataTransaction::requireWritable(*device); !s) return s;
    CacheXml x;
    if (Status s = parseCacheXml(in, x, device->blockCount()); !s) return s;
    FreshMetadataTransaction fresh(device);
    if (Status s = fresh.begin(); !s) return s;
    TransactionManager& tm = fresh.tm();

    CacheSuperblock sb;
    sb.flags = CacheSuperblock::kCleanShutdown;
    sb.magic = kCacheSuperblockMagic;
    sb.version = options.version;
    std::memcpy(sb.policyName.data(), x.policy.data(), x.policy.size());
    sb.policyHintSize = 0; // 4-byte hints: the incompat bit stays clear
    sb.dataBlockSize = x.blockSize;
    sb.metadataBlockSize = 8;
    sb.cacheBlocks = x.nrCacheBlocks;
    const bool v1 = options.version == 1;
    auto mappings =
        ArrayWriter(tm, 8).create(x.nrCacheBlocks, [&](std::uint64_t i, std::uint8_t* out) {
            std::uint64_t v = x.mappings[i];
            if (v1 && ((x.dirty[i / 64] >> (i % 64)) & 1)) v |= CacheSuperblock::kMappingDirty;
            storeLe64(out, v);
        });
    if (!mappings) return mappings.error();
    sb.mappingRoot = *mappings;
    auto hints = ArrayWriter(tm, x.hintWidth)
                     .create(x.nrCacheBlocks, [&](std::uint64_t i, std::uint8_t* out) {
                         std::memcpy(out, x.hints.data() + i * x.hintWidth, x.hintWidth);
                     });
    if (!hints) return hints.error();
    sb.hintRoot = *hints;
    std::uint64_t discardBits = 0;
    for (const auto& [b, e] : x.discards)
        discardBits = std::max(discardBits, e);
    std::vector<std::uint64_t> discardWords((discardBits + 63) / 64, 0);
    for (const auto& [b, e] : x.discards)
        for (std::uint64_t i = b; i < e; ++i)
            discardWords[i / 64] |= std::uint64_t(1) << (i % 64);
    auto discards = createBitset(tm, discardBits, discardWords);
    if (!discards) return discards.error();
    sb.discardRoot = *discards;
    sb.discardNrBlocks = discardBits;
    sb.discardBlockSize = discardBits ? x.blockSize : 0;
    if (!v1) {
        auto dirty = createBitset(tm, x.nrCacheBlocks, x.dirty);
        if (!dirty) return dirty.error();
        sb.dirtyRoot = *dirty;
    }
    return fresh.commit(sb, BlockType::CacheSuperblock);
}

} // namespace dms
