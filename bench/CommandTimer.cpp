#include "bench/CommandTimer.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace dms::bench {
namespace {

std::uint64_t anonKiB(const std::string& statusPath) {
    std::ifstream f(statusPath);
    for (std::string line; std::getline(f, line);)
        if (line.rfind("RssAnon:", 0) == 0) return std::strtoull(line.c_str() + 8, nullptr, 10);
    return 0;
}

} // namespace

Timing runTimed(const std::vector<std::string>& argv, const std::string& stderrPath,
                const std::string& stdoutPath) {
    Timing t;
    std::vector<char*> a;
    for (const auto& s : argv)
        a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) return t;
    if (pid == 0) {
        const int devnull = open(stdoutPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (devnull < 0 || err < 0) _exit(126);
        dup2(devnull, 1);
        dup2(err, 2);
        execvp(a[0], a.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    const std::string statusPath = "/proc/" + std::to_string(pid) + "/status";
    for (;;) {
        const pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) break;
        if (r < 0) return t;
        t.maxAnonKiB = std::max(t.maxAnonKiB, anonKiB(statusPath));
        usleep(2000);
    }
    const auto end = std::chrono::steady_clock::now();
    t.wallSeconds = std::chrono::duration<double>(end - start).count();
    t.userSeconds = double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) / 1e6;
    t.sysSeconds = double(ru.ru_stime.tv_sec) + double(ru.ru_stime.tv_usec) / 1e6;
    t.maxRssKiB = static_cast<std::uint64_t>(ru.ru_maxrss);
    t.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (t.exitCode != 0) {
        std::ifstream f(stderrPath);
        std::getline(f, t.stderrHead);
    }
    return t;
}

Timing medianOf(const std::vector<Timing>& runs) {
    Timing m;
    if (runs.empty()) return m;
    auto median = [&](double Timing::*field) {
        std::vector<double> v;
        for (const auto& r : runs)
            v.push_back(r.*field);
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    m.wallSeconds = median(&Timing::wallSeconds);
    m.userSeconds = median(&Timing::userSeconds);
    m.sysSeconds = median(&Timing::sysSeconds);
    m.exitCode = 0;
    for (const auto& r : runs) {
        m.maxRssKiB = std::max(m.maxRssKiB, r.maxRssKiB);
        m.maxAnonKiB = std::max(m.maxAnonKiB, r.maxAnonKiB);
        if (r.exitCode != 0 && m.exitCode == 0) {
            m.exitCode = r.exitCode;
            m.stderrHead = r.stderrHead;
        }
    }
    return m;
}

bool warmPageCache(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) return false;
    std::vector<char> buf(1 << 20);
    while (read(fd, buf.data(), buf.size()) > 0) {
    }
    close(fd);
    return true;
}

} // namespace dms::bench

namespace dms::bench {

bool sameContents(const std::string& a, const std::string& b) {
    std::ifstream fa(a, std::ios::binary);
    std::ifstream fb(b, std::ios::binary);
    if (!fa || !fb) return false;
    std::vector<char> ba(1 << 20);
    std::vector<char> bb(1 << 20);
    for (;;) {
        fa.read(ba.data(), std::streamsize(ba.size()));
        fb.read(bb.data(), std::streamsize(bb.size()));
        if (fa.gcount() != fb.gcount()) return false;
        if (!std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
        if (fa.gcount() == 0) return true;
    }
}

} // namespace dms::bench
