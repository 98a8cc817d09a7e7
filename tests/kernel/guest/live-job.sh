# Guest job of ctest/live-pools.sh (busybox sh): dmscope-cli and dmscope-helper against pools the
# kernel has active. Every check prints "ok: ..." or "FAIL: ..." into /out/checks.txt; the host
# counts them. Raw outputs (pools listing, dumps, status lines) are kept in /out for the log.
#
# Disks: meta (8 MiB) + data (64 MiB) carry pool "livea" directly (metadata named /dev/vdX through
# sysfs); meta2 + data2 carry pool "liveb" through linear devices b_tmeta / b_tdata (named like
# LVM's hidden _tmeta / _tdata); scratch (8 MiB) takes a copy of livea's metadata.
. /guest/common.sh
. /job.env # CLI, HELPER
set -u
O=/out
C=$O/checks.txt
: >$C
ok() { echo "ok: $*" >>$C; echo "ok: $*"; }
bad() { echo "FAIL: $*" >>$C; echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
    _d=$1
    shift
    if "$@" >>$O/check-cmds.log 2>&1; then ok "$_d"; else bad "$_d"; fi
}
# held_root POOL: the held-root field of the pool's status line ("-" when none is held)
held_root() { dmsetup status "$1" | awk '{ print $7 }'; }
devno_of() { cat "/sys/class/block/${1##*/}/dev"; }
tid_of() { dmsetup status "$1" | awk '{ print $4 }'; }
META=$(disk meta) DATA=$(disk data) META2=$(disk meta2) DATA2=$(disk data2) SCRATCH=$(disk scratch)
BS=128 BYTES=65536

echo "--- pools and data"
pool_create livea "$META" "$DATA" $BS || bad "create pool livea"
pool_msg livea create_thin 0 && thin_create a0 livea 0 32768
pool_msg livea create_thin 1 && thin_create a1 livea 1 32768
for b in 0 1 2 3 10 11 40 41; do put a0 $b $BYTES "a0-$b"; done
for b in 5 6 7 200; do put a1 $b $BYTES "a1-$b"; done
snap_of livea 2 0 a0 && thin_create a2 livea 2 32768
for b in 1 2 60; do put a0 $b $BYTES "a0-after-snap-$b"; done
pool_msg livea set_transaction_id 0 5
dmsetup create b_tmeta --table "0 8192 linear $META2 0" || bad "b_tmeta"
dmsetup create b_tdata --table "0 65536 linear $DATA2 0" || bad "b_tdata"
dmsetup mknodes
pool_create liveb /dev/mapper/b_tmeta /dev/mapper/b_tdata $BS || bad "create pool liveb"
pool_msg liveb create_thin 3 && thin_create b3 liveb 3 16384
for b in 0 9; do put b3 $b $BYTES "b3-$b"; done
sync
dmsetup table >$O/dmsetup-table.txt
dmsetup status >$O/dmsetup-status.txt
for t in a0 a1 a2 b3; do echo "$t $(dev_md5 $t)"; done >$O/md5-before.txt
cat $O/md5-before.txt

echo "--- pools"
"$CLI" pools >$O/pools.txt 2>$O/pools.err
check "pools exits 0" test $? = 0
cat $O/pools.txt
"$CLI" pools --json >$O/pools.json 2>>$O/pools.err
st=$(dmsetup status livea | cut -d' ' -f4-)
check "pools: livea with the kernel's transaction id 5, metadata and data usage" \
    grep -q "^pool livea (.*) rw transaction 5 metadata $(echo "$st" | awk '{ print $2 }') data $(echo "$st" | awk '{ print $3 }') held_root - " $O/pools.txt
check "pools: livea's metadata device named through sysfs ($META)" \
    grep -q "^  metadata $(devno_of "$META") $META\$" $O/pools.txt
check "pools: livea's thins a0 a1 a2 with their ids" \
    sh -c "grep -q '^  thin a0 (.*) id 0,' $O/pools.txt && grep -q '^  thin a1 (.*) id 1,' $O/pools.txt && grep -q '^  thin a2 (.*) id 2,' $O/pools.txt"
check "pools: liveb's metadata is the dm device b_tmeta" \
    grep -q "^  metadata $(devno b_tmeta) /dev/mapper/b_tmeta\$" $O/pools.txt
check "pools: liveb holds thin b3" grep -q '^  thin b3 (.*) id 3,' $O/pools.txt
check "pools --json: two pools, liveb's data is b_tdata" \
    sh -c "[ \$(grep -c '\"low_water_mark\"' $O/pools.json) = 2 ] && grep -q '\"path\": \"/dev/mapper/b_tdata\"' $O/pools.json"
check "pools: no active metadata listed as an inactive candidate" \
    sh -c "! grep -q '^inactive' $O/pools.txt"
