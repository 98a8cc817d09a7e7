#pragma once
// Damages metadata images on purpose, for the checker's tests: flips bits, zeroes or swaps
// blocks, edits btree nodes and bitmap entries, and re-seals checksums so that only the
// intended structural error remains. Also locates one block of each kind in an image.

#include "core/BlockType.h"
#include "core/check/CheckOptions.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace dms::test {

// One block of each kind in a thin image, found by following the superblock (0 = none).
struct ImageLayout {
    std::uint64_t metadataIndex = 0;
    std::uint64_t metadataBitmap = 0;
    std::uint64_t metadataRefRoot = 0;
    std::uint64_t dataIndexRoot = 0;
    std::uint64_t dataBitmap = 0;
    std::uint64_t dataRefRoot = 0;
    std::uint64_t detailsRoot = 0;
    std::uint64_t topRoot = 0;
    std::uint64_t topInternal = 0;    // an internal node of the top level, if any
    std::uint64_t topLeaf = 0;        // first leaf of the top level
    std::uint64_t bottomInternal = 0; // first bottom-level root that is an internal node
    std::uint64_t bottomLeaf = 0;     // its first child leaf
    std::uint64_t heldRoot = 0;
};

class Corruptor {
public:
    explicit Corruptor(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}

    const std::vector<std::uint8_t>& bytes() const { return bytes_; }
    std::uint64_t blockCount() const { return bytes_.size() / kBlockSize; }

    std::uint32_t u32(std::uint64_t block, std::size_t offset) const;
    std::uint64_t u64(std::uint64_t block, std::size_t offset) const;
    void setU32(std::uint64_t block, std::size_t offset, std::uint32_t v);
    void setU64(std::uint64_t block, std::size_t offset, std::uint64_t v);

    void flipBit(std::uint64_t block, std::size_t offset, unsigned bit);
    void zeroBlock(std::uint64_t block);
    void swapBlocks(std::uint64_t a, std::uint64_t b);
    void truncate(std::size_t size) { bytes_.resize(size); }
    // Recomputes the checksum (the block number stays as it is).
    void reseal(std::uint64_t block, BlockType type);

    // Btree nodes (FORMAT.md §4); each edit re-seals the node.
    std::uint32_t nrEntries(std::uint64_t node) const { return u32(node, 16); }
    std::uint64_t key(std::uint64_t node, std::uint32_t i) const;
    std::uint64_t value64(std::uint64_t node, std::uint32_t i) const;
    void setKey(std::uint64_t node, std::uint32_t i, std::uint64_t k);
    void setValue64(std::uint64_t node, std::uint32_t i, std::uint64_t v);
    void setNrEntries(std::uint64_t node, std::uint32_t n);
    void swapKeys(std::uint64_t node, std::uint32_t i, std::uint32_t j);

    // Space-map bitmaps (FORMAT.md §5); the edit re-seals the bitmap.
    unsigned bitmapEntry(std::uint64_t bitmap, std::uint64_t entry) const;
    void setBitmapEntry(std::uint64_t bitmap, std::uint64_t entry, unsigned value);

    ImageLayout layout() const;

private:
    std::vector<std::uint8_t> bytes_;
};

// A check's outcome as thin_check's two exit statuses: without and with
// --ignore-non-fatal-errors. (0,0) pass, (1,0) only non-fatal errors, (1,1) fatal.
struct VerdictPair {
    int plain = -1;
    int ignoringNonFatal = -1;
    bool operator==(const VerdictPair&) const = default;
    QString name() const; // "pass", "non-fatal", "fatal" or the raw codes
};

// thin_check 0.9.0 on a file, `extra` options added to both runs.
VerdictPair thinCheckVerdict(const QString& path, const QStringList& extra = {});
// The core checker on an image in memory, with and without ignoreNonFatal.
VerdictPair checkerVerdict(const std::vector<std::uint8_t>& bytes, CheckOptions options = {});
// dmscope-cli check on a file (extra options added to both runs); -1 codes on crash or timeout.
VerdictPair cliVerdict(const QString& path, const QStringList& extra = {});

} // namespace dms::test
