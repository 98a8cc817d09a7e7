# Shared by run.sh and test.sh (sourced, not run): the Debian 12 packages dmscope needs, and one
# fixed build root so that ccache hits even when the checkout moves.
#
# Why a fixed root: ccache keys on the compiler's command line, which holds absolute source and
# build paths. A fresh clone at a new path would miss on every file, so the build always goes
# through <root>/src, a symlink to the current checkout, and into <root>/<name>: the command lines
# stay byte-identical from clone to clone (CMake keeps the symlink's path; it does not resolve it).
# CCACHE_BASEDIR stays unset on purpose: ccache resolves symlinks when it rewrites paths relative
# to base_dir, which would bring the moving real path back into the key.

DMS_SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

# Everything needed to build dmscope (core, CLI, GUI) and its tests.
DMS_BUILD_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-qpa-plugins libgl-dev
    libzstd-dev zstd fonts-dejavu-core libdevmapper-dev
)
# Only test.sh: the reference tools, the fuzzing compiler, the format check, screenshots.
DMS_TEST_PACKAGES=(
    thin-provisioning-tools clang libclang-rt-14-dev clang-format xvfb xauth poppler-utils
)
# The AppImage (packaging/build-appimage.sh, ctest label packaging; test.sh installs them): the
# runtime's static libraries, the squashfs and ELF tools, the desktop-file and AppStream checks,
# the icon renderer, ICU's packager (trimmed ICU data) and headers (its test), Qt's Wayland plugins
# and a headless compositor to try them on.
DMS_PACKAGING_PACKAGES=(
    libsquashfuse-dev libfuse3-dev libzstd-dev liblzma-dev liblz4-dev liblzo2-dev zlib1g-dev
    squashfs-tools patchelf desktop-file-utils appstream librsvg2-bin icu-devtools libicu-dev
    qt6-wayland weston fuse3
)

dms_log() { printf '\n== %s ==\n' "$*"; }
dms_die() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
    exit 1
}

# dms_install_packages PKG...: installs the ones that are missing; apt-get update only then.
dms_install_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || dms_die "missing packages (${missing[*]}) and no sudo: run as root"
        sudo=(sudo)
    fi
    dms_log "installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
        dms_die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing[@]}" || dms_die "apt-get install ${missing[*]} failed"
}

# dms_prepare_build_root: sets DMS_BUILD_ROOT, points <root>/src at this checkout, takes the lock
# (one build per root at a time) and sets up ccache.
dms_prepare_build_root() {
    DMS_BUILD_ROOT="${DMSCOPE_BUILD_ROOT:-/var/tmp/dmscope-build}"
    # A root made by another user (e.g. root's CI run) is not ours to reuse.
    if [ -z "${DMSCOPE_BUILD_ROOT:-}" ] && [ -e "$DMS_BUILD_ROOT" ] && [ ! -O "$DMS_BUILD_ROOT" ]; then
        DMS_BUILD_ROOT="/var/tmp/dmscope-build-$(id -u)"
    fi
    mkdir -p "$DMS_BUILD_ROOT" || dms_die "cannot create $DMS_BUILD_ROOT"
    exec 9>"$DMS_BUILD_ROOT/.lock"
    if ! flock -n 9; then
        echo "waiting for another dmscope build in $DMS_BUILD_ROOT to finish..."
        flock 9
    fi
    ln -sfn "$DMS_SOURCE_DIR" "$DMS_BUILD_ROOT/src" || dms_die "cannot link $DMS_BUILD_ROOT/src"

    export CCACHE_DIR="${DMSCOPE_CCACHE_DIR:-${HOME:-/tmp}/.cache/dmscope-ccache}"
    export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
    export CCACHE_NOHASHDIR=1
    unset CCACHE_BASEDIR
    # rcc stamps each resource with its file's mtime, which a fresh clone changes: fix it so the
    # generated qrc source (and its object) stays the same.
    export QT_RCC_SOURCE_DATE_OVERRIDE=1
    mkdir -p "$CCACHE_DIR"
}

# dms_configure NAME CMAKE_ARGS...: configures <root>/NAME from <root>/src. A build dir last used
# for another checkout, or with other arguments, is wiped: ninja compares timestamps only and would
# keep objects built from the other tree (ccache makes the rebuild cheap).
dms_configure() {
    local name="$1"
    shift
    local dir="$DMS_BUILD_ROOT/$name"
    local stamp
    stamp="$(printf '%s\n' "$DMS_SOURCE_DIR" "$@")"
    if [ -f "$dir/CMakeCache.txt" ] && [ "$(cat "$dir/.dmscope-stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "$dir was configured for another checkout or other options: starting it afresh"
        rm -rf "$dir"
    fi
    mkdir -p "$dir"
    cmake -S "$DMS_BUILD_ROOT/src" -B "$dir" -G Ninja "$@" || return 1
    printf '%s\n' "$stamp" >"$dir/.dmscope-stamp"
}

# The GUI build shared by run.sh and test.sh: same arguments, so neither wipes the other's.
DMS_RELEASE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DDMSCOPE_BUILD_GUI=ON -DDMSCOPE_BUILD_TESTS=ON)
