#include "tests/interop/CorruptionContext.h"

#include <fcntl.h>
#include <unistd.h>

namespace dms::test {

std::unique_ptr<CorruptionContext> CorruptionContext::open(const std::string& path, PoolRandom& rng,
                                                           std::string& error) {
    auto source = FileBlockSource::open(path);
    if (!source) {
        error = "cannot open " + path + ": " + source.error().describe();
        return nullptr;
    }
    std::shared_ptr<FileBlockSource> shared(std::move(*source));
    std::unique_ptr<CorruptionContext> c(new CorruptionContext(shared, path, rng));
    auto sb = ThinSuperblock::read(c->reader_);
    if (!sb) {
        error = "unreadable superblock: " + sb.error().describe();
        return nullptr;
    }
    c->sb_ = *sb;
    auto meta = SpaceMapReader::open(c->reader_, c->sb_.metadataSpaceMap, SpaceMapKind::Metadata);
    auto data = SpaceMapReader::open(c->reader_, c->sb_.dataSpaceMap, SpaceMapKind::Data);
    if (!meta || !data) {
        error = "unreadable space maps";
        return nullptr;
    }
    c->meta_.emplace(std::move(*meta));
    c->data_.emplace(std::move(*data));
    (void)c->meta_->forEachRun([&](std::uint64_t b, std::uint64_t e, std::uint32_t count) {
        for (std::uint64_t x = b; count > 0 && x < e; ++x)
            c->used_.push_back(x);
    });
    return c;
}

std::uint64_t CorruptionContext::randomUsedBlock() {
    return used_.empty() ? 0 : used_[rng_->below(used_.size())];
}

BlockBytes CorruptionContext::copy(std::uint64_t block) const {
    BlockBytes b{};
    if (!source_->read(block, b.data())) b.fill(0);
    return b;
}

CorruptionResult CorruptionContext::write(std::uint64_t block, BlockBytes& bytes,
                                          std::optional<BlockType> seal, const std::string& kind,
                                          const std::string& description) {
    if (seal) sealBlock(bytes.data(), block, *seal);
    const int fd = ::open(path_.c_str(), O_WRONLY);
    if (fd < 0) return {false, kind, "cannot open " + path_ + " for writing"};
    const auto n = ::pwrite(fd, bytes.data(), bytes.size(), off_t(block * kBlockSize));
    ::close(fd);
    if (n != ssize_t(bytes.size())) return {false, kind, "cannot write block " + num(block)};
    return {true, kind, description + (seal ? " (resealed)" : " (checksum left stale)")};
}

std::vector<BtreeNode> CorruptionContext::randomPath(std::uint64_t root) {
    std::vector<BtreeNode> path;
    std::uint64_t at = root;
    for (int depth = 0; depth < 16; ++depth) {
        auto node = BtreeNode::read(reader_, at, 0);
        if (!node || node->nrEntries() == 0) return {};
        path.push_back(*node);
        if (node->isLeaf()) return path;
        at = node->valueU64(std::uint32_t(rng_->below(node->nrEntries())));
    }
    return {};
}

std::optional<BtreeNode> CorruptionContext::randomLeaf(std::uint64_t root) {
    auto path = randomPath(root);
    if (path.empty()) return std::nullopt;
    return path.back();
}

std::optional<std::uint64_t> CorruptionContext::randomDeviceRoot() {
    auto top = randomLeaf(sb_.dataMappingRoot);
    if (!top) return std::nullopt;
    return top->valueU64(std::uint32_t(rng_->below(top->nrEntries())));
}

std::optional<BtreeNode> CorruptionContext::randomMappingLeaf() {
    auto root = randomDeviceRoot();
    if (!root) return std::nullopt;
    return randomLeaf(*root);
}

} // namespace dms::test
