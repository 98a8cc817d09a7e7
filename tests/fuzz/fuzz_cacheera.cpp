// libFuzzer target: damaged dm-cache (format 1 and 2) and dm-era metadata through everything that
// reads it: kind detection, the superblocks, the checkers (every scope), the dumps (both dirty
// sources), the dm-array and dm-bitset walkers and lookups, era_invalidate's report, and the
// edits (cache set-dirty/invalidate, era checkpoint/digest) on a writable copy. Besides "no
// crash, no hang, no sanitizer report": a failing check names something, an error names a
// block or a path, and an edit that commits leaves metadata that reads back.
//
// Input: byte 0 as FuzzImage.h (bit 0 checksums left broken, bit 1 unused here), bits 2-3 pick
// the image (cache_v1, cache_v2, era; 3 = era again), then FuzzImage's edit records.

#include "FuzzImage.h"

#include "core/MemoryBlockSource.h"
#include "core/MetadataKind.h"
#include "core/array/ArrayReader.h"
#include "core/bitset/BitsetReader.h"
#include "core/cache/CacheChecker.h"
#include "core/cache/CacheDumper.h"
#include "core/cache/CacheEditor.h"
#include "core/era/EraChecker.h"
#include "core/era/EraDumper.h"
#include "core/era/EraEditor.h"
#include "core/era/EraInvalidator.h"

