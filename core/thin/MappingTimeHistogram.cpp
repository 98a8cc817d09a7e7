#include "core/thin/MappingTimeHistogram.h"

#include "core/btree/BtreeLookup.h"
#include "core/btree/BtreeWalker.h"

namespace dms {
namespace {

constexpr std::size_t kMaxProblems = 100;

class TimeVisitor final : public BtreeVisitor {
public:
    TimeVisitor(MappingTimeHistogram& out, const std::atomic<bool>* cancel)
        : out_(out), cancel_(cancel) {}

    bool enter(std::uint64_t, const BtreeWalkPosition&) override {
        return !(cancel_ && cancel_->load(std::memory_order_relaxed));
    }
    void leaf(const BtreeNode& n, const BtreeWalkPosition&) override {
        const std::uint32_t nr = n.nrEntries();
        const std::uint8_t* values = n.value(0);
        for (std::uint32_t i = 0; i < nr; ++i) {
            const auto time = static_cast<std::uint32_t>(loadLe64(values + 8ull * i) & 0xFFFFFFu);
            // Runs of one time are the common case: count them without a map lookup each.
            if (time == lastTime_ && lastCount_) {
                ++*lastCount_;
            } else {
                lastTime_ = time;
                lastCount_ = &out_.mappings[time];
                ++*lastCount_;
            }
        }
        out_.total += nr;
    }
    void error(const Error& e) override {
        if (out_.problems.size() < kMaxProblems) out_.problems.push_back(e.describe());
    }

private:
    MappingTimeHistogram& out_;
    const std::atomic<bool>* cancel_;
    std::uint32_t lastTime_ = 0;
    std::uint64_t* lastCount_ = nullptr;
};

} // namespace

MappingTimeHistogram MappingTimeHistogram::compute(const ThinMetadata& md, const ThinSuperblock& sb,
                                                   std::uint64_t devId,
                                                   const std::atomic<bool>* cancel) {
    MappingTimeHistogram h;
    auto hit = btreeLookup(md.reader(), sb.dataMappingRoot, devId, 8);
    if (!hit) {
        h.problems.push_back(hit.error().describe());
        return h;
    }
    if (!*hit) {
        h.problems.push_back("device " + std::to_string(devId) + " has no mapping tree");
        return h;
    }
    const std::uint64_t root = loadLe64((*hit)->value());
    BtreeWalkOptions opts;
    opts.leafValueSize = 8;
    opts.treeName = "mapping[dev " + std::to_string(devId) + "]";
    TimeVisitor v(h, cancel);
    BtreeWalker(md.reader(), opts).walk(root, v);
    return h;
}

} // namespace dms
