#!/bin/bash
# ctest kernel_corrupt_rejected: one flipped byte in the mapping root, the device-details root or
# the superblock, and a pool with NEEDS_CHECK set, are REJECTED by the kernel, and the report
# shows the kernel's own log lines for each. One boot.
. "$(dirname "$0")/lib.sh"
good=$(plain_image "$FIX/kernel/pool-a/metadata.img.zst" "$SCRATCH")
flip_node_byte "$good" 320 "$SCRATCH/bad-mapping-root.img"
flip_node_byte "$good" 328 "$SCRATCH/bad-details-root.img"
# superblock: a byte of the uuid field (offset 16), covered by the superblock checksum
cp --sparse=always "$good" "$SCRATCH/bad-superblock.img"
printf '\377' | dd of="$SCRATCH/bad-superblock.img" bs=1 seek=16 conv=notrunc status=none
DATA=$FIX/kernel/pool-a/data.img.zst
cat >"$SCRATCH/cases" <<CASES
bad-mapping-root $SCRATCH/bad-mapping-root.img $DATA ids=0,1,5 expect=REJECTED
bad-details-root $SCRATCH/bad-details-root.img $DATA ids=0,1,5 expect=REJECTED
bad-superblock $SCRATCH/bad-superblock.img $DATA ids=0 expect=REJECTED
needs-check $FIX/tools/thin_needs_check.bin.zst pattern expect=REJECTED
CASES
accepts --cases "$SCRATCH/cases"
for c in bad-mapping-root bad-details-root bad-superblock needs-check; do
    check "$c REJECTED" verdict_is "$c" REJECTED
    check "$c: the kernel's log lines are shown" test "$(kernel_lines "$c")" -gt 0
done
check "checksum failures named by the kernel" grep -q 'node_check failed: csum' "$SCRATCH/report.txt"
check "superblock checksum failure named by the kernel" grep -q 'sb_check failed' "$SCRATCH/report.txt"
finish
