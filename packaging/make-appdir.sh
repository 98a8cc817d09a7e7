#!/usr/bin/env bash
# make-appdir.sh BUILD_DIR APPDIR: assembles the AppDir of the dmscope AppImage from a build
# directory (Release, GUI on) and the host's Debian Qt packages:
#   AppRun, dmscope.desktop, dmscope.svg, .DirIcon
#   usr/bin/      dmscope, dmscope-cli (and dmscope-helper when the build has one), qt.conf
#   usr/libexec/dmscope/dmscope-helper.bundle   what root runs from an AppImage (verified copy)
#   usr/lib/      every library they and the plugins need, minus packaging/excluded-libs.txt
#   usr/plugins/  the Qt plugins a desktop session needs (X11, Wayland, offscreen, images, SVG)
#   usr/share/    .desktop, hicolor icons (SVG and PNGs), AppStream metainfo
# Every ELF gets an $ORIGIN-relative RUNPATH, so the bundled libraries win over the host's.
# Environment: DMS_ICU=full keeps Debian's 30 MB ICU data library instead of the trimmed one.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
die() {
    echo "make-appdir.sh: $*" >&2
    exit 1
}
[ $# -eq 2 ] || die "usage: make-appdir.sh BUILD_DIR APPDIR"
BUILD="$(cd "$1" && pwd)"
APPDIR="$2"
for tool in ldd patchelf strip rsvg-convert; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/lib.sh: DMS_PACKAGING_PACKAGES)"
done
GUI="$BUILD/app/gui/dmscope"
CLI="$BUILD/app/cli/dmscope-cli"
[ -x "$GUI" ] && [ -x "$CLI" ] || die "$BUILD has no dmscope and dmscope-cli: build them first"
HELPER="$(find "$BUILD/app" -name dmscope-helper -type f -perm -u+x 2>/dev/null | head -n 1)"

rm -rf "$APPDIR"
mkdir -p "$APPDIR"/usr/{bin,lib,plugins} "$APPDIR"/usr/share/{applications,metainfo}

# --- binaries ------------------------------------------------------------------------------------
for bin in "$GUI" "$CLI" ${HELPER:+"$HELPER"}; do
    install -m 755 "$bin" "$APPDIR/usr/bin/"
    strip --strip-unneeded "$APPDIR/usr/bin/$(basename "$bin")"
done
install -m 644 "$HERE/qt.conf" "$APPDIR/usr/bin/qt.conf"
# The helper bundle root runs from a verified copy (make-helper-bundle.sh): byte for byte the
# build's, whose SHA-256 dmscope and dmscope-cli carry.
if [ -n "$HELPER" ]; then
    BUNDLE="$(dirname "$HELPER")/dmscope-helper.bundle"
    [ -f "$BUNDLE" ] || die "$BUNDLE is missing: build dmscope-cli (it makes the bundle)"
    install -D -m 644 "$BUNDLE" "$APPDIR/usr/libexec/dmscope/dmscope-helper.bundle"
fi
install -m 755 "$HERE/AppRun" "$APPDIR/AppRun"

# --- Qt plugins: from the directory of the libQt6Core the GUI was linked against ------------------
QTCORE="$(ldd "$GUI" | awk '$1 == "libQt6Core.so.6" { print $3 }')"
[ -n "$QTCORE" ] || die "ldd finds no libQt6Core.so.6 for $GUI"
PLUGINS="${QT_PLUGINS_DIR:-$(dirname "$(readlink -f "$QTCORE")")/qt6/plugins}"
[ -d "$PLUGINS/platforms" ] || die "no Qt plugins in $PLUGINS (set QT_PLUGINS_DIR)"
# Globs relative to $PLUGINS; a pattern that matches nothing (Wayland without qt6-wayland) is
# simply skipped.
PLUGIN_PATTERNS=(
    platforms/libqxcb.so platforms/libqoffscreen.so 'platforms/libqwayland-*.so'
    'xcbglintegrations/*.so' 'platforminputcontexts/*.so' 'imageformats/*.so'
    iconengines/libqsvgicon.so 'wayland-shell-integration/*.so'
    'wayland-decoration-client/*.so' 'wayland-graphics-integration-client/*.so'
)
for pattern in "${PLUGIN_PATTERNS[@]}"; do
    for plugin in "$PLUGINS"/$pattern; do
        [ -f "$plugin" ] || continue
        rel="${plugin#"$PLUGINS"/}"
        install -D -m 644 "$plugin" "$APPDIR/usr/plugins/$rel"
    done
