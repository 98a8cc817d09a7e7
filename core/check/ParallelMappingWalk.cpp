#include "core/check/ParallelMappingWalk.h"

#include <climits>
#include <system_error>
#include <thread>

namespace dms {

bool ParallelMappingWalk::isInternal(std::uint64_t block) const {
    if (block >= env_.nrBlocks) return false;
    const std::uint8_t* p = env_.source->mapped(block);
    if (!p) return false; // unmapped sources are walked without splitting
    const std::uint32_t flags = loadLe32(p + 4);
    return (flags & 1) && !(flags & 2);
}

std::vector<ParallelMappingWalk::Item>
ParallelMappingWalk::split(const std::vector<DeviceRoot>& roots) {
    std::vector<Item> items;
    items.reserve(roots.size());
    for (std::size_t d = 0; d < roots.size(); ++d) {
        Item it;
        it.device = d;
        it.start.block = roots[d].root;
        it.start.level = 1;
        it.start.pathBlocks = roots[d].topPath;
        it.start.subTreeKey = roots[d].id;
        it.start.subTreeKeyAt = roots[d].topPath.size();
        items.push_back(std::move(it));
    }
    // Expand internal nodes a level at a time until there is enough work to share.
    const std::size_t enough = 16 * std::size_t(threads_);
    for (int round = 0; round < 4 && threads_ > 1 && items.size() < enough; ++round) {
        std::vector<Item> next;
        bool expanded = false;
        for (Item& it : items) {
            if (env_.aborted() || !isInternal(it.start.block)) {
                next.push_back(std::move(it));
                continue;
            }
            const DeviceRoot& dev = roots[it.device];
            MappingHandler handler(data_, dev.time, true);
            TreeWalker walker(env_, *dev.spec, WalkMode::Count, &handler);
            std::vector<SubtreeStart> children;
            walker.setExpandInto(&children);
            walker.walkSubtree(it.start);
            for (SubtreeStart& c : children) {
                Item child;
                child.device = it.device;
                child.start = std::move(c);
                next.push_back(std::move(child));
            }
            expanded = true;
        }
        items = std::move(next);
        if (!expanded) break;
    }
    return items;
}

void ParallelMappingWalk::checkAcrossItems(const std::vector<DeviceRoot>& roots,
                                           const std::vector<Item>& items) {
    std::size_t i = 0;
    while (i < items.size()) {
        const std::size_t device = items[i].device;
        std::optional<std::uint64_t> last;
        std::optional<unsigned> depth;
        bool depthWarned = false;
        for (; i < items.size() && items[i].device == device; ++i) {
            const Item& it = items[i];
            if (it.firstLeafKey && last && *last >= *it.firstLeafKey) {
                Finding f;
                f.severity = Severity::NonFatal;
                f.category = FindingCategory::Node;
                f.block = it.start.block;
                f.field = "keys";
                f.message = "leaf keys of device " + std::to_string(roots[device].id) +
                            " do not increase across subtrees";
                env_.add(std::move(f));
            }
            if (it.lastLeafKey) last = it.lastLeafKey;
            if (it.leafDepth && *it.leafDepth != UINT_MAX) {
                if (!depth) depth = it.leafDepth;
                if (*depth != *it.leafDepth && !depthWarned) {
                    Finding f;
                    f.severity = Severity::Warning;
                    f.category = FindingCategory::Node;
                    f.block = it.start.block;
                    f.field = "flags";
                    f.message = "leaves of device " + std::to_string(roots[device].id) +
                                " lie at depths " + std::to_string(*depth) + " and " +
                                std::to_string(*it.leafDepth);
                    env_.add(std::move(f));
                    depthWarned = true;
                }
            }
        }
    }
}

void ParallelMappingWalk::run(const std::vector<DeviceRoot>& roots) {
    std::vector<Item> items = split(roots);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        MappingHandler handler(data_, 0, true);
        for (;;) {
            const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= items.size() || env_.aborted()) break;
            Item& it = items[i];
            const DeviceRoot& dev = roots[it.device];
            handler.setTime(dev.time);
            TreeWalker walker(env_, *dev.spec, WalkMode::Count, &handler);
            walker.walkSubtree(it.start);
            it.firstLeafKey = walker.firstLeafKey();
            it.lastLeafKey = walker.lastLeafKey();
            it.leafDepth = walker.leafDepth();
        }
    };
    const unsigned extra = items.size() > 1 ? std::min<std::size_t>(threads_, items.size()) - 1 : 0;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < extra; ++t) {
        try {
            pool.emplace_back(work);
        } catch (const std::system_error&) {
            break; // no more threads to be had: the others share the work
        }
    }
    work();
    for (auto& t : pool)
        t.join();
    if (!env_.aborted()) checkAcrossItems(roots, items);
}

} // namespace dms
