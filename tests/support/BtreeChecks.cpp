#include "tests/support/BtreeChecks.h"

#include <cstring>

namespace dms::test {

std::uint64_t ValueLedger::token(const std::uint8_t* v, std::uint32_t size) {
    return size == 4 ? loadLe32(v) : loadLe64(v);
}

std::vector<std::uint8_t> ValueLedger::encode(std::uint64_t token, std::uint32_t size) {
    std::vector<std::uint8_t> v(size);
    if (size == 4) {
        storeLe32(v.data(), static_cast<std::uint32_t>(token));
        return v;
    }
    storeLe64(v.data(), token);
    for (std::uint32_t i = 8; i < size; ++i)
        v[i] = static_cast<std::uint8_t>(token * 7 + i);
    return v;
}

std::vector<std::uint8_t> ValueLedger::issue(std::uint64_t token, std::uint32_t size) {
    ++refs[token];
    return encode(token, size);
}

BtreeValueType ValueLedger::type(std::uint32_t size) {
    BtreeValueType t;
    t.size = size;
    t.inc = [this, size](const std::uint8_t* v) {
        ++incs;
        ++refs[token(v, size)];
        return Status::success();
    };
    t.dec = [this, size](const std::uint8_t* v) -> Status {
        ++decs;
        std::int64_t& r = refs[token(v, size)];
        if (r <= 0) {
            if (error.empty()) error = "dec of value " + std::to_string(token(v, size)) + " at 0";
            return makeError(ErrorKind::Corrupt, error);
        }
        --r;
        return Status::success();
    };
    return t;
}

BtreeRig::BtreeRig(std::uint64_t blocks)
    : device(std::make_shared<MemoryBlockSource>(std::vector<std::uint8_t>(blocks * kBlockSize))),
      sm(blocks), tm(device) {
    tm.setSpaceMap(&sm);
    (void)sm.inc(0);
}

Status BtreeRig::commit() {
    if (Status s = sm.commit(); !s) return s;
    std::vector<std::uint8_t> sb(kBlockSize, 0);
    storeLe64(sb.data() + 32, kThinSuperblockMagic);
    return tm.commit(sb.data(), BlockType::ThinSuperblock, 0);
}

void BtreeRig::abort() {
    tm.abort();
    sm.rollback();
}

namespace {

class ContentVisitor final : public BtreeVisitor {
public:
    ContentVisitor(std::uint32_t vs, bool strict) : vs_(vs), strict_(strict) {}
    void node(const BtreeNode& n, const BtreeWalkPosition& pos) override {
        if (!strict_) return;
        const std::uint64_t b = n.number();
        if (n.maxEntries() != btreeMaxEntries(n.valueSize()))
            problem(b, "max_entries " + std::to_string(n.maxEntries()));
        if (!pos.path.empty() && n.nrEntries() > 0 && pos.lowKey && n.key(0) != *pos.lowKey)
            problem(b, "first key " + std::to_string(n.key(0)) + " != parent key " +
                           std::to_string(*pos.lowKey));
        const std::uint8_t* d = n.block().data();
        const std::size_t keysEnd = kNodeHeaderSize + 8ull * n.maxEntries();
        for (std::size_t o = kNodeHeaderSize + 8ull * n.nrEntries(); o < keysEnd; ++o)
            if (d[o]) return problem(b, "unused key byte at " + std::to_string(o) + " not zero");
        const std::size_t valuesEnd = keysEnd + std::size_t(n.valueSize()) * n.maxEntries();
        for (std::size_t o = keysEnd + std::size_t(n.valueSize()) * n.nrEntries(); o < valuesEnd;
             ++o)
            if (d[o]) return problem(b, "unused value byte at " + std::to_string(o) + " not zero");
    }
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i) {
            const std::uint64_t tok = ValueLedger::token(n.value(i), vs_);
            const auto want = ValueLedger::encode(tok, vs_);
            if (strict_ && std::memcmp(want.data(), n.value(i), vs_) != 0)
                problem(n.number(), "value " + std::to_string(i) + " garbled");
            entries.emplace_back(n.key(i), tok);
        }
    }
    void error(const Error& e) override { problems.push_back(e.describe()); }

    std::vector<std::pair<std::uint64_t, std::uint64_t>> entries;
    std::vector<std::string> problems;

private:
    void problem(std::uint64_t b, const std::string& what) {
        problems.push_back("block " + std::to_string(b) + ": " + what);
    }
    std::uint32_t vs_;
    bool strict_;
};

class PointerVisitor final : public BtreeVisitor {
public:
    PointerVisitor(std::vector<std::uint32_t>& expected, std::unordered_set<std::uint64_t>& seen,
                   const std::function<void(const std::uint8_t*)>& onValue)
        : expected_(expected), seen_(seen), onValue_(onValue) {}
    bool enter(std::uint64_t b, const BtreeWalkPosition&) override {
        ++expected_[b];
        return seen_.insert(b).second;
    }
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        for (std::uint32_t i = 0; i < n.nrEntries(); ++i)
            onValue_(n.value(i));
    }
    void error(const Error& e) override {
        if (firstError.empty()) firstError = e.describe();
    }
    std::string firstError;

private:
    std::vector<std::uint32_t>& expected_;
    std::unordered_set<std::uint64_t>& seen_;
    const std::function<void(const std::uint8_t*)>& onValue_;
};

} // namespace