done
[ -f "$APPDIR/usr/plugins/platforms/libqxcb.so" ] || die "the xcb platform plugin is missing"

# --- libraries: everything ldd resolves for the binaries and plugins, minus the exclusion list -----
mapfile -t EXCLUDED < <(grep -v -e '^#' -e '^$' "$HERE/excluded-libs.txt")
excluded() {
    local pattern
    for pattern in "${EXCLUDED[@]}"; do
        # shellcheck disable=SC2053 # the exclusion list holds globs
        [[ $1 == $pattern ]] && return 0
    done
    return 1
}
bundle_dependencies() {
    local name arrow path
    while read -r name arrow path _; do
        [ "$arrow" = "=>" ] || continue
        [ "$path" != "not" ] || die "$1 needs $name, which this machine does not have"
        excluded "$name" && continue
        [ -e "$APPDIR/usr/lib/$name" ] && continue
        install -m 644 "$(readlink -f "$path")" "$APPDIR/usr/lib/$name"
    done < <(ldd "$1")
}
while IFS= read -r -d '' elf; do
    bundle_dependencies "$elf"
done < <(find "$APPDIR/usr/bin" "$APPDIR/usr/plugins" -type f \( -perm -u+x -o -name '*.so' \) \
    ! -name qt.conf -print0)

# --- ICU: Qt reaches about half of ICU's data; trim-icu-data.sh says which half --------------
if [ "${DMS_ICU:-trimmed}" != full ]; then
    for data in "$APPDIR"/usr/lib/libicudata.so.*; do
        [ -e "$data" ] || continue
        "$HERE/trim-icu-data.sh" "$data" "$data.trimmed"
        mv "$data.trimmed" "$data"
    done
fi

# --- RUNPATHs: relative to each file, so the AppDir works wherever it is mounted ------------------
for f in "$APPDIR"/usr/bin/*; do
    [ "$(basename "$f")" = qt.conf ] || patchelf --set-rpath '$ORIGIN/../lib' "$f"
done
for f in "$APPDIR"/usr/lib/*.so*; do patchelf --set-rpath '$ORIGIN' "$f"; done
for f in "$APPDIR"/usr/plugins/*/*.so; do patchelf --set-rpath '$ORIGIN/../../lib' "$f"; done

# --- desktop integration --------------------------------------------------------------------------
install -m 644 "$SRC/resources/dmscope.desktop" "$APPDIR/usr/share/applications/dmscope.desktop"
install -m 644 "$SRC/resources/dmscope.desktop" "$APPDIR/dmscope.desktop"
install -m 644 "$HERE/dmscope.appdata.xml" "$APPDIR/usr/share/metainfo/dmscope.appdata.xml"
SVG="$SRC/resources/icons/dmscope.svg"
ICONS="$APPDIR/usr/share/icons/hicolor"
install -D -m 644 "$SVG" "$ICONS/scalable/apps/dmscope.svg"
for size in 16 32 48 64 128 256; do
    mkdir -p "$ICONS/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" -o "$ICONS/${size}x${size}/apps/dmscope.png" "$SVG"
done
install -m 644 "$SVG" "$APPDIR/dmscope.svg"
install -m 644 "$ICONS/256x256/apps/dmscope.png" "$APPDIR/.DirIcon"

if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$APPDIR/dmscope.desktop" || die "dmscope.desktop does not validate"
fi
if command -v appstreamcli >/dev/null; then
    # The ID stays "dmscope", matching dmscope.desktop and the GUI's desktop file name, so the
    # reverse-DNS advice is only informational here.
    if ! out="$(appstreamcli validate --no-net --explain \
        --override=cid-desktopapp-is-not-rdns=info \
        "$APPDIR/usr/share/metainfo/dmscope.appdata.xml" 2>&1)"; then
        echo "$out" >&2
        die "the AppStream metainfo does not validate"
    fi
fi
