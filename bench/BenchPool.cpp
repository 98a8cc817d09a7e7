#include "bench/BenchPool.h"

#include "core/FileBlockSource.h"
#include "core/spacemap/SpaceMapReader.h"
#include "core/thin/ThinMetadata.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace dms::bench {
namespace {

constexpr const char* kGeneratorVersion = "dmscope-bench pool generator 1";

std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t deviceId(unsigned origin, unsigned snapshot) {
    return std::uint64_t(origin) * 1000 + snapshot;
}

void rangeLine(std::ostream& o, std::uint64_t v, std::uint64_t d, std::uint64_t len, unsigned t) {
    if (len == 1)
        o << "    <single_mapping origin_block=\"" << v << "\" data_block=\"" << d << "\" time=\""
          << t << "\"/>\n";
    else
        o << "    <range_mapping origin_begin=\"" << v << "\" data_begin=\"" << d << "\" length=\""
          << len << "\" time=\"" << t << "\"/>\n";
}

// Emits (when out is set) the mappings of snapshot s of origin k and returns how many fresh data
// blocks its diverged chunks took from `cursor`. The same seed gives the same chunks in both
// passes.
std::uint64_t snapshotMappings(const PoolSpec& p, unsigned k, unsigned s, std::uint64_t originBase,
                               std::uint64_t& cursor, std::ostream* out) {
    std::uint64_t seed = deviceId(k, s) * 7919 + 17;
    const std::uint64_t chunks = (p.originBlocks + p.chunkBlocks - 1) / p.chunkBlocks;
    std::uint64_t used = 0;
    std::uint64_t runBegin = 0;
    bool runDiverged = false;
    std::uint64_t runData = 0;
    auto flush = [&](std::uint64_t end) {
        if (end <= runBegin || !out) return;
        if (runDiverged)
            rangeLine(*out, runBegin, runData, end - runBegin, s);
        else
            rangeLine(*out, runBegin, originBase + runBegin, end - runBegin, 0);
    };
    for (std::uint64_t c = 0; c < chunks; ++c) {
        const bool diverged = splitmix(seed) % 1000 < p.divergePerMille;
        const std::uint64_t begin = c * p.chunkBlocks;
        const std::uint64_t len = std::min(p.chunkBlocks, p.originBlocks - begin);
        if (c == 0 || diverged != runDiverged) {
            flush(begin);
            runBegin = begin;
            runDiverged = diverged;
            runData = cursor;
        }
        if (diverged) {
            cursor += len;
            used += len;
        }
    }
    flush(p.originBlocks);
    return used;
}

bool writeXml(const PoolSpec& p, const std::string& path) {
    // Pass 1 sizes the data device, pass 2 writes.
    std::uint64_t cursor = std::uint64_t(p.origins) * p.originBlocks;
    for (unsigned k = 0; k < p.origins; ++k)
        for (unsigned s = 1; s <= p.snapshotsPerOrigin; ++s)
            snapshotMappings(p, k, s, 0, cursor, nullptr);
    const std::uint64_t dataBlocks = (cursor / 16320 + 1) * 16320;

    std::ofstream o(path, std::ios::trunc);
    if (!o) return false;
    o << "<superblock uuid=\"\" time=\"" << p.snapshotsPerOrigin
      << "\" transaction=\"1\" version=\"2\" data_block_size=\"" << p.dataBlockSectors
      << "\" nr_data_blocks=\"" << dataBlocks << "\">\n";
    cursor = std::uint64_t(p.origins) * p.originBlocks;
    for (unsigned k = 0; k < p.origins; ++k) {
        const std::uint64_t base = std::uint64_t(k) * p.originBlocks;
        o << "  <device dev_id=\"" << deviceId(k, 0) << "\" mapped_blocks=\"" << p.originBlocks
          << "\" transaction=\"0\" creation_time=\"0\" snap_time=\"" << p.snapshotsPerOrigin
          << "\">\n";
        rangeLine(o, 0, base, p.originBlocks, 0);
        o << "  </device>\n";
        for (unsigned s = 1; s <= p.snapshotsPerOrigin; ++s) {
            o << "  <device dev_id=\"" << deviceId(k, s) << "\" mapped_blocks=\"" << p.originBlocks
              << "\" transaction=\"0\" creation_time=\"" << s << "\" snap_time=\"" << s << "\">\n";
            snapshotMappings(p, k, s, base, cursor, &o);
            o << "  </device>\n";
        }
    }
    o << "</superblock>\n";
    return bool(o.flush());
}

int runWait(const std::vector<std::string>& argv) {
    std::vector<char*> a;
    for (const auto& s : argv)
        a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execvp(a[0], a.data());
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readFile(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

} // namespace

std::optional<PoolSpec> PoolSpec::named(const std::string& name) {
    PoolSpec p;
    p.name = name;
    if (name == "quick") {
        p.originBlocks = 50000;
        p.snapshotsPerOrigin = 3;
        p.metadataBytes = 32ull << 20;
    } else if (name == "medium") {
        p.originBlocks = 1ull << 20;
        p.snapshotsPerOrigin = 10;
        p.metadataBytes = 1ull << 30;
    } else if (name == "large") {
        // Four times the medium pool's mappings (the issue's ~44 M): two origins of 2 Mi blocks.
        p.origins = 2;
        p.originBlocks = 2ull << 20;
        p.snapshotsPerOrigin = 10;
        p.metadataBytes = 4ull << 30;
    } else {
        return std::nullopt;
    }
    return p;
}

std::string PoolSpec::stamp() const {
    std::ostringstream s;
    s << kGeneratorVersion << " name=" << name << " origins=" << origins
      << " origin_blocks=" << originBlocks << " snapshots=" << snapshotsPerOrigin
      << " diverge_per_mille=" << divergePerMille << " chunk=" << chunkBlocks
      << " metadata_bytes=" << metadataBytes << " data_block_sectors=" << dataBlockSectors << '\n';
    return s.str();
}

std::string ensurePool(const PoolSpec& spec, const std::string& dir, bool rebuild) {
    const std::string image = dir + "/" + spec.name + ".img";
    const std::string stampPath = dir + "/" + spec.name + ".stamp";
    if (!rebuild && access(image.c_str(), R_OK) == 0 && readFile(stampPath) == spec.stamp())
        return image;
    if (runWait({"mkdir", "-p", dir}) != 0) {
        std::cerr << "dmscope-bench: cannot create " << dir << '\n';
        return {};
    }
    std::remove(stampPath.c_str());
    const std::string xml = dir + "/" + spec.name + ".xml";
    const std::string tmp = image + ".tmp";
    std::cerr << "building pool '" << spec.name << "' in " << dir << " (once) ..." << std::endl;
    if (!writeXml(spec, xml)) {
        std::cerr << "dmscope-bench: cannot write " << xml << '\n';
        return {};
    }
    std::remove(tmp.c_str());
    if (runWait({"truncate", "-s", std::to_string(spec.metadataBytes), tmp}) != 0 ||
        runWait({"thin_restore", "-q", "-i", xml, "-o", tmp}) != 0) {
        std::cerr << "dmscope-bench: thin_restore failed for pool '" << spec.name << "'\n";
        return {};
    }
    if (std::rename(tmp.c_str(), image.c_str()) != 0) return {};
    std::remove(xml.c_str());
    std::ofstream(stampPath, std::ios::trunc) << spec.stamp();
    return image;
}

std::optional<PoolFacts> readPoolFacts(const std::string& image) {
    auto src = FileBlockSource::open(image);
    if (!src) return std::nullopt;
    auto md = ThinMetadata::open(std::shared_ptr<const BlockSource>(std::move(*src)));
    if (!md) return std::nullopt;
    const ThinMetadata& m = **md;
    PoolFacts f;
    f.metadataBlocks = m.reader().blockCount();
    f.dataBlocks = m.superblock().dataSpaceMap.nrBlocks;
    auto devs = m.devices(m.superblock());
    if (!devs) return std::nullopt;
    f.devices = devs->size();
    for (const auto& d : *devs)
        f.mappings += d.details.mappedBlocks;
    auto sm =
        SpaceMapReader::open(m.reader(), m.superblock().metadataSpaceMap, SpaceMapKind::Metadata);
    if (!sm) return std::nullopt;
    auto used = sm->countAllocated();
    if (!used) return std::nullopt;
    f.usedMetadataBlocks = *used;
    return f;
}

} // namespace dms::bench
