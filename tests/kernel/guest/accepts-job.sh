# Guest job of kernel-accepts (busybox sh): does the kernel's dm-thin accept these pools?
# For each case i (disks m<i> = metadata, d<i> = data; parameters CASE_<i>_* in /job.env):
#   1. activate the pool, check its status;
#   2. activate every listed thin and read it in full (md5): dm-thin checks a btree node only
#      when it reads it, so this is what makes the kernel walk all the metadata;
#   3. with WORK=1: new thin + writes, snapshot + copy-on-write, snapshot of an existing thin and a
#      write into it, deletions, a metadata snapshot reserved and released, then the pool is
#      closed, reopened and every device re-read and compared;
#   4. the kernel's log lines of the case go to /out/case-<i>/kernel.txt.
# Results per case in /out/case-<i>/: md5.txt ("id md5 sectors", first read), md5-final.txt
# (after the work and the reopen), fail.txt (one reason a line; empty = accepted), log.txt.
. /guest/common.sh
. /job.env

case_fail() {
    echo "FAIL: $*"
    echo "$*" >>"$D/fail.txt"
}

# read_devices POOL FILE SPEC...: activates each "id:sectors" and reads it in full; for the ids in
# $HASH (or all) records "id md5 sectors" in FILE.
read_devices() {
    _pool=$1 _file=$2
    shift 2
    for _spec in "$@"; do
        _id=${_spec%%:*} _sec=${_spec#*:}
        if ! thin_create "t$_id" "$_pool" "$_id" "$_sec" 2>/tmp/err; then
            case_fail "activating thin $_id failed: $(tr '\n' ' ' </tmp/err)"
            continue
        fi
        if [ "$HASH" = all ] || case " $HASH " in *" $_id "*) true ;; *) false ;; esac; then
            if _m=$(md5sum <"/dev/mapper/t$_id" 2>/tmp/err); then
                echo "$_id ${_m%% *} $_sec" | tee -a "$_file"
            else
                case_fail "reading thin $_id failed: $(tr '\n' ' ' </tmp/err)"
            fi
        # nothing to compare: a direct read still makes the kernel look up every block, at a
        # fraction of the cost of hashing under TCG
        elif dd if="/dev/mapper/t$_id" of=/dev/null bs=4M iflag=direct 2>/tmp/err; then
            echo "$_id read $_sec"
        else
            case_fail "reading thin $_id failed: $(grep -v records /tmp/err | tr '\n' ' ')"
        fi
        dmsetup remove "t$_id" || case_fail "removing thin $_id failed"
    done
}

# The write/snapshot/delete round on pool $P. Ids W (new thin), S (its snapshot), X (snapshot of
# the first existing thin) are free ids chosen by the host.
do_work() {
    W=$NEWID S=$((NEWID + 1)) X=$((NEWID + 2))
    WSEC=$((16 * BS))
    echo "--- work: new thin $W, snapshot $S of it, snapshot $X of an existing thin"
    pool_msg "$P" create_thin "$W" && thin_create w "$P" "$W" "$WSEC" ||
        { case_fail "creating thin $W failed"; return; }
    for b in 0 1 2 3 4 5 6 7; do put w $b "$BYTES" "w$W-b$b" || case_fail "write to thin $W block $b failed"; done
    wa=$(dev_md5 w)
    snap_of "$P" "$S" "$W" w || case_fail "create_snap $S of $W failed"
    put w 2 "$BYTES" "w$W-b2-after-snap" || case_fail "copy-on-write into thin $W failed"
    thin_create s "$P" "$S" "$WSEC" || case_fail "activating snapshot $S failed"
    [ "$(dev_md5 s)" = "$wa" ] || case_fail "snapshot $S does not hold the data of thin $W at snapshot time"
    [ "$(block_md5 w 2 "$BYTES")" = "$(pattern_md5 "w$W-b2-after-snap" "$BYTES")" ] ||
        case_fail "thin $W block 2 does not read back what was written after the snapshot"
    dmsetup remove s

    if [ -n "$E" ]; then
        eorig=$(awk -v i="$E" '$1 == i { print $2 }' "$D/md5.txt")
        elast=$((ESEC / BS - 1))
        thin_create e "$P" "$E" "$ESEC" || case_fail "activating thin $E for writing failed"
        snap_of "$P" "$X" "$E" e || case_fail "create_snap $X of existing thin $E failed"
        put e 0 "$BYTES" "e$E-b0" && put e "$elast" "$BYTES" "e$E-last" ||
            case_fail "writing into existing thin $E failed"
        [ "$(block_md5 e 0 "$BYTES")" = "$(pattern_md5 "e$E-b0" "$BYTES")" ] ||
            case_fail "existing thin $E block 0 does not read back what was written"
        thin_create x "$P" "$X" "$ESEC" || case_fail "activating snapshot $X failed"
        [ "$(dev_md5 x)" = "$eorig" ] || case_fail "snapshot $X of existing thin $E lost its data"
        dmsetup remove x
    fi

    pool_msg "$P" delete "$S" || case_fail "delete $S failed"
    [ -n "$E" ] && { pool_msg "$P" delete "$X" || case_fail "delete $X failed"; }
    pool_msg "$P" reserve_metadata_snap || case_fail "reserve_metadata_snap failed"
    put w 9 "$BYTES" "w$W-b9-after-msnap" || case_fail "write under a held metadata snapshot failed"
    dmsetup status "$P"
    pool_msg "$P" release_metadata_snap || case_fail "release_metadata_snap failed"

    # what every device holds now; must survive closing and reopening the pool
    echo "$W $(dev_md5 w) $WSEC" >"$D/expect-final.txt"
    dmsetup remove w
    [ -n "$E" ] && { echo "$E $(dev_md5 e) $ESEC" >>"$D/expect-final.txt"; dmsetup remove e; }
    for spec in $DEVS; do
        [ "${spec%%:*}" = "$E" ] || awk -v i="${spec%%:*}" '$1 == i' "$D/md5.txt" >>"$D/expect-final.txt"
    done
    pool_health "$P" || case_fail "pool unhealthy after the work"
    dmsetup remove "$P" || case_fail "closing the pool after the work failed"

    echo "--- work: reopen the pool and re-read every device"
    pool_create "$P" "$META" "$DATA" "$BS" || { case_fail "reopening the pool failed"; return; }
    pool_health "$P" || case_fail "pool unhealthy after reopening"
    # shellcheck disable=SC2046
    read_devices "$P" "$D/md5-final.txt" $(awk '{ print $1 ":" $3 }' "$D/expect-final.txt")
    while read -r id m _; do
        got=$(awk -v i="$id" '$1 == i { print $2 }' "$D/md5-final.txt")
        [ "$got" = "$m" ] || case_fail "after reopening, thin $id reads $got instead of $m"
    done <"$D/expect-final.txt"
    # a deleted id must not activate; the kernel's complaint about it is expected
    kmark "case $I expected-errors"
    if thin_create s "$P" "$S" "$WSEC" 2>/dev/null; then
        case_fail "deleted snapshot $S can still be activated"
        dmsetup remove s
    fi
    kmark "case $I expected-errors end"
}

