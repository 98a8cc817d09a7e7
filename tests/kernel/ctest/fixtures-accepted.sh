#!/bin/bash
# ctest kernel_fixtures_accepted: the project's fixtures, tool-written and kernel-written, are
# ACCEPTED by the kernel's dm-thin, and every thin reads back the recorded (or, for tool images
# with synthetic data, the computed) content. One boot.
. "$(dirname "$0")/lib.sh"
cat >"$SCRATCH/cases" <<CASES
# tool-written (thin_restore 0.9.0); the data image is synthesised, contents computed from thin_dump
tools-thin_small $FIX/tools/thin_small.bin.zst pattern md5=auto
# two bitmaps, multi-level trees, a 6.4 GB thin: read (O_DIRECT) without hashing
tools-thin_large $FIX/tools/thin_large.bin.zst zero
CASES
# kernel-written (every tests/fixtures/kernel/pool-*), with the md5s the kernel read when it wrote
# them; the state with the metadata snapshot held as well
for p in "$FIX"/kernel/pool-*; do
    n=$(basename "$p")
    [ -f "$p/metadata.img.zst" ] || continue
    echo "$n $p/metadata.img.zst $p/data.img.zst md5=$p/expected-md5.txt" >>"$SCRATCH/cases"
    [ -f "$p/metadata-msnap.img.zst" ] &&
        echo "$n-msnap $p/metadata-msnap.img.zst $p/data.img.zst md5=$p/expected-md5.txt" >>"$SCRATCH/cases"
done
accepts --cases "$SCRATCH/cases"
check "kernel-written pools found under $FIX/kernel" test "$(grep -c '^pool-' "$SCRATCH/cases")" -ge 2
for c in $(awk '!/^#/ { print $1 }' "$SCRATCH/cases"); do
    check "$c ACCEPTED" verdict_is "$c" ACCEPTED
    case $c in tools-thin_large) ;; *) check "$c: every thin reads the expected md5" all_contents_match "$c" ;; esac
done
finish
