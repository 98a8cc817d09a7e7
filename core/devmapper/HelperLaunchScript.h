#pragma once
// The root side of starting dmscope-helper from an AppImage: a fixed POSIX shell script that root
// runs (`pkexec /bin/sh -c SCRIPT dmscope-helper-launcher DIGEST RUNDIR`) with the helper bundle
// on stdin and the helper's socket on stdout. It runs only the host's own programs (sh, mkdir,
// stat, mktemp, cat, sha256sum, tar, rm) until the bundle's SHA-256 equals DIGEST, then the
// helper from that verified copy:
//
//   1. RUNDIR/dmscope-helper-DIGEST is created 0700 (or reused), entered with `cd -P`, and refused
//      unless it is that very path (no symbolic link anywhere in it) and a directory owned by
//      root with mode 0700. Everything after works relative to it, so nobody else can reach it.
//   2. A fresh run.XXXXXXXX directory (mktemp) receives the bundle from stdin; its SHA-256 must be
//      DIGEST, else it is deleted unopened and the script exits 126.
//   3. The verified archive is unpacked there and the helper started from it with its libraries
//      (LD_LIBRARY_PATH=run.X) and `--fd 1`; when it exits the run directory is removed.
//
// The whole script is on the command line polkit shows, beside the digest it checks.

#include <string>
#include <vector>

namespace dms {

// The script text (argument 1 of `sh -c`).
const char* helperLaunchScript();

// Exit status of the script when it refuses (digest, directory) or cannot set up.
inline constexpr int kHelperLaunchRefused = 126;

// `elevate... /bin/sh -c SCRIPT dmscope-helper-launcher DIGEST RUNDIR`.
std::vector<std::string> helperLaunchCommand(const std::vector<std::string>& elevate,
                                             const std::string& digest, const std::string& runDir);

} // namespace dms
