#pragma once
// Reads a refcount btree's entries in key order, one at a time, with memory for one path
// only: the data-count comparison merges it with the bitmaps instead of holding millions of
// entries. Follows only nodes the counting pass validated, never loops (depth is bounded and
// keys must increase), and simply ends where the tree is damaged.

#include "core/check/NodeView.h"
#include "core/check/WalkEnv.h"

#include <optional>
#include <utility>
#include <vector>

namespace dms {

class RefCountCursor {
public:
    RefCountCursor(WalkEnv& env, std::uint64_t root);

    // The first entry with key >= k; k must not decrease from call to call.
    std::optional<std::pair<std::uint64_t, std::uint32_t>> seek(std::uint64_t k) {
        if (!started_) {
            started_ = true;
            ended_ = !advance();
        }
        while (!ended_ && key_ < k)
            ended_ = !advance();
        if (ended_) return std::nullopt;
        return std::pair{key_, value_};
    }

private:
    struct Frame {
        NodeView node;
        std::uint32_t index;
    };
    static constexpr std::size_t kMaxDepth = 64;
    bool advance(); // to the next leaf entry; false at the end
    bool push(std::uint64_t block);

    WalkEnv& env_;
    std::vector<Frame> stack_;
    std::vector<std::vector<std::uint8_t>> copies_; // per depth, when the source is not mapped
    std::uint64_t key_ = 0;
    std::uint32_t value_ = 0;
    bool haveKey_ = false;
    bool started_ = false;
    bool ended_ = false;
};

} // namespace dms
