#pragma once
// Checks for tests of btree writers: a value ledger that counts each value's holders through a
// BtreeValueType's inc/dec, a rig (in-memory device + CountingSpaceMap + transaction manager),
// and walkers that compare a tree with a std::map model (plus the writer's invariants) and every
// block's reference count with the pointers found from a set of live roots.

#include "core/MemoryBlockSource.h"
#include "core/btree/BtreeValueType.h"
#include "core/btree/BtreeWalker.h"
#include "core/btree/BtreeWriter.h"
#include "core/tx/TransactionManager.h"
#include "tests/support/CountingSpaceMap.h"
#include "tests/support/Require.h"

#include <QTest>

#include <map>
#include <set>
#include <string>
#include <unordered_set>

namespace dms::test {

// Values carry a token (u32 for 4-byte values, else a u64 followed by a token-derived pattern).
// refs[token]: 1 when the test inserts it (the reference the tree takes over), then +inc -dec.
struct ValueLedger {
    std::map<std::uint64_t, std::int64_t> refs;
    std::string error; // first dec of a value at 0
    std::uint64_t incs = 0;
    std::uint64_t decs = 0;

    static std::uint64_t token(const std::uint8_t* v, std::uint32_t size);
    static std::vector<std::uint8_t> encode(std::uint64_t token, std::uint32_t size);
    // A fresh token's value, with its one reference recorded.
    std::vector<std::uint8_t> issue(std::uint64_t token, std::uint32_t size);
    BtreeValueType type(std::uint32_t size);
};

// A metadata device in memory, the test space map (block 0 held for a superblock) and a TM.
struct BtreeRig {
    std::shared_ptr<MemoryBlockSource> device;
    CountingSpaceMap sm;
    TransactionManager tm;

    explicit BtreeRig(std::uint64_t blocks);
    // Commits the space map, then the transaction with a minimal thin superblock image.
    Status commit();
    // Drops the transaction and the space map's changes since the last commit.
    void abort();
};

using BtreeModel = std::map<std::uint64_t, std::uint64_t>; // key -> token

// Empty when the tree holds exactly `model` and keeps the walker's invariants and, with
// writerInvariants, this writer's own: max_entries by value size, parent key = first key of
// child, zeroed unused slots (kernel-written trees keep only the walker's).
std::string checkBtree(const BlockReader& reader, std::uint64_t root, const BtreeModel& model,
                       std::uint32_t valueSize, bool writerInvariants = true);

// Pointer counts: +1 per pointer to a node (each root is one), a shared node's own pointers
// counted once. Leaf values go to onValue once per distinct leaf (default: ledger tokens).
class PointerCounter {
public:
    PointerCounter(const BlockReader& reader, std::uint64_t nrBlocks);
    // Counts one pointer to `root` and everything below; false (and error()) on a walk error.
    bool addTree(std::uint64_t root, std::uint32_t valueSize,
                 const std::function<void(const std::uint8_t* value)>& onValue = {});
    std::vector<std::uint32_t>& expected() { return expected_; }
    const std::map<std::uint64_t, std::int64_t>& tokens() const { return tokens_; }
    const std::string& error() const { return error_; }

private:
    const BlockReader& reader_;
    std::vector<std::uint32_t> expected_;
    std::unordered_set<std::uint64_t> seen_;
    std::map<std::uint64_t, std::int64_t> tokens_;
    std::string error_;
};

// Empty when every block's count equals the pointers found (+1 for block 0) and, with a
// ledger, every token's count equals the distinct leaves holding it.
std::string compareCounts(PointerCounter& counter, CountingSpaceMap& sm, const ValueLedger* ledger);
std::string checkCounts(BtreeRig& rig, const std::vector<std::uint64_t>& roots,
                        std::uint32_t valueSize, const ValueLedger& ledger);

// The nodes of a tree.
std::set<std::uint64_t> btreeBlocks(const BlockReader& reader, std::uint64_t root,
                                    std::uint32_t valueSize);
// Members of a not in b.
std::size_t countOutside(const std::set<std::uint64_t>& a, const std::set<std::uint64_t>& b);
// Levels of the tree seen through the rig's transaction; 0 when it cannot be read.
unsigned heightOf(BtreeRig& rig, std::uint64_t root);
// An existing key of the model at or after a point (wrapping; the point itself when empty).
std::uint64_t existingKey(const BtreeModel& m, std::uint64_t point);
std::vector<std::uint8_t> le64Bytes(std::uint64_t v);
// Inserts keys first..first+n-1 in order (token key + 1). Empty on success.
std::string fillSequential(BtreeWriter& w, std::uint64_t& root, BtreeModel& model,
                           ValueLedger& ledger, std::uint64_t first, std::uint64_t n);

} // namespace dms::test

namespace dms::test {} // namespace dms::test
