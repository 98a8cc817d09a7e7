# Guest job of make-fixtures (busybox sh): builds a thin pool the way a user's pool grows, with the
# kernel's own dm-thin, and records what the kernel and the tools inside the VM saw.
#
# Disks: "meta" (8 MiB) and "data" (256 MiB). The pool sits on two linear devices over the first
# 4 MiB / 192 MiB of them and is extended later, like lvextend does. Volumes (thin ids):
#   1 root    32 MiB ext2 filesystem with files; mounted with discard, so deletions unmap blocks
#   2 data    64 MiB, block patterns, partial writes, a discarded range
#   3 root-snap       snapshot of 1, then 1 changes (copy-on-write)
#   4 root-snap-snap  snapshot of 3, written to;  5 snapshot of 4 (third generation):
#                     unchanged filesystem blocks are shared by 1, 3, 4, 5 (refcount 4)
#   6 scratch written, then deleted
#   7 bulk    300 contiguous blocks (a two-level mapping tree), written after the extension
# Then a metadata snapshot is reserved and more is written (state A, snapshot held), the pool is
# reopened and the snapshot released (state B).
# Output in /out: meta-msnap.img (state A), thin_dump*.xml, thin_ls*.txt, thin_check*.txt,
# dmsetup-status.txt (after each step), dmsetup-table.txt, md5.txt, result.
. /guest/common.sh
. /job.env
set -u
META=$(disk meta) DATA=$(disk data)
BS=128 BYTES=65536
O=/out
step() { echo "--- $*"; }
die() { echo "FAILED: $*"; echo "failed: $*" >$O/result; save_out; exit 1; }
record() { # record LABEL: the pool's status after a step
    { dmsetup status | sort; echo "# ^ $1"; } >>$O/dmsetup-status.txt
}
size_of() { dmsetup table "$1" | awk '{ print $2 }'; }

# linear devices under the pool (MAJ:MIN of the disks: no udev)
dmsetup create pmeta --table "0 8192 linear $META 0" || die "pmeta"
dmsetup create pdata --table "0 393216 linear $DATA 0" || die "pdata"
mkpool() {
    dmsetup create pool --table "0 $(size_of pdata) thin-pool $(devno pmeta) $(devno pdata) $BS 0 0" &&
        dmsetup mknodes pool
}
mkpool || die "pool"
dmsetup table pool | tee $O/pool-table.txt
record "new pool: 4 MiB metadata, 192 MiB data"
msg() { pool_msg pool "$@" || die "message $*"; }
tid=0
commit_tid() { msg set_transaction_id $tid $((tid + 1)); tid=$((tid + 1)); }

step "1 root: ext2 filesystem with files"
msg create_thin 1
thin_create root pool 1 65536 || die "thin 1"
mke2fs -F -L root /dev/mapper/root >/dev/null || die "mke2fs"
mkdir -p /mnt
mount -o discard /dev/mapper/root /mnt || die "mount"
mkdir -p /mnt/etc /mnt/log /mnt/home/user/docs
for i in $(seq 1 40); do seq $((i * 1000)) $((i * 1000 + 300)) >/mnt/etc/config-$i.txt; done
for i in $(seq 1 8); do yes "log line $i: all quiet" | head -c $((i * 48 * 1024)) >/mnt/log/app-$i.log; done
yes "a document worth keeping" | head -c 3000000 >/mnt/home/user/docs/report.txt
yes "to be removed" | head -c 2000000 >/mnt/home/user/docs/old.txt
umount /mnt
commit_tid
record "root written"

step "2 data: block patterns, partial writes, a discarded range"
msg create_thin 2
thin_create data pool 2 131072 || die "thin 2"
for b in $(seq 0 31) 100 101 102 103 500 1023; do put data $b $BYTES "data-b$b"; done
yes "partial" | head -c 4096 | dd of=/dev/mapper/data bs=4096 seek=$((200 * 16 + 5)) conv=notrunc,fsync 2>/dev/null
blkdiscard -o $((8 * BYTES)) -l $((4 * BYTES)) /dev/mapper/data || echo "blkdiscard failed (ignored)"
commit_tid
record "data written, blocks 8-11 discarded"

step "3 root-snap: snapshot of 1, then root changes"
snap_of pool 3 1 root || die "snap 3"
mount -o discard /dev/mapper/root /mnt || die "mount 2"
rm /mnt/home/user/docs/old.txt
for i in 3 7 11; do echo "changed after the snapshot" >>/mnt/etc/config-$i.txt; done
yes "new log" | head -c 500000 >/mnt/log/new.log
umount /mnt
commit_tid
record "snapshot 3 of 1; root changed (a file deleted with discard)"