check "pools: liveb's disk under b_tmeta is shown in use" \
    grep -q "^thin metadata $META2 ($(devno_of "$META2")) .*, in use by dm-" $O/pools.txt

echo "--- info and dump on the live metadata"
"$CLI" info "$META" >$O/info-live.txt 2>$O/info-live.err
check "info on the live device shows the dmsetup status beside the superblock" \
    sh -c "grep -q '^live pool livea' $O/info-live.txt && grep -q '^  transaction_id       5\$' $O/info-live.txt"
check "info: superblock and kernel agree on the transaction id (no MISMATCH)" \
    sh -c "grep -q '^  transaction_id       5\$' $O/info-live.txt && ! grep -q MISMATCH $O/info-live.txt"
check "info without --metadata-snap warns that the view is live" grep -q 'metadata-snap' $O/info-live.err
"$CLI" info --json "$META" >$O/info-live.json 2>/dev/null
check "info --json carries the live pool and no transaction-id mismatch" \
    sh -c "grep -q '\"live_pool\"' $O/info-live.json && grep -q '\"transaction_id_mismatch\": false' $O/info-live.json"

"$CLI" dump --metadata-snap "$META" >$O/dms-snap.xml 2>$O/dms-snap.err
check "dump --metadata-snap exits 0" test $? = 0
check "the snapshot dmscope reserved is released (status shows -)" test "$(held_root livea)" = -
check "no snapshot record left behind" sh -c "! ls /run/dmscope/*.held 2>/dev/null"
"$CLI" info --metadata-snap "$META" >$O/info-snap.txt 2>$O/info-snap.err
check "info --metadata-snap reads the held copy" grep -q 'metadata snapshot superblock (held copy)' $O/info-snap.txt
check "released after info --metadata-snap" test "$(held_root livea)" = -

dmsetup message livea 0 reserve_metadata_snap
held=$(held_root livea)
echo 3 >/proc/sys/vm/drop_caches
thin_dump -m "$META" >$O/tools-snap.xml 2>$O/tools-snap.err
check "thin_dump -m after a manual reserve works (held root $held)" test -s $O/tools-snap.xml
check "dmscope dump --metadata-snap == thin_dump -m" cmp $O/dms-snap.xml $O/tools-snap.xml
# with the snapshot held by someone else, and the pool written meanwhile
(for b in 100 101 102 103 104 105; do put a1 $b $BYTES "a1-busy-$b"; done) &
writer=$!
"$CLI" dump --metadata-snap "$META" >$O/dms-borrowed.xml 2>$O/dms-borrowed.err
wait $writer
check "a snapshot held by someone else is read and left held" test "$(held_root livea)" = "$held"
check "dmscope on the borrowed snapshot during writes == thin_dump -m" cmp $O/dms-borrowed.xml $O/tools-snap.xml
"$CLI" check -m "$META" >$O/dms-check-m.txt 2>&1
check "check -m on the borrowed snapshot passes" test $? = 0
thin_ls -m "$META" >$O/tools-ls.txt 2>&1
"$CLI" ls -m "$META" >$O/dms-ls.txt 2>$O/dms-ls.err
check "dmscope ls -m on the held snapshot == thin_ls -m" sh -c "test -s $O/tools-ls.txt && cmp $O/dms-ls.txt $O/tools-ls.txt"
dmsetup message livea 0 release_metadata_snap
sleep 2 # the pool commits the writes within a second; then it is quiet
# thin_dump refuses a live device without -m (busy): it reads a copy, taken through a dropped
# page cache (busybox dd has no iflag=direct)
echo 3 >/proc/sys/vm/drop_caches
# onto the scratch disk: thin_dump opens with O_DIRECT, which the initramfs cannot do
dd if="$META" of="$SCRATCH" bs=1M conv=fsync 2>$O/copy.err
"$CLI" dump "$META" >$O/dms-live.xml 2>/dev/null
thin_dump "$SCRATCH" >$O/tools-live.xml 2>$O/tools-live.err
"$CLI" check "$META" >$O/dms-check-live.txt 2>&1
check "check on the quiet live device (O_DIRECT) passes" test $? = 0
"$CLI" check --metadata-snap "$META" >$O/dms-check-snap.txt 2>&1
check "check --metadata-snap reserves, passes and releases" \
    sh -c "test $? = 0 && test \"\$(dmsetup status livea | awk '{ print \$7 }')\" = -"
check "quiet pool: dmscope's O_DIRECT dump of the live device == thin_dump of a fresh copy" \
    sh -c "test -s $O/tools-live.xml && cmp $O/dms-live.xml $O/tools-live.xml"
check "the live dump shows the writes made during the borrowed read" grep -q 'origin_begin="100"' $O/dms-live.xml

