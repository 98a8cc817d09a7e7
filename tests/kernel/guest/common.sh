# Guest-side helpers (busybox sh), sourced by /init and the jobs.
# Pools and thins are referenced by major:minor because there is no udev; /dev/mapper nodes are
# made with `dmsetup mknodes`.

# Copies /out onto the "out" disk as a tar. Jobs call it after each step that produced results,
# so a guest that dies later still leaves what it had.
save_out() {
    [ -b /dev/disk/out ] || return 0
    tar -cf /dev/disk/out -C /out . && sync
}

# kmark TEXT: a marker line in the kernel log, to cut the log into per-step slices.
kmark() { echo "dmscope-harness: $*" >/dev/kmsg; }

# kslice BEGIN END: the kernel log lines from marker BEGIN to marker END (markers included).
kslice() { dmesg | sed -n "/dmscope-harness: $1\$/,/dmscope-harness: $2\$/p"; }
# unmarked: drops the marker lines.
unmarked() { grep -v 'dmscope-harness: '; }

# stamp: prefixes each line with the guest's uptime (where the time goes, under TCG).
stamp() { while IFS= read -r _l; do echo "[$(cut -d' ' -f1 /proc/uptime)] $_l"; done; }

# disk SERIAL: the block device of a virtio disk.
disk() { readlink -f "/dev/disk/$1"; }

# pool_create NAME METADEV DATADEV BS [FEATURE...]: a thin-pool over the whole data device
# (rounded down to whole data blocks), low-water mark 0.
pool_create() {
    _name=$1 _meta=$2 _data=$3 _bs=$4
    shift 4
    _len=$(($(blockdev --getsz "$_data") / _bs * _bs))
    dmsetup create "$_name" --table "0 $_len thin-pool $_meta $_data $_bs 0 $# $*" &&
        dmsetup mknodes "$_name"
}

# devno NAME: major:minor of a dm device.
devno() { dmsetup info -c --noheadings -o major,minor "$1" | tr -d ' '; }

# thin_create NAME POOLNAME ID SECTORS
thin_create() {
    dmsetup create "$1" --table "0 $4 thin $(devno "$2") $3" && dmsetup mknodes "$1"
}

# pool_msg POOLNAME MESSAGE...
pool_msg() {
    _p=$1
    shift
    echo "+ message $_p: $*"
    dmsetup message "$_p" 0 "$*"
}

# snap_of POOLNAME NEWID ORIGID [ACTIVE_ORIGIN_NAME]: the origin must be suspended while the
# snapshot is taken if it is active.
snap_of() {
    [ -n "${4:-}" ] && dmsetup suspend "$4"
    pool_msg "$1" create_snap "$2" "$3"
    _rc=$?
    [ -n "${4:-}" ] && dmsetup resume "$4"
    return $_rc
}

# pattern TAG BYTES: BYTES of text naming TAG (one recognisable block of data).
pattern() { yes "$1 " | head -c "$2"; }

# put DEVNAME BLOCK BYTES TAG: writes one block of pattern TAG at block BLOCK, synchronously.
put() {
    pattern "$4" "$3" | dd of="/dev/mapper/$1" bs="$3" seek="$2" conv=notrunc,fsync 2>/dev/null
}

# block_md5 DEVNAME BLOCK BYTES
block_md5() {
    dd if="/dev/mapper/$1" bs="$3" skip="$2" count=1 2>/dev/null | md5sum | cut -d' ' -f1
}
pattern_md5() { pattern "$1" "$2" | md5sum | cut -d' ' -f1; }

# dev_md5 DEVNAME: reads the whole device (the kernel looks up every mapping on the way).
dev_md5() { md5sum <"/dev/mapper/$1" | cut -d' ' -f1; }

# pool_health POOLNAME [ro]: prints the status line; fails when the pool is in Fail/Error mode,
# has needs_check set, ran out of space, or is read-only (unless "ro" was asked for).
pool_health() {
    _st=$(dmsetup status "$1") || return 1
    echo "status $1: $_st"
    case " $_st " in
    *" Fail"* | *" Error"* | *" needs_check "* | *out_of_data_space*) return 1 ;;
    esac
    case " $_st " in *" ro "*) [ "${2:-}" = ro ] || return 1 ;; esac
    return 0
}
