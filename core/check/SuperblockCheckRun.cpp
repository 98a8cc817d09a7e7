#include "core/check/SuperblockCheckRun.h"

namespace dms {

void addFinding(CheckReport& r, Severity s, FindingCategory c, std::optional<std::uint64_t> block,
                std::string field, std::string message, std::string path) {
    Finding f;
    f.severity = s;
    f.category = c;
    f.block = block;
    f.field = std::move(field);
    f.message = std::move(message);
    f.path = std::move(path);
    r.add(std::move(f));
}

SuperblockCheckRun::SuperblockCheckRun(std::shared_ptr<const BlockSource> source,
                                       std::size_t maxFindings)
    : start_(std::chrono::steady_clock::now()), report_(maxFindings), reader_(std::move(source)),
      blockCount_(reader_.blockCount()) {
    report_.stats.metadataBlocks = blockCount_;
}

std::optional<Block> SuperblockCheckRun::superblock(BlockType type, const char* kindName) {
    if (blockCount_ == 0) {
        addFinding(report_, Severity::Fatal, FindingCategory::File, std::nullopt, "",
                   "metadata device/file too small to hold a superblock");
        return std::nullopt;
    }
    auto raw = reader_.raw(0);
    if (!raw) {
        addFinding(report_, Severity::Fatal, FindingCategory::File, 0, "", raw.error().message);
        return std::nullopt;
    }
    if (computeChecksum(raw->data(), type) != storedChecksum(raw->data())) {
        addFinding(report_, Severity::Fatal, FindingCategory::Superblock, 0, "csum",
                   std::string("superblock checksum mismatch (not ") + kindName +
                       " metadata, or damaged)",
                   "superblock");
        return std::nullopt;
    }
    return std::move(*raw);
}

CheckReport SuperblockCheckRun::finish() {
    report_.stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    report_.sort();
    return report_;
}

} // namespace dms
