#!/usr/bin/env bash
# build-appimage.sh BUILD_DIR [OUTPUT_DIR]: builds dmscope-<version>-x86_64.AppImage from an
# existing build directory (Release, GUI on; dmscope and dmscope-cli built) into OUTPUT_DIR
# (default BUILD_DIR/appimage). Everything comes from Debian packages (scripts/lib.sh:
# DMS_PACKAGING_PACKAGES): the runtime is our own C (packaging/runtime), linked statically against
# libsquashfuse and libfuse3; the payload is a zstd squashfs of the AppDir make-appdir.sh builds.
# Environment: DMS_SQUASHFS_LEVEL (zstd level, default 15), DMS_ICU=full (see make-appdir.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() {
    echo "build-appimage.sh: $*" >&2
    exit 1
}
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: build-appimage.sh BUILD_DIR [OUTPUT_DIR]"
BUILD="$(cd "$1" && pwd)"
OUT="${2:-$BUILD/appimage}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$OUT/work"
VERSION="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)"
[ -n "$VERSION" ] || die "$BUILD is not a configured dmscope build directory"
for tool in cc mksquashfs; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/lib.sh: DMS_PACKAGING_PACKAGES)"
done
rm -rf "$WORK"
mkdir -p "$WORK"

# --- the runtime: static, so that it runs before (and without) anything in the payload ----------
"$HERE/runtime/build-runtime.sh" "$WORK/runtime"

# --- the payload ---------------------------------------------------------------------------------
"$HERE/make-appdir.sh" "$BUILD" "$WORK/AppDir"
# Fixed owners and times: the same inputs give the same bytes.
mksquashfs "$WORK/AppDir" "$WORK/payload.squashfs" -comp zstd \
    -Xcompression-level "${DMS_SQUASHFS_LEVEL:-15}" -noappend -all-root -mkfs-time 0 \
    -all-time 0 -no-progress -quiet >/dev/null || die "mksquashfs failed"

IMAGE="$OUT/dmscope-$VERSION-x86_64.AppImage"
cat "$WORK/runtime" "$WORK/payload.squashfs" >"$IMAGE.part"
chmod 755 "$IMAGE.part"
mv "$IMAGE.part" "$IMAGE"
printf 'AppImage: %s\n  runtime %s bytes, payload %s bytes (AppDir %s unpacked)\n' "$IMAGE" \
    "$(stat -c %s "$WORK/runtime")" "$(stat -c %s "$WORK/payload.squashfs")" \
    "$(du -sh --apparent-size "$WORK/AppDir" | cut -f1)"
