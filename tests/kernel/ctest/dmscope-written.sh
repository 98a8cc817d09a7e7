#!/bin/bash
# ctest kernel_dmscope_written: pools whose metadata dmscope itself wrote, through the write path
# (dmscope-cli create / edit / restore), are ACCEPTED by the kernel's dm-thin: every thin reads back
# the content the host expects from the mappings (md5=auto on a patterned data device), the guest's
# write/snapshot/delete round works on them, and thin_check passes on what the kernel leaves. One
# boot for all cases. Usage: dmscope-written.sh PATH/TO/dmscope-cli
. "$(dirname "$0")/lib.sh"
CLI=${1:?usage: dmscope-written.sh DMSCOPE_CLI}
run() { "$CLI" "$@" >"$SCRATCH/cli.log" 2>&1 || { echo "FAIL: dmscope-cli $*"; cat "$SCRATCH/cli.log"; exit 1; }; }

# 1. a new pool: thins, runs and singles, snapshots of snapshots, writes to snapshots, a deletion
new=$SCRATCH/new.img
run create "$new" --data-blocks 4096 --metadata-blocks 2048
run edit "$new" create-thin 0 map 0 0 100 300 map 0 1000 50 map 0 4095 999 \
    create-snap 1 0 map 1 5 2000 10 create-snap 2 1 unmap 2 100 20 map 2 7 2100 \
    create-thin 3 map 3 0 3000 40 create-snap 4 3 delete 3 set-transaction-id 5
# 2. a held metadata snapshot, then more writes (the kernel must keep the copy's trees intact)
held=$SCRATCH/held.img
cp "$new" "$held"
run edit "$held" reserve-metadata-snap map 0 0 2500 3 create-thin 9 map 9 0 2600 64
# 3. extended: metadata device and data device grown, new mappings beyond the old data end
ext=$SCRATCH/extended.img
run create "$ext" --data-blocks 2048 --metadata-blocks 1024
run edit "$ext" create-thin 0 map 0 0 0 500 create-snap 1 0
truncate -s 8M "$ext"
run edit "$ext" extend-metadata 1024 extend-data 2048 map 1 600 3000 200 map 0 9000 4000 30
# 4. counts damaged with the expert operations, then rebuild-space-maps
rebuilt=$SCRATCH/rebuilt.img
cp "$new" "$rebuilt"
run edit "$rebuilt" set-count data 100 5 inc meta 1500 set-count data 3500 1
run edit "$rebuilt" rebuild-space-maps
# 5. restore from XML (thin_restore's job) through the write path
restored=$SCRATCH/restored.img
run restore "$KERNEL_DIR/restored-pool.xml" -o "$restored" --metadata-blocks 2048
# 6. the mainline allocation policy
mainline=$SCRATCH/mainline.img
run create "$mainline" --data-blocks 4096 --metadata-blocks 2048 --policy mainline
run edit "$mainline" --policy mainline create-thin 0 map 0 0 10 700 create-snap 1 0 \
    unmap 0 100 200 map 1 50 1500 100

for img in "$new" "$held" "$ext" "$rebuilt" "$restored" "$mainline"; do
    check "host thin_check passes on $(basename "$img") before the VM" thin_check -q "$img"
done
{
    echo "new $new pattern md5=auto work=1"
    # no work round: it takes a metadata snapshot of its own, and one is already held here
    echo "held $held pattern md5=auto"
    echo "extended $ext pattern md5=auto work=1"
    echo "rebuilt $rebuilt pattern md5=auto work=1"
    echo "restored $restored pattern md5=auto work=1"
    echo "mainline $mainline pattern md5=auto work=1"
} >"$SCRATCH/cases"
accepts --cases "$SCRATCH/cases"
for c in new held extended rebuilt restored mainline; do
    check "$c ACCEPTED" verdict_is "$c" ACCEPTED
    check "$c: every thin reads the content its mappings say" all_contents_match "$c"
done
finish