echo "--- a dead holder, and a signal"
dmsetup message livea 0 reserve_metadata_snap
sh -c 'exit 0' &
deadpid=$!
wait $deadpid
mkdir -p /run/dmscope
printf 'pid %s\npool livea\nmetadata %s\nheld_root %s\nsince 0\n' "$deadpid" "$(devno_of "$META")" \
    "$(held_root livea)" >/run/dmscope/livea.held
"$CLI" pools >$O/pools-dead.txt 2>&1
check "pools names the snapshot held by a dead dmscope" \
    grep -q "snapshot held by dmscope pid $deadpid (dead)" $O/pools-dead.txt
"$CLI" release-snap livea >$O/release.txt 2>&1
check "release-snap releases it" test "$(held_root livea)" = -
check "release-snap removes the record" test ! -e /run/dmscope/livea.held
# SIGTERM while dmscope holds the snapshot: the process is stopped, the pool looked at, and only
# when the snapshot is held is it sent SIGTERM (queued) and continued. Up to 8 tries, because a
# run may finish between two looks.
hits=0
for try in 1 2 3 4 5 6 7 8; do
    "$CLI" dump --metadata-snap "$META" >/dev/null 2>$O/sigterm.err &
    p=$!
    while kill -STOP $p 2>/dev/null; do
        if [ "$(held_root livea)" != - ]; then
            kill -TERM $p
            kill -CONT $p
            break
        fi
        kill -CONT $p
        sleep 0.01
    done
    wait $p
    rc=$?
    echo "try $try: rc $rc $(cat $O/sigterm.err)"
    check "after try $try, no snapshot is held (rc $rc)" test "$(held_root livea)" = -
    grep -q 'signal 15: released the metadata snapshot of livea' $O/sigterm.err && hits=$((hits + 1))
    [ $hits -ge 2 ] && break
done
check "SIGTERM while the snapshot was held: released by dmscope itself ($hits times, exit 143)" \
    test $hits -ge 1
check "no record left by the signalled runs" sh -c "! ls /run/dmscope/*.held 2>/dev/null"

echo "--- the same through dmscope-helper (started directly: the guest runs as root)"
export DMSCOPE_HELPER=$HELPER
"$CLI" pools --helper >$O/pools-helper.txt 2>&1
"$CLI" pools >$O/pools-again.txt 2>&1
check "pools --helper == pools" cmp $O/pools-helper.txt $O/pools-again.txt
"$CLI" dump --metadata-snap --helper "$META" >$O/dms-helper.xml 2>$O/dms-helper.err
check "dump --metadata-snap --helper exits 0" test $? = 0
"$CLI" dump --metadata-snap "$META" >$O/dms-snap2.xml 2>/dev/null
check "dump --metadata-snap through the helper == without it" cmp $O/dms-helper.xml $O/dms-snap2.xml
check "the helper's reservation is released" test "$(held_root livea)" = -

echo "--- transaction-id mismatch: a held snapshot, then a committed set_transaction_id"
# pool_message commits: block 0 and the kernel move to the new id, the held copy keeps the old one
B=/dev/mapper/b_tmeta
dmsetup message liveb 0 reserve_metadata_snap
bheld=$(held_root liveb)
bold=$(tid_of liveb)
bnew=$((bold + 40))
dmsetup message liveb 0 set_transaction_id "$bold" "$bnew"
check "liveb: the kernel reports the new transaction id $bnew (held root $bheld)" test "$(tid_of liveb)" = "$bnew"
"$CLI" info --metadata-snap "$B" >$O/info-mismatch.txt 2>$O/info-mismatch.err
cat $O/info-mismatch.txt
check "info --metadata-snap shows the held copy with the old id $bold" \
    sh -c "grep -q 'held copy' $O/info-mismatch.txt && grep -q '^  transaction_id       $bold\$' $O/info-mismatch.txt"
check "info --metadata-snap flags the mismatch with both ids (kernel $bnew, copy $bold)" \
    grep -q "^  transaction_id       $bnew  MISMATCH: the kernel has transaction id $bnew, the held metadata snapshot's superblock copy (block $bheld) has $bold " $O/info-mismatch.txt
"$CLI" info --metadata-snap --json "$B" >$O/info-mismatch.json 2>/dev/null
check "info --metadata-snap --json: transaction_id_mismatch true with both ids" \
    sh -c "grep -q '\"transaction_id_mismatch\": true' $O/info-mismatch.json && grep -q '\"transaction_id\": $bnew,' $O/info-mismatch.json && grep -q '\"superblock_transaction_id\": $bold,' $O/info-mismatch.json"
