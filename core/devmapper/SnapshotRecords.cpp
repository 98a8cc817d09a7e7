#include "core/devmapper/SnapshotRecords.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace dms {
namespace {

constexpr const char* kSuffix = ".held";

Status makeDirs(const std::string& dir) {
    for (std::size_t i = 1; i <= dir.size(); ++i) {
        if (i != dir.size() && dir[i] != '/') continue;
        const std::string part = dir.substr(0, i);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
            return makeError(ErrorKind::Io,
                             "cannot create state directory " + part + ": " + std::strerror(errno));
    }
    return Status::success();
}

std::optional<SnapshotRecord> readRecord(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    SnapshotRecord r;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ls(line);
        std::string key, value;
        ls >> key >> value;
        if (key == "pid") r.pid = std::atoi(value.c_str());
        if (key == "pool") r.pool = value;
        if (key == "metadata") parseDevNo(value, r.metadataDev);
        if (key == "held_root") r.heldRoot = std::strtoull(value.c_str(), nullptr, 10);
        if (key == "since") r.since = std::strtoll(value.c_str(), nullptr, 10);
    }
    if (r.pool.empty() || r.pid <= 0) return std::nullopt;
    r.ownerAlive = processAlive(r.pid);
    return r;
}

} // namespace

bool processAlive(int pid) {
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

SnapshotRecords::SnapshotRecords(std::string dir) : dir_(std::move(dir)) {}

std::string SnapshotRecords::defaultDirectory() {
    if (const char* d = std::getenv("DMSCOPE_STATE_DIR"); d && *d) return d;
    if (::geteuid() == 0) return "/run/dmscope";
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x) return std::string(x) + "/dmscope";
    return "/tmp/dmscope-" + std::to_string(::getuid());
}

std::string SnapshotRecords::fileFor(const std::string& pool) const {
    return dir_ + "/" + pool + kSuffix;
}

Status SnapshotRecords::add(const SnapshotRecord& r) {
    if (r.pool.empty() || r.pool.find('/') != std::string::npos)
        return makeError(ErrorKind::Usage, "bad pool name '" + r.pool + "'");
    if (auto s = makeDirs(dir_); !s) return s;
    const std::string path = fileFor(r.pool);
    const std::string tmp = path + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "pid " << r.pid << "\npool " << r.pool << "\nmetadata " << r.metadataDev.text()
            << "\nheld_root " << r.heldRoot << "\nsince " << r.since << '\n';
        if (!out.flush())
            return makeError(ErrorKind::Io, "cannot write " + tmp + ": " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return makeError(ErrorKind::Io, "cannot write " + path + ": " + std::strerror(errno));
    return Status::success();
}

Status SnapshotRecords::remove(const std::string& pool) {
    if (::unlink(fileFor(pool).c_str()) != 0 && errno != ENOENT)
        return makeError(ErrorKind::Io,
                         "cannot remove " + fileFor(pool) + ": " + std::strerror(errno));
    return Status::success();
}

std::vector<SnapshotRecord> SnapshotRecords::list() const {
    std::vector<SnapshotRecord> out;
    DIR* d = ::opendir(dir_.c_str());
    if (!d) return out;
    while (dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        const std::size_t n = std::strlen(kSuffix);
        if (name.size() <= n || name.compare(name.size() - n, n, kSuffix) != 0) continue;
        if (auto r = readRecord(dir_ + "/" + name)) out.push_back(*r);
    }
    ::closedir(d);
    return out;
}

std::optional<SnapshotRecord> SnapshotRecords::find(const std::string& pool) const {
    return readRecord(fileFor(pool));
}

} // namespace dms