namespace {

using namespace dms;

constexpr std::size_t kBlocks = 32; // every used block of the three fixtures, and some free

const fuzz::BaseImage& base(unsigned which) {
    static const std::initializer_list<BlockType> types = {
        BlockType::CacheSuperblock, BlockType::EraSuperblock, BlockType::BtreeNode,
        BlockType::Bitmap,          BlockType::MetadataIndex, BlockType::ArrayBlock};
    static const fuzz::BaseImage images[3] = {
        fuzz::loadBaseImage(DMSCOPE_FIXTURES_DIR "/tools/cache_v1.bin.zst", kBlocks, types),
        fuzz::loadBaseImage(DMSCOPE_FIXTURES_DIR "/tools/cache_v2.bin.zst", kBlocks, types),
        fuzz::loadBaseImage(DMSCOPE_FIXTURES_DIR "/tools/era.bin.zst", kBlocks, types)};
    return images[which];
}

OutputBuffer nullOutput() {
    return OutputBuffer([](const char*, std::size_t) { return Status::success(); }, 4096);
}

// An error must say where: a block or a path.
void requireLocated(const Error& e) {
    if (!e.block && e.path.empty() && e.kind != ErrorKind::Usage &&
        e.kind != ErrorKind::Unsupported && e.kind != ErrorKind::Io) {
        std::fprintf(stderr, "error without block or path: %s\n", e.describe().c_str());
        std::abort();
    }
}

void requireNamedFindings(const CheckReport& r) {
    if (r.verdict() != CheckVerdict::Pass && r.findings().empty()) {
        std::fprintf(stderr, "failing verdict without a finding\n");
        std::abort();
    }
}

// Every array value, and a few lookups.
void walkArray(const BlockReader& reader, std::uint64_t root, std::uint64_t n, std::uint32_t vs,
               std::uint64_t salt) {
    ArrayReader a(reader, root, n, vs, "array");
    if (!a.plausible()) return;
    std::uint64_t sum = 0;
    if (Status s = a.forEachValue([&](std::uint64_t i, const std::uint8_t* v) { sum += i + v[0]; });
        !s)
        requireLocated(s.error());
    for (std::uint64_t i : {std::uint64_t(0), salt % (n + 1), n ? n - 1 : 0, n})
        if (auto v = a.get(i); !v) requireLocated(v.error());
    (void)ArrayReader::firstBlockValueSize(reader, root);
    (void)sum;
}

void walkBitset(const BlockReader& reader, std::uint64_t root, std::uint64_t nrBits,
                std::uint64_t salt) {
    BitsetReader b(reader, root, nrBits, "bitset");
    if (!b.array().plausible()) return;
    if (auto w = b.words(); !w) requireLocated(w.error());
    (void)b.test(nrBits ? salt % nrBits : 0);
}

void cache(const std::shared_ptr<MemoryBlockSource>& src, std::uint64_t salt) {
    BlockReader reader(src);
    for (CacheCheckOptions o :
         {CacheCheckOptions{}, CacheCheckOptions{true, true, true, true, 10000},
          CacheCheckOptions{false, false, false, false, 10000}})
        requireNamedFindings(CacheChecker(src, o).run());
    auto sb = CacheSuperblock::read(reader);
    if (!sb) return requireLocated(sb.error());
    for (bool fromBitset : {false, true}) {
        OutputBuffer out = nullOutput();
        if (Status s = dumpCacheMetadata(reader, *sb, {fromBitset}, out); !s)
            requireLocated(s.error());
    }
    (void)dirtyMappingsHiddenByDefault(reader, *sb);
    walkArray(reader, sb->mappingRoot, sb->cacheBlocks, 8, salt);
    walkArray(reader, sb->hintRoot, sb->cacheBlocks, sb->hintWidth() ? sb->hintWidth() : 4, salt);
    walkBitset(reader, sb->discardRoot, sb->discardNrBlocks, salt);
    if (sb->version >= 2) walkBitset(reader, sb->dirtyRoot, sb->cacheBlocks, salt);

    // Edits on a writable copy: errors are fine, crashes are not; a commit must read back.
    auto copy = std::make_shared<MemoryBlockSource>(src->bytes(), true, "fuzz-copy");
    auto ed = CacheEditor::open(copy);
    if (!ed) return;
    // After a failed operation the transaction must be aborted, as the CLI does.
    const std::uint64_t c = sb->cacheBlocks ? salt % sb->cacheBlocks : 0;
    Status s = (*ed)->invalidate((c + 1) % (std::uint64_t(sb->cacheBlocks) + 1));
    if (s && (salt & 4)) s = (*ed)->setDirty(c, salt & 1);
    if (!s) return (*ed)->abort();
    (*ed)->setNeedsCheck(salt & 2);
    if ((*ed)->commit()) {
        auto again = CacheSuperblock::read(BlockReader(copy));
        if (!again) {
            std::fprintf(stderr, "committed cache superblock does not read back: %s\n",
                         again.error().describe().c_str());
            std::abort();
        }
    }
}

void era(const std::shared_ptr<MemoryBlockSource>& src, std::uint64_t salt) {
    BlockReader reader(src);
    requireNamedFindings(EraChecker(src).run());
    auto sb = EraSuperblock::read(reader);
    if (!sb) return requireLocated(sb.error());
    {
        OutputBuffer out = nullOutput();
        if (Status s = dumpEraMetadata(reader, *sb, out); !s) requireLocated(s.error());
    }
    if (auto ws = readEraWritesets(reader, sb->writesetTreeRoot)) {
        for (const EraWritesetEntry& w : *ws)
            walkBitset(reader, w.writeset.root, w.writeset.nrBits, salt);
    } else {
        requireLocated(ws.error());
    }
    walkArray(reader, sb->eraArrayRoot, sb->nrBlocks, 4, salt);
    if (sb->currentWritesetRoot)
        walkBitset(reader, sb->currentWritesetRoot, sb->currentWritesetNrBits, salt);
    for (std::uint32_t since : {0u, std::uint32_t(salt % 8), 0xFFFFFFFFu}) {
        auto blocks = eraBlocksWrittenSince(reader, *sb, since);
        if (!blocks) {
            requireLocated(blocks.error());
            continue;
        }
        OutputBuffer out = nullOutput();
        writeEraInvalidateXml(*blocks, out);
    }

    auto copy = std::make_shared<MemoryBlockSource>(src->bytes(), true, "fuzz-copy");
    auto ed = EraEditor::open(copy);
    if (!ed) return;
    bool ok = (*ed)->checkpoint().ok();
    if (ok && (salt & 1)) ok = (*ed)->digest(std::uint32_t(salt % 8)).ok();
    if (ok && (salt & 2)) ok = (*ed)->checkpoint().ok();
    if (ok && (salt & 4)) ok = (*ed)->digest().ok();
    if (!ok) return (*ed)->abort();
    if ((*ed)->commit()) {
        auto again = EraSuperblock::read(BlockReader(copy));
        if (!again) {
            std::fprintf(stderr, "committed era superblock does not read back: %s\n",
                         again.error().describe().c_str());
            std::abort();
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const unsigned which = size ? (data[0] >> 2) & 3 : 0;
    const fuzz::FuzzImage img = fuzz::buildImageFrom(base(which == 3 ? 2 : which), data, size);
    std::uint64_t salt = 0;
    for (std::size_t i = 0; i < size && i < 64; ++i)
        salt = salt * 131 + data[i];
    auto src = std::make_shared<MemoryBlockSource>(img.bytes, false, "fuzz");
    auto kind = detectMetadataKind(*src);
    if (!kind) return 0;
    if (*kind == MetadataKind::Cache) cache(src, salt);
    if (*kind == MetadataKind::Era) era(src, salt);
    return 0;
}