"$CLI" info "$B" >$O/info-agree.txt 2>/dev/null
check "info on block 0 (committed: the new id) shows no mismatch" \
    sh -c "grep -q '^  transaction_id       $bnew\$' $O/info-agree.txt && ! grep -q MISMATCH $O/info-agree.txt"
"$CLI" info --json "$B" >$O/info-agree.json 2>/dev/null
check "info --json on block 0: transaction_id_mismatch false" grep -q '"transaction_id_mismatch": false' $O/info-agree.json
"$CLI" info --metadata-snap --helper "$B" >$O/info-mismatch-helper.txt 2>/dev/null
check "info --metadata-snap --helper flags it the same way" cmp $O/info-mismatch-helper.txt $O/info-mismatch.txt
"$CLI" check -m --helper "$B" >$O/check-helper.txt 2>&1
check "check -m --helper passes on the held snapshot" test $? = 0
"$CLI" ls -m --helper "$B" >$O/ls-helper.txt 2>/dev/null
"$CLI" ls -m "$B" >$O/ls-direct.txt 2>/dev/null
check "ls -m --helper == ls -m (thin 3 listed)" sh -c "grep -q '^  *3 ' $O/ls-helper.txt && cmp $O/ls-helper.txt $O/ls-direct.txt"
"$CLI" stats -m --json --helper "$B" 2>/dev/null | grep -v seconds >$O/stats-helper.json
"$CLI" stats -m --json "$B" 2>/dev/null | grep -v seconds >$O/stats-direct.json
check "stats -m --json --helper == stats -m --json" sh -c "grep -q metadata_snapshot $O/stats-helper.json && cmp $O/stats-helper.json $O/stats-direct.json"
check "the borrowed snapshot is still held" test "$(held_root liveb)" = "$bheld"
dmsetup message liveb 0 release_metadata_snap
"$CLI" info --metadata-snap "$B" >$O/info-fresh.txt 2>/dev/null
check "a snapshot reserved after the change agrees with the kernel (no MISMATCH)" \
    sh -c "grep -q 'held copy' $O/info-fresh.txt && grep -q '^  transaction_id       $bnew\$' $O/info-fresh.txt && ! grep -q MISMATCH $O/info-fresh.txt"
check "liveb: nothing held afterwards" test "$(held_root liveb)" = -

echo "--- edit refused while active"
"$CLI" edit "$META" create-thin 9 >$O/edit-busy.txt 2>&1
rc=$?
cat $O/edit-busy.txt
check "edit on the live metadata fails (rc $rc)" test $rc = 1
check "edit names the pool, EBUSY and the command that deactivates it" \
    sh -c "grep -q 'busy' $O/edit-busy.txt && grep -q \"pool 'livea'\" $O/edit-busy.txt && grep -q 'dmsetup remove a0 a1 a2 livea' $O/edit-busy.txt"
"$CLI" edit /dev/mapper/b_tmeta create-thin 9 >$O/edit-busy-b.txt 2>&1
check "edit on liveb's b_tmeta names liveb" grep -q "pool 'liveb'" $O/edit-busy-b.txt
check "nothing changed in the live pool" test "$(tid_of livea)" = 5

echo "--- edit after removal, reactivation"
dmsetup remove a0 a1 a2 livea || bad "remove livea"
"$CLI" edit "$META" create-thin 7 delete 2 set-transaction-id 6 >$O/edit.txt 2>&1
check "edit on the inactive metadata works" test $? = 0
check "thin_check passes after dmscope's edit" thin_check "$META"
"$CLI" pools >$O/pools-after.txt 2>&1
check "pools lists the inactive metadata as a thin candidate" grep -q "^inactive thin metadata $META " $O/pools-after.txt
pool_create livea "$META" "$DATA" $BS || bad "re-create livea"
check "the kernel accepts the edited pool (transaction id 6)" test "$(tid_of livea)" = 6
thin_create a0 livea 0 32768 && thin_create a1 livea 1 32768 && thin_create a7 livea 7 32768
a0=$(dev_md5 a0)
a1=$(dev_md5 a1)
check "thin 0 reads intact after the edit" test "$a0" = "$(awk '$1 == "a0" { print $2 }' $O/md5-before.txt)"
check "thin 1 reads with the writes made during the borrowed read" test -n "$a1"
zero=$(dd if=/dev/zero bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)
check "the new thin 7 reads zeros" test "$(dev_md5 a7)" = "$zero"
check "the deleted thin 2 no longer activates" sh -c "! dmsetup create a2 --table '0 32768 thin $(devno livea) 2'"
put a7 3 $BYTES "a7-3"
check "the new thin takes writes" test "$(block_md5 a7 3 $BYTES)" = "$(pattern_md5 a7-3 $BYTES)"
check "pool healthy at the end" pool_health livea
dmsetup status >$O/dmsetup-status-end.txt
echo done >$O/result
save_out