step "4, 5: snapshots of the snapshot"
snap_of pool 4 3 || die "snap 4"
thin_create rsnap2 pool 4 65536 || die "thin 4"
for b in 200 201 202; do put rsnap2 $b $BYTES "snap4-b$b"; done
snap_of pool 5 4 rsnap2 || die "snap 5"
commit_tid
record "snapshot 4 of 3 (written), snapshot 5 of 4"

step "6 scratch: written, then deleted"
msg create_thin 6
thin_create scratch pool 6 65536 || die "thin 6"
for b in $(seq 0 39); do put scratch $b $BYTES "scratch-b$b"; done
dmsetup remove scratch
msg delete 6
commit_tid
record "thin 6 written and deleted"

step "extend: metadata 4 -> 8 MiB, data 192 -> 256 MiB (thins inactive)"
dmsetup remove root
dmsetup remove data
dmsetup remove rsnap2
dmsetup suspend pool || die "suspend pool"
resize_linear() { # NAME SECTORS DISK
    dmsetup suspend "$1" && dmsetup reload "$1" --table "0 $2 linear $3 0" && dmsetup resume "$1" ||
        die "resize $1"
}
resize_linear pmeta 16384 "$META"
resize_linear pdata 524288 "$DATA"
dmsetup reload pool --table "0 524288 thin-pool $(devno pmeta) $(devno pdata) $BS 0 0" || die "reload pool"
dmsetup resume pool || die "resume pool"
dmsetup table pool | tee -a $O/pool-table.txt
record "after the extension"

step "7 bulk: 300 contiguous blocks"
msg create_thin 7
thin_create bulk pool 7 65536 || die "thin 7"
yes "bulk data" | head -c $((300 * BYTES)) | dd of=/dev/mapper/bulk bs=$BYTES seek=100 conv=notrunc,fsync 2>/dev/null
thin_create data pool 2 131072 || die "thin 2 again"
for b in 600 601 602 1000; do put data $b $BYTES "data-after-extend-b$b"; done
commit_tid
record "thin 7 written; more blocks on 2"

step "metadata snapshot held, then more writes"
msg reserve_metadata_snap
record "metadata snapshot reserved"
put data 0 $BYTES "data-b0-after-msnap"
put bulk 399 $BYTES "bulk-last-after-msnap"
commit_tid
record "final (metadata snapshot held)"

thin_create root pool 1 65536 && thin_create rsnap pool 3 65536 && thin_create rsnap2 pool 4 65536 &&
    thin_create rsnap3 pool 5 65536 || die "activating for md5"
dmsetup table | sort >$O/dmsetup-table.txt
: >$O/md5.txt
for d in root data rsnap rsnap2 rsnap3 bulk; do
    echo "$(dmsetup table $d | awk '{ print $5 }') $(dev_md5 $d) $(size_of $d) $d" >>$O/md5.txt
done
cat $O/md5.txt
for d in root data rsnap rsnap2 rsnap3 bulk; do dmsetup remove $d || die "remove $d"; done
dmsetup remove pool && dmsetup remove pmeta && dmsetup remove pdata || die "teardown (held)"
save_out

step "state A: pool closed with the metadata snapshot held"
thin_check $META >$O/thin_check-msnap.txt 2>&1 || die "thin_check (held)"
thin_dump $META >$O/thin_dump-msnap.xml && thin_dump -m $META >$O/thin_dump-msnap-heldroot.xml || die "thin_dump (held)"
thin_ls -o DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS,TRANSACTION,CREATE_TIME,SNAP_TIME $META >$O/thin_ls-msnap.txt 2>&1
dd if=$META of=$O/meta-msnap.img bs=1M iflag=direct 2>/dev/null || die "copy state A"

step "state B: reopen, release the metadata snapshot, close"
dmsetup create pmeta --table "0 16384 linear $META 0" && dmsetup create pdata --table "0 524288 linear $DATA 0" &&
    mkpool || die "reopen"
record "reopened"
msg release_metadata_snap
record "metadata snapshot released"
dmsetup remove pool && dmsetup remove pmeta && dmsetup remove pdata || die "teardown"
thin_check $META >$O/thin_check.txt 2>&1 || die "thin_check"
thin_dump $META >$O/thin_dump.xml || die "thin_dump"
thin_ls -o DEV,MAPPED_BLOCKS,EXCLUSIVE_BLOCKS,SHARED_BLOCKS,TRANSACTION,CREATE_TIME,SNAP_TIME $META >$O/thin_ls.txt 2>&1
cat $O/thin_ls.txt
sync
sha256sum $META $DATA | awk '{ print $1 }' >$O/sha256-in-guest.txt
echo ok >$O/result
echo "JOB OK"
