#include "core/devmapper/HelperLaunchScript.h"

namespace dms {
namespace {

// POSIX sh (dash, busybox). Arguments: $1 the expected SHA-256, $2 the run directory (/run).
constexpr const char* kScript = R"SH(set -u
die() { echo "dmscope-helper launcher: $*" >&2; exit 126; }
digest=$1
base=$2
case $digest in *[!0-9a-f]*) die "malformed digest" ;; esac
[ ${#digest} -eq 64 ] || die "malformed digest"
case $base in /*) ;; *) die "the run directory must be an absolute path" ;; esac
umask 077
top=$base/dmscope-helper-$digest
[ -L "$top" ] && die "$top is a symbolic link: refusing"
[ -e "$top" ] || mkdir -m 700 "$top" 2>/dev/null || [ -d "$top" ] || die "cannot create $top"
cd -P -- "$top" || die "cannot enter $top"
[ "$(pwd -P)" = "$(cd -P -- "$base" && pwd -P)/dmscope-helper-$digest" ] ||
    die "$top resolves to $(pwd -P): refusing"
[ "$(stat -c %u:%a:%F .)" = "0:700:directory" ] ||
    die "$top is not a directory owned by root with mode 0700 ($(stat -c '%u %a %F' .)): refusing"
run=$(mktemp -d run.XXXXXXXX) || die "cannot create a run directory in $top"
cat >"$run/bundle" || { rm -rf -- "$run"; die "cannot receive the bundle"; }
sum=$(sha256sum <"$run/bundle")
sum=${sum%% *}
if [ "$sum" != "$digest" ]; then
    rm -rf -- "$run"
    die "the bundle received has SHA-256 $sum, not $digest: refusing to run it"
fi
tar -x --no-same-owner -f "$run/bundle" -C "$run" || { rm -rf -- "$run"; die "cannot unpack the bundle"; }
rm -f -- "$run/bundle"
LD_LIBRARY_PATH=$run "./$run/dmscope-helper" --fd 1 </dev/null
rc=$?
rm -rf -- "$run"
exit $rc
)SH";

} // namespace

const char* helperLaunchScript() {
    return kScript;
}

std::vector<std::string> helperLaunchCommand(const std::vector<std::string>& elevate,
                                             const std::string& digest, const std::string& runDir) {
    std::vector<std::string> argv = elevate;
    for (const char* a : {"/bin/sh", "-c", kScript, "dmscope-helper-launcher"})
        argv.emplace_back(a);
    argv.push_back(digest);
    argv.push_back(runDir);
    return argv;
}

} // namespace dms
