# shellcheck shell=bash
# report.sh — the verdict of kernel-accepts for one case, from the guest's results and host checks,
# and the final summary. Sourced by kernel-accepts after the VM ran ($KH_RUN/c<N> per case).

# Kernel lines that mean the kernel found something wrong with the pool: an error word in a line
# from device-mapper or the block layer, or any oops/BUG/warning trace.
KERNEL_ERROR_RE='error|Error|fail|Fail|corrupt|checksum|csum|invalid|Invalid|bad |mismatch|unable|[Cc]ouldn.t|too small|unsupported|incompatible|needs_check|read-only|EILSEQ'
KERNEL_DM_RE='device-mapper|dm-[0-9]|dm_|thin|btree|space map|bufio|persistent-data|block manager|I/O error'
KERNEL_CRASH_RE='BUG:|Oops|general protection|Call Trace|WARNING: CPU|Kernel panic'
# Lines that contain such words and are harmless here.
KERNEL_BENIGN_RE='discard unsupported|Disabling discard passdown'

# kernel_errors FILE: the error lines of a case's kernel log.
kernel_errors() {
    { grep -E "$KERNEL_DM_RE" "$1" | grep -E "$KERNEL_ERROR_RE"; grep -E "$KERNEL_CRASH_RE" "$1"; } |
        grep -Ev "$KERNEL_BENIGN_RE" | sort -u
}

RESULT_LINES=()

# evaluate_case N GUEST_DIR: prints the case's block and records its verdict.
evaluate_case() {
    local n=$1 g=$2 cd=$KH_RUN/c$1 name expect verdict line id exp got bad
    local reasons=()
    name=$(cat "$cd/name")
    expect=$(cat "$cd/expect")
    while IFS= read -r line; do [ -n "$line" ] && reasons+=("$line"); done <"$g/fail.txt"

    . "$cd/case.env"
    bad=$(kernel_errors "$g/kernel.txt")
    # asked for: a read_only pool announces its mode
    [ "$RO" = 1 ] && bad=$(echo "$bad" | grep -v 'switching pool to read-only mode')
    [ -n "$bad" ] && reasons+=("the kernel logged $(echo "$bad" | wc -l) error line(s), shown below")

    local nexp=0 nok=0
    while read -r id exp; do
        got=$(awk -v i="$id" '$1 == i { print $2 }' "$g/md5.txt")
        [ -n "$got" ] || continue # the device could not be read: already a reason
        nexp=$((nexp + 1))
        if [ "$got" = "$exp" ]; then nok=$((nok + 1)); else reasons+=("thin $id reads md5 $got, expected $exp"); fi
    done <"$cd/expect-md5.txt"

    # the metadata as the kernel left it, checked by the tools on the host
    local after=failed
    thin_check "$cd/meta.img" >"$cd/thin_check-after.txt" 2>&1 && after=ok
    if [ "$after" != ok ] && [ "$(cat "$cd/check-before")" = ok ]; then
        reasons+=("host thin_check fails on the metadata the kernel left: $(grep -v '^$' "$cd/thin_check-after.txt" | head -1)")
    fi

    if [ ${#reasons[@]} = 0 ]; then verdict=ACCEPTED; else verdict=REJECTED; fi
    local mark=ok
    [ "$verdict" = "$expect" ] || mark=UNEXPECTED
    RESULT_LINES+=("$mark $verdict $name")

    echo "=== $name: $verdict (expected $expect)$([ $mark = ok ] || echo " - UNEXPECTED")"
    echo "    pool: data block $BS sectors; thins read (id:sectors): ${DEVS:-none}"
    if [ "$nexp" -gt 0 ] || [ -s "$cd/expect-md5.txt" ]; then
        echo "    contents: $nok of $(wc -l <"$cd/expect-md5.txt") thins read back the expected md5"
    fi
    [ "$WORK" = 1 ] && echo "    work: new thin $NEWID, snapshots $((NEWID + 1)) and $((NEWID + 2)) made and deleted;" \
        "after reopening, $(wc -l <"$g/md5-final.txt" 2>/dev/null || echo 0) thins re-read"
    echo "    host thin_check: before $(cat "$cd/check-before"), after the VM $after"
    [ -s "$g/status.txt" ] && echo "    final pool status: $(cat "$g/status.txt")"
    if [ ${#reasons[@]} -gt 0 ]; then
        echo "    reasons:"
        printf '      - %s\n' "${reasons[@]}"
    fi
    echo "    kernel log ($(grep -c . "$g/kernel.txt") lines):"
    sed 's/^/      /' "$g/kernel.txt"
    if [ -s "$g/kernel-expected.txt" ]; then
        echo "    expected kernel complaints (activating a deleted id):"
        sed 's/^/      /' "$g/kernel-expected.txt"
    fi
    keep_case "$n" "$g"
}

# crash_case N CONSOLE: the guest died or hung during this case.
crash_case() {
    local n=$1 cd=$KH_RUN/c$1 name expect mark=ok
    name=$(cat "$cd/name")
    expect=$(cat "$cd/expect")
    [ "$expect" = REJECTED ] || mark=UNEXPECTED
    RESULT_LINES+=("$mark REJECTED $name")
    echo "=== $name: REJECTED (expected $expect)$([ $mark = ok ] || echo " - UNEXPECTED")"
    echo "    reasons:"
    echo "      - the guest did not finish this case (kernel crash, hang or watchdog); console tail:"
    tail -25 "$2" | sed 's/^/      /'
}

# keep_case N GUEST_DIR: with --keep, the metadata as the kernel left it and the guest's files.
keep_case() {
    [ -n "$KEEP" ] || return 0
    local cd=$KH_RUN/c$1 k
    k=$KEEP/$(cat "$cd/name")
    rm -rf "$k"
    mkdir -p "$k"
    cp --sparse=always "$cd/meta.img" "$k/metadata-after.img"
    cp "$cd"/*.txt "$cd/case.env" "$k/" 2>/dev/null
    cp -r "$2" "$k/guest"
}

summary() {
    local unexpected=0 l
    for l in "${RESULT_LINES[@]}"; do [ "${l%% *}" = ok ] || unexpected=$((unexpected + 1)); done
    echo "=== kernel $KH_KVER, accel ${KH_ACCEL_USED:-?}: ${#RESULT_LINES[@]} case(s) in $boots boot(s);" \
        "VM ${vm_total}s (guest boot ${KH_BOOT_SECONDS:-?}s), preparation ${KH_PREPARE_SECONDS}s"
    for l in "${RESULT_LINES[@]}"; do
        set -- $l
        printf '%-10s %-9s %s\n' "$1" "$2" "$3"
    done
    if [ ${#RESULT_LINES[@]} = 1 ]; then
        set -- ${RESULT_LINES[0]}
        echo "$2"
    fi
    [ $unexpected = 0 ]
    exit $?
}