run_case() {
    I=$1
    eval "BS=\$CASE_${I}_BS DEVS=\$CASE_${I}_DEVS WORK=\$CASE_${I}_WORK NEWID=\$CASE_${I}_NEWID RO=\$CASE_${I}_RO HASH=\$CASE_${I}_HASH"
    D=/out/case-$I
    P=pool$I
    mkdir -p "$D"
    : >"$D/fail.txt"
    : >"$D/md5.txt"
    META=$(disk "m$I") DATA=$(disk "d$I")
    BYTES=$((BS * 512))
    # the existing thin the work writes into: the smallest, as it is re-read several times
    E="" ESEC=""
    for _spec in $DEVS; do
        if [ -z "$E" ] || [ "${_spec#*:}" -lt "$ESEC" ]; then E=${_spec%%:*} ESEC=${_spec#*:}; fi
    done
    echo "=== case $I: meta=$META data=$DATA bs=$BS devs='$DEVS' work=$WORK ro=$RO"
    kmark "case $I begin"
    feat=""
    [ "$RO" = 1 ] && feat=read_only
    if ! pool_create "$P" "$META" "$DATA" "$BS" $feat 2>/tmp/err; then
        case_fail "pool activation failed: $(tr '\n' ' ' </tmp/err)"
    else
        if [ "$RO" = 1 ]; then pool_health "$P" ro; else pool_health "$P"; fi ||
            case_fail "pool unhealthy after activation: $(dmsetup status "$P")"
        read_devices "$P" "$D/md5.txt" $DEVS
        if [ "$WORK" = 1 ] && [ ! -s "$D/fail.txt" ]; then do_work; fi
        if [ "$RO" = 1 ]; then pool_health "$P" ro; else pool_health "$P"; fi ||
            case_fail "pool unhealthy at the end: $(dmsetup status "$P")"
        dmsetup status "$P" >"$D/status.txt"
        dmsetup remove "$P" || case_fail "closing the pool failed"
    fi
    kmark "case $I end"
    # kernel lines of the case; those inside an expected-errors window go to a separate file
    kslice "case $I begin" "case $I end" >/tmp/k
    x="/dmscope-harness: case $I expected-errors\$/,/dmscope-harness: case $I expected-errors end\$/"
    sed "${x}d" /tmp/k | unmarked >"$D/kernel.txt"
    sed -n "${x}p" /tmp/k | unmarked >"$D/kernel-expected.txt"
    # leave nothing behind for the next case, whatever state this one ended in
    dmsetup remove_all --force >/dev/null 2>&1
    touch "$D/done"
    save_out
}

i=0
while [ $i -lt "$NCASES" ]; do
    mkdir -p "/out/case-$i"
    run_case $i 2>&1 | stamp | tee "/out/case-$i/log.txt"
    i=$((i + 1))
done
echo "=== all cases done"
