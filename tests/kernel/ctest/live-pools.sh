#!/bin/bash
# ctest kernel_live_pools: dmscope-cli and dmscope-helper against pools the kernel has active, in
# one boot (guest/live-job.sh): `pools` lists them with the kernel's status, `dump --metadata-snap`
# reserves, reads and releases (== thin_dump -m after a manual reserve, also while the pool is
# written), a snapshot left by a dead dmscope is reported and released, a set_transaction_id
# committed while a snapshot is held is flagged as a transaction-id mismatch by `info
# --metadata-snap` (text and JSON, with both ids; not on block 0), check/ls/stats/info --helper
# agree with the direct reads, `edit` on the live
# metadata is refused with EBUSY naming the pool, and after the pool is removed an edit works and
# the kernel reactivates the pool with every thin intact.
# Usage: live-pools.sh PATH/TO/dmscope-cli PATH/TO/dmscope-helper
set -u
KERNEL_DIR=$(cd "$(dirname "$0")/.." && pwd)
CLI=${1:?usage: live-pools.sh DMSCOPE_CLI DMSCOPE_HELPER}
HELPER=${2:?usage: live-pools.sh DMSCOPE_CLI DMSCOPE_HELPER}
. "$KERNEL_DIR/vm.sh"
T0=$(kh_now)
kh_make_rundir
kh_prepare

D=$KH_RUN/disks
mkdir -p "$D" "$KH_RUN/out"
truncate -s 8M "$D/meta.img"
truncate -s 64M "$D/data.img"
truncate -s 4M "$D/meta2.img"
truncate -s 32M "$D/data2.img"
truncate -s 8M "$D/scratch.img"
truncate -s 16M "$D/out.img"
printf 'NDISKS=6\nGUEST_WATCHDOG=400\nCLI=%s\nHELPER=%s\n' "$CLI" "$HELPER" >"$KH_RUN/job.env"
kh_make_initrd "$KERNEL_DIR/guest/live-job.sh" "$KH_RUN/job.env" "$CLI" "$HELPER"
disk() { echo -drive "file=$D/$1.img,format=raw,if=none,id=$1" -device "virtio-blk-pci,drive=$1,serial=$1"; }
# shellcheck disable=SC2046
kh_run_vm 450 $(disk meta) $(disk data) $(disk meta2) $(disk data2) $(disk scratch) $(disk out) ||
    { echo "FAIL: the VM did not finish"; tail -30 "$KH_RUN/console.log"; exit 1; }
G=$KH_RUN/out
tar -xf "$D/out.img" -C "$G" 2>/dev/null || { echo "FAIL: no output from the guest"; tail -30 "$KH_RUN/console.log"; exit 1; }
echo "--- guest job log"
cat "$G/job.log" 2>/dev/null
echo "--- pools as dmscope-cli listed them in the guest"
cat "$G/pools.txt" 2>/dev/null
echo "--- edit refused"
cat "$G/edit-busy.txt" 2>/dev/null
nok=$(grep -c '^ok: ' "$G/checks.txt" 2>/dev/null)
nfail=$(grep -c '^FAIL: ' "$G/checks.txt" 2>/dev/null)
echo "guest checks: ${nok:-0} ok, ${nfail:-0} failed; VM $KH_VM_SECONDS s ($KH_ACCEL_USED), total $(kh_secs "$T0") s"
if [ "$(cat "$G/result" 2>/dev/null)" != done ]; then
    echo "FAIL: the guest job did not run to its end"
    exit 1
fi
# every check of the job must have reported: fewer means some never ran
want=$(grep -c '^ *check "' "$KERNEL_DIR/guest/live-job.sh")
if [ "${nfail:-0}" = 0 ] && [ "${nok:-0}" -ge "$want" ]; then
    echo PASSED
    exit 0
fi
grep '^FAIL' "$G/checks.txt"
exit 1
