#!/bin/bash
# ctest kernel_restored_pool_work: a pool made by thin_restore from ../restored-pool.xml (shared
# runs with refcount 3, a multi-leaf mapping tree, the last data block) is ACCEPTED, survives the
# guest's write/snapshot/delete round and a reopen, and afterwards the tools on the host agree:
# thin_check passes, the new thin exists, the deleted snapshots do not, and the devices the
# kernel did not write to have exactly the mappings thin_restore gave them, and the one it wrote
# to had its shared block copied.
. "$(dirname "$0")/lib.sh"
meta=$SCRATCH/restored.img
truncate -s 8M "$meta"
thin_restore -i "$KERNEL_DIR/restored-pool.xml" -o "$meta" >/dev/null || { echo "FAIL: thin_restore"; exit 1; }
echo "restored-pool $meta pattern md5=auto work=1" >"$SCRATCH/cases"
accepts --keep "$SCRATCH/keep" --cases "$SCRATCH/cases"
check "restored-pool ACCEPTED" verdict_is restored-pool ACCEPTED
check "restored-pool: every thin reads the expected md5" all_contents_match restored-pool

after=$SCRATCH/keep/restored-pool/metadata-after.img
. "$SCRATCH/keep/restored-pool/case.env" 2>/dev/null || { echo "FAIL: no kept case"; exit 1; }
check "host thin_check passes on the metadata after the kernel's work" thin_check -q "$after"
thin_dump "$meta" >"$SCRATCH/before.xml"
thin_dump "$after" >"$SCRATCH/after.xml"
ids_of() { grep -o 'dev_id="[0-9]*"' "$1" | tr -dc '0-9\n' | sort -n | tr '\n' ' '; }
check "devices after = before + new thin $NEWID (snapshots $((NEWID + 1)), $((NEWID + 2)) deleted)" \
    test "$(ids_of "$SCRATCH/after.xml")" = "$(echo $(ids_of "$SCRATCH/before.xml") $NEWID | tr ' ' '\n' | sort -n | tr '\n' ' ')"
# the work wrote into the smallest existing thin only; every other one must be unchanged
E=$(for s in $DEVS; do echo "${s#*:} ${s%%:*}"; done | sort -n | head -1 | cut -d' ' -f2)
for s in $DEVS; do
    id=${s%%:*}
    [ "$id" = "$E" ] && continue
    check "thin $id: mappings unchanged by the kernel" \
        cmp -s <(dump_runs "$SCRATCH/before.xml" "$id") <(dump_runs "$SCRATCH/after.xml" "$id")
done
# block 0 of thin E was shared (or unmapped): the guest's write must have moved it elsewhere
block0() { dump_runs "$1" "$E" | awk '$1 == 0 { print $2 }'; }
check "thin $E (written by the guest): block 0 now maps a new data block (copy-on-write)" \
    test "$(block0 "$SCRATCH/after.xml")" != "$(block0 "$SCRATCH/before.xml")"
finish
