// libFuzzer target: every on-disk decoder on one arbitrary 4096-byte block (shorter inputs
// are zero-padded): validators and sealing, the superblock, btree node headers and the
// checker's node invariants, space-map roots, index entries, bitmaps and their comparison
// with expected counts, device details and mapping values.

#include "core/BlockType.h"
#include "core/btree/BtreeNode.h"
#include "core/check/BitmapScan.h"
#include "core/check/NodeChecks.h"
#include "core/spacemap/BitmapBlock.h"
#include "core/spacemap/IndexEntry.h"
#include "core/spacemap/SpaceMapRoot.h"
#include "core/thin/DeviceDetails.h"
#include "core/thin/ThinSuperblock.h"

#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dms;
    std::vector<std::uint8_t> bytes(kBlockSize, 0);
    std::memcpy(bytes.data(), data, std::min(size, kBlockSize));
    const std::uint64_t where = size > 8 ? loadLe64(data) % 64 : 0;
    const Block block = Block::borrowed(where, bytes.data());

    for (BlockType t : {BlockType::ThinSuperblock, BlockType::CacheSuperblock,
                        BlockType::EraSuperblock, BlockType::BtreeNode, BlockType::Bitmap,
                        BlockType::MetadataIndex, BlockType::ArrayBlock}) {
        (void)validateBlock(block, t);
        // Sealing then validating must succeed for every type but the superblocks, whose
        // magic is not touched by sealing.
        std::vector<std::uint8_t> sealed = bytes;
        sealBlock(sealed.data(), where, t);
        const Status s = validateBlock(Block::borrowed(where, sealed.data()), t);
        if (!s && s.error().kind != ErrorKind::Magic) std::abort();
    }

    const ThinSuperblock sb = ThinSuperblock::decode(block);
    std::vector<std::uint8_t> encoded(kBlockSize);
    sb.encode(encoded.data());
    if (ThinSuperblock::decode(Block::borrowed(where, encoded.data())).dataMappingRoot !=
        sb.dataMappingRoot)
        std::abort();

    for (std::uint32_t vs : {0u, 4u, 8u, 16u, 24u}) {
        auto node = BtreeNode::fromBlock(block, vs);
        if (node) {
            std::uint64_t sum = 0;
            for (std::uint32_t i = 0; i < node->nrEntries(); ++i) {
                sum += node->key(i);
                sum += node->value(i)[0];
            }
            (void)node->lastKeyAtMost(sum);
            (void)node->find(sum);
        }
        const NodeView view{bytes.data(), where};
        NodeKind kind;
        (void)classifyNode(view, kind);
        NodeCheckContext ctx;
        ctx.expectedValueSize = vs;
        ctx.subRoot = size % 2;
        ctx.leafLike = size % 3;
        if (size % 5) ctx.parentKey = size;
        if (size % 7) ctx.lastLeafKey = size;
        ctx.skipNrEntriesCheck = size % 11 == 0;
        if (!checkNode(view, ctx)) {
            std::uint64_t sum = 0;
            for (std::uint32_t i = 0; i < view.nrEntries(); ++i)
                sum += view.key(i) + view.value(i)[vs ? vs - 1 : 0];
            (void)sum;
        }
    }

    (void)SpaceMapRoot::decode(bytes.data() + 64);
    (void)SpaceMapRoot::decode(bytes.data() + 192);
    for (std::size_t off = 16; off + IndexEntry::kSize <= kBlockSize; off += 256)
        (void)IndexEntry::decode(bytes.data() + off);
    (void)DeviceDetails::decode(bytes.data() + 100);
    (void)BlockTime::unpack(loadLe64(bytes.data() + 200));

    const std::uint64_t n = kEntriesPerBitmap - (size % 97);
    (void)tallyBitmap(bytes.data(), n);
    std::vector<std::uint8_t> expected(kEntriesPerBitmap + 32);
    for (std::size_t i = 0; i < expected.size(); ++i)
        expected[i] = bytes[(i * 7) % kBlockSize] % 6;
    std::uint64_t seen = 0;
    scanBitmap(bytes.data(), expected.data(), n, [&](std::uint64_t e, unsigned value) {
        // Reported entries differ from the expectation or hold 3.
        const unsigned want = expected[e] > 3 ? 3 : expected[e];
        if (e >= n || value != bitmapEntry(bytes.data(), e) || (value == want && value != 3))
            std::abort();
        ++seen;
        return true;
    });
    return 0;
}
