#include "core/era/EraInvalidator.h"

#include "core/array/ArrayReader.h"
#include "core/bitset/BitsetReader.h"
#include "core/check/SimpleTreeWalk.h"

#include <algorithm>
#include <bit>
#include <optional>

namespace dms {
namespace {

void mark(EraWrittenBlocks& w, std::uint64_t b) {
    if (b / 64 >= w.words.size()) w.words.resize(b / 64 + 1, 0);
    w.words[b / 64] |= std::uint64_t(1) << (b % 64);
}

// A writeset's words; what the 0.9.0 tools reject (an empty bitset too) is an error.
class WritesetWords final : public ArrayVisitor {
public:
    explicit WritesetWords(std::uint64_t nrWords) : words(nrWords, 0) {}
    void arrayBlock(std::uint64_t first, const ArrayBlock& block, std::uint32_t count) override {
        for (std::uint32_t i = 0; i < count && first + i < words.size(); ++i)
            words[first + i] = loadLe64(block.value(i));
    }
    void error(const Error& e) override {
        if (!failed) failed = e;
    }
    void quirk(const Error& e) override { error(e); }
    std::vector<std::uint64_t> words;
    std::optional<Error> failed;
};

Error damaged(Error e) {
    e.message += " (metadata contains errors: run era_check or dmscope-cli check for details)";
    return e;
}

} // namespace

Expected<EraWrittenBlocks> eraBlocksWrittenSince(const BlockReader& reader, const EraSuperblock& sb,
                                                 std::uint32_t since) {
    EraWrittenBlocks out;
    // 0.9.0 looks up each block of the era array: nothing is read when it has none.
    if (sb.nrBlocks) {
        ArrayReader eras(reader, sb.eraArrayRoot, sb.nrBlocks, 4, "era array");
        // Before the bitmap is sized by nr_blocks: a hostile length is no huge allocation.
        if (Status s = eras.plausible(); !s) return damaged(s.error());
        out.words.assign(BitsetReader::wordsFor(sb.nrBlocks), 0);
        Status s = eras.forEachValue([&](std::uint64_t b, const std::uint8_t* v) {
            if (loadLe32(v) >= since) out.words[b / 64] |= std::uint64_t(1) << (b % 64);
        });
        if (!s) return damaged(s.error());
    }

    std::vector<std::pair<std::uint64_t, EraWriteset>> writesets;
    Status tree =
        SimpleTreeWalk(reader, EraSuperblock::kWritesetValueSize, "writeset tree")
            .forEachEntry(sb.writesetTreeRoot, [&](std::uint64_t era, const std::uint8_t* v) {
                writesets.push_back({era, EraWriteset::decode(v)});
            });
    if (!tree) return damaged(tree.error());
    for (const auto& [key, ws] : writesets) {
        // Every writeset is walked (its damage fails the report) whatever its era.
        const std::uint32_t era = static_cast<std::uint32_t>(key); // 0.9.0 keeps 32 bits
        ArrayReader array(reader, ws.root, BitsetReader::wordsFor(ws.nrBits), 8,
                          "writeset of era " + std::to_string(era));
        if (Status s = array.plausible(); !s) return damaged(s.error());
        WritesetWords words(array.nrEntries());
        array.walk(words);
        if (words.failed) return damaged(*words.failed);
        if (era < since) continue;
        for (std::uint64_t w = 0; w < words.words.size(); ++w) {
            std::uint64_t bits = words.words[w];
            if (w == words.words.size() - 1 && ws.nrBits % 64)
                bits &= (std::uint64_t(1) << (ws.nrBits % 64)) - 1;
            while (bits) {
                mark(out, w * 64 + std::countr_zero(bits));
                bits &= bits - 1;
            }
        }
    }
    return out;
}

void writeEraInvalidateXml(const EraWrittenBlocks& blocks, OutputBuffer& out) {
    out.append("<blocks>\n");
    const std::uint64_t n = blocks.words.size() * 64;
    std::uint64_t b = 0;
    auto nextSet = [&](std::uint64_t from) {
        while (from < n) {
            const std::uint64_t word = blocks.words[from / 64] >> (from % 64);
            if (word) return from + std::countr_zero(word);
            from = (from / 64 + 1) * 64;
        }
        return n;
    };
    auto nextClear = [&](std::uint64_t from) {
        while (from < n) {
            const std::uint64_t word = ~blocks.words[from / 64] >> (from % 64);
            if (word) return std::min(n, from + std::countr_zero(word));
            from = (from / 64 + 1) * 64;
        }
        return n;
    };
    while ((b = nextSet(b)) < n) {
        const std::uint64_t e = nextClear(b);
        if (e - b == 1) {
            out.append("  <block block=\"");
            out.appendU64(b);
            out.append("\"/>\n");
        } else {
            out.append("  <range begin=\"");
            out.appendU64(b);
            out.append("\" end = \"");
            out.appendU64(e);
            out.append("\"/>\n");
        }
        b = e;
    }
    out.append("</blocks>\n");
}

} // namespace dms