std::string checkBtree(const BlockReader& reader, std::uint64_t root, const BtreeModel& model,
                       std::uint32_t valueSize, bool writerInvariants) {
    BtreeWalkOptions opts;
    opts.leafValueSize = valueSize;
    BtreeWalker walker(reader, opts);
    ContentVisitor check(valueSize, writerInvariants);
    walker.walk(root, check);
    const std::string at = "tree " + std::to_string(root) + ": ";
    if (!check.problems.empty()) return at + check.problems[0];
    if (check.entries.size() != model.size())
        return at + std::to_string(check.entries.size()) + " entries, model " +
               std::to_string(model.size());
    auto it = model.begin();
    for (const auto& [k, tok] : check.entries) {
        if (k != it->first || tok != it->second)
            return at + "entry " + std::to_string(k) + "->" + std::to_string(tok) + ", model " +
                   std::to_string(it->first) + "->" + std::to_string(it->second);
        ++it;
    }
    return {};
}

PointerCounter::PointerCounter(const BlockReader& reader, std::uint64_t nrBlocks)
    : reader_(reader), expected_(nrBlocks, 0) {}

bool PointerCounter::addTree(std::uint64_t root, std::uint32_t valueSize,
                             const std::function<void(const std::uint8_t*)>& onValue) {
    const std::function<void(const std::uint8_t*)> tokenCount = [&](const std::uint8_t* v) {
        ++tokens_[ValueLedger::token(v, valueSize)];
    };
    BtreeWalkOptions opts;
    opts.leafValueSize = valueSize;
    BtreeWalker walker(reader_, opts);
    PointerVisitor v(expected_, seen_, onValue ? onValue : tokenCount);
    walker.walk(root, v);
    if (!v.firstError.empty() && error_.empty()) error_ = v.firstError;
    return v.firstError.empty();
}

std::string compareCounts(PointerCounter& counter, CountingSpaceMap& sm,
                          const ValueLedger* ledger) {
    if (!counter.error().empty()) return counter.error();
    std::vector<std::uint32_t> expected = counter.expected();
    ++expected[0]; // the superblock
    for (std::uint64_t b = 0; b < expected.size(); ++b)
        if (expected[b] != sm.counts()[b])
            return "block " + std::to_string(b) + ": count " + std::to_string(sm.counts()[b]) +
                   ", pointers " + std::to_string(expected[b]);
    if (!ledger) return {};
    if (!ledger->error.empty()) return ledger->error;
    const auto& tokens = counter.tokens();
    for (const auto& [tok, n] : ledger->refs) {
        const std::int64_t held = tokens.count(tok) ? tokens.at(tok) : 0;
        if (n != held)
            return "value " + std::to_string(tok) + ": ledger " + std::to_string(n) + ", held by " +
                   std::to_string(held) + " leaves";
    }
    for (const auto& [tok, n] : tokens)
        if (!ledger->refs.count(tok)) return "value " + std::to_string(tok) + " never issued";
    return {};
}

std::string checkCounts(BtreeRig& rig, const std::vector<std::uint64_t>& roots,
                        std::uint32_t valueSize, const ValueLedger& ledger) {
    PointerCounter counter(rig.tm.reader(), rig.sm.nrBlocks());
    for (std::uint64_t root : roots)
        counter.addTree(root, valueSize);
    return compareCounts(counter, rig.sm, &ledger);
}

std::set<std::uint64_t> btreeBlocks(const BlockReader& reader, std::uint64_t root,
                                    std::uint32_t valueSize) {
    struct Collect final : BtreeVisitor {
        std::set<std::uint64_t> blocks;
        void node(const BtreeNode& n, const BtreeWalkPosition&) override {
            blocks.insert(n.number());
        }
    } c;
    BtreeWalkOptions opts;
    opts.leafValueSize = valueSize;
    BtreeWalker(reader, opts).walk(root, c);
    return c.blocks;
}

std::size_t countOutside(const std::set<std::uint64_t>& a, const std::set<std::uint64_t>& b) {
    std::size_t n = 0;
    for (std::uint64_t x : a)
        n += !b.count(x);
    return n;
}

unsigned heightOf(BtreeRig& rig, std::uint64_t root) {
    auto h = btreeHeight(rig.tm.reader(), root);
    return h ? *h : 0;
}

std::uint64_t existingKey(const BtreeModel& m, std::uint64_t point) {
    if (m.empty()) return point;
    auto it = m.lower_bound(point);
    return it == m.end() ? m.begin()->first : it->first;
}

std::vector<std::uint8_t> le64Bytes(std::uint64_t v) {
    std::vector<std::uint8_t> b(8);
    storeLe64(b.data(), v);
    return b;
}

std::string fillSequential(BtreeWriter& w, std::uint64_t& root, BtreeModel& model,
                           ValueLedger& ledger, std::uint64_t first, std::uint64_t n) {
    const std::uint32_t vs = w.valueType().size;
    for (std::uint64_t k = first; k < first + n; ++k) {
        auto r = w.insert(root, k, ledger.issue(k + 1, vs));
        if (!r) return r.error().describe();
        root = r->root;
        model[k] = k + 1;
    }
    return {};
}

} // namespace dms::test
