#include "core/devmapper/MetadataCandidates.h"

#include <cstdlib>

#include <algorithm>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace dms {
namespace {

constexpr std::uint64_t kThinMagic = 27022010;
constexpr std::uint64_t kCacheMagic = 06142003;
constexpr std::uint64_t kEraMagic = 2126579579;
constexpr std::size_t kMagicOffset = 32;

std::string firstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::vector<std::string> entries(const std::string& path) {
    std::vector<std::string> names;
    if (DIR* dir = ::opendir(path.c_str())) {
        while (dirent* e = ::readdir(dir))
            if (e->d_name[0] != '.') names.emplace_back(e->d_name);
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

std::optional<MetadataKind> metadataKindOf(const std::uint8_t* block0, std::size_t size) {
    if (size < kMagicOffset + 8) return std::nullopt;
    std::uint64_t magic = 0;
    for (int i = 7; i >= 0; --i)
        magic = (magic << 8) | block0[kMagicOffset + i];
    if (magic == kThinMagic) return MetadataKind::Thin;
    if (magic == kCacheMagic) return MetadataKind::Cache;
    if (magic == kEraMagic) return MetadataKind::Era;
    return std::nullopt;
}

CandidateScan scanMetadataCandidates(const std::string& sysClassBlock, const std::string& devDir) {
    CandidateScan scan;
    for (const auto& name : entries(sysClassBlock)) {
        const std::string sys = sysClassBlock + "/" + name;
        MetadataCandidate c;
        c.name = name;
        if (!parseDevNo(firstLine(sys + "/dev"), c.dev)) continue;
        c.bytes = std::strtoull(firstLine(sys + "/size").c_str(), nullptr, 10) * 512;
        if (c.bytes < 4096) continue;
        const std::string node = devDir + "/" + name;
        const int fd = ::open(node.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            scan.unreadable.push_back(node);
            continue;
        }
        std::uint8_t block0[4096];
        const ssize_t n = ::pread(fd, block0, sizeof block0, 0);
        ::close(fd);
        if (n < 0) {
            scan.unreadable.push_back(node);
            continue;
        }
        const auto kind = metadataKindOf(block0, static_cast<std::size_t>(n));
        if (!kind) continue;
        c.kind = *kind;
        const std::string dmName = firstLine(sys + "/dm/name");
        c.path = dmName.empty() ? node : devDir + "/mapper/" + dmName;
        c.holders = entries(sys + "/holders");
        scan.found.push_back(std::move(c));
    }
    return scan;
}

} // namespace dms
