#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds the dmscope GUI (Release) and starts it:
#   ./run.sh                 the bundled demo pool, read-only
#   ./run.sh IMAGE|DEVICE    a thin-pool metadata image or device, read-only
# Any further arguments go to dmscope (e.g. --metadata-snap).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

case "${1:-}" in
-h | --help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

# dmscope is a desktop program: say so now rather than after a build. QT_QPA_PLATFORM=offscreen
# (or any platform the caller picked) is respected.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    cat >&2 <<'MSG'
run.sh: no display: neither DISPLAY nor WAYLAND_DISPLAY is set.
dmscope is a desktop program; start it from a desktop session, over 'ssh -X', or under a
virtual X server:  xvfb-run -a ./run.sh [IMAGE|DEVICE]
(dmscope-cli, built by ./test.sh, works without a display.)
MSG
    exit 1
fi

RUNTIME_PACKAGES=()
[ -n "${WAYLAND_DISPLAY:-}" ] && RUNTIME_PACKAGES+=(qt6-wayland)
dms_install_packages "${DMS_BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}"
dms_prepare_build_root

BUILD="$DMS_BUILD_ROOT/release"
dms_configure release "${DMS_RELEASE_ARGS[@]}" || dms_die "cmake configure failed"
ninja -C "$BUILD" -j"$(nproc)" dmscope || dms_die "build failed"

exec 9>&- # release the build lock: the GUI may stay open for hours
if [ $# -eq 0 ]; then
    exec "$BUILD/app/gui/dmscope" --demo
fi
exec "$BUILD/app/gui/dmscope" "$@"
