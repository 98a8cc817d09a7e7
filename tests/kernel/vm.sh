# shellcheck shell=bash
# vm.sh — shell library of the kernel harness: host packages, the Debian kernel, the initramfs and
# one qemu run. Sourced by kernel-accepts and make-fixtures; see docs/KERNEL-HARNESS.md.
#
# Everything comes from Debian packages. The kernel package is fetched with `apt-get download` and
# unpacked into the cache (the host's /boot and /lib/modules are never touched). Build artefacts
# live in $DMSCOPE_KERNEL_CACHE so that warm runs only pack the per-run job and boot.
#
# Exit-code convention of the harness scripts (kh_skip / kh_fail use it):
#   0 success, 1 the kernel rejected / a check failed, 2 usage or harness error, 77 skipped
#   (the VM cannot run on this machine; ctest's SKIP_RETURN_CODE).

KH_DIR=${KH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
KH_CACHE=${DMSCOPE_KERNEL_CACHE:-/var/tmp/dmscope-kernel}
KH_KERNEL_PACKAGE=${DMSCOPE_KERNEL_PACKAGE:-linux-image-cloud-amd64} # small, dm-thin as modules
KH_ACCEL=${DMSCOPE_KERNEL_ACCEL:-auto}                                  # auto | kvm | tcg
KH_VM_MEM=${DMSCOPE_KERNEL_VM_MEM:-768}
KH_KVM_PROBE_S=10 # KVM prints its banner in well under a second when it works
KH_SKIP_CODE=77
# TCG on a loaded host stalls the guest's clock: no lockup detectors or RCU stall reports, whose
# "BUG:"/"INFO:" lines would look like the kernel objecting to the pool
KH_GUEST_QUIET="nowatchdog nosoftlockup rcupdate.rcu_cpu_stall_suppress=1"

# Modules the guest needs, resolved with their dependencies (dm-mod brings dm-linear).
KH_MODULES="virtio_pci virtio_blk dm-thin-pool"
# Host packages: what qemu, the initramfs and the host-side checks are made of.
KH_PACKAGES="qemu-system-x86 busybox-static dmsetup thin-provisioning-tools cpio kmod zstd coreutils"

kh_now() { date +%s.%N; }
kh_secs() { awk -v a="$1" -v b="$(kh_now)" 'BEGIN { printf "%.1f", b - a }'; }
kh_log() { echo "[kernel-harness $(date +%H:%M:%S)] $*" >&2; }
kh_fail() { echo "ERROR: $*" >&2; exit 2; }
# The VM cannot run here: say why on stdout (ctest shows it) and exit with the skip code.
kh_skip() { echo "SKIPPED: $*"; exit "$KH_SKIP_CODE"; }

# --- run directory ---------------------------------------------------------------------------------
# One private directory per invocation (disk copies, initramfs, console); removed on exit unless
# DMSCOPE_KERNEL_KEEP=1. qemu's snapshot=on overlays go there too (TMPDIR).
kh_make_rundir() {
    mkdir -p "$KH_CACHE/runs" || kh_skip "cannot create the cache directory $KH_CACHE"
    KH_RUN=$(mktemp -d "$KH_CACHE/runs/run.XXXXXX") || kh_fail "mktemp failed"
    export TMPDIR=$KH_RUN
    trap kh_cleanup EXIT
}
kh_cleanup() {
    if [ "${DMSCOPE_KERNEL_KEEP:-0}" = 1 ]; then
        kh_log "run directory kept: $KH_RUN"
    else
        rm -rf "$KH_RUN"
    fi
}

# Serialises cache updates between concurrent harness runs (ctest -j).
kh_with_cache_lock() {
    mkdir -p "$KH_CACHE"
    (
        flock -w 1800 9 || kh_fail "timed out waiting for the cache lock $KH_CACHE/.lock"
        "$@"
    ) 9>"$KH_CACHE/.lock"
}

# --- 1. host packages -----------------------------------------------------------------------------
kh_missing_packages() {
    local p
    for p in $KH_PACKAGES; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

# Installs what is missing with apt-get (the harness does this itself, never by hand). A machine
# where that is impossible cannot run the VM: skip.
kh_ensure_packages() {
    command -v dpkg-query >/dev/null || kh_skip "not a Debian system (no dpkg-query): cannot install qemu"
    local missing
    missing=$(kh_missing_packages | tr '\n' ' ')
    [ -z "$missing" ] && return 0
    [ "$(id -u)" = 0 ] || kh_skip "packages missing ($missing) and not root, so they cannot be installed"
    local t0
    t0=$(kh_now)
    kh_log "installing $missing"
    mkdir -p "$KH_CACHE"
    {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing ||
            { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends $missing; }
    } >"$KH_CACHE/apt-install.log" 2>&1
    missing=$(kh_missing_packages | tr '\n' ' ')
    [ -z "$missing" ] || kh_skip "apt-get could not install: $missing (log: $KH_CACHE/apt-install.log)"
    kh_log "packages installed in $(kh_secs "$t0") s"
}

# --- 2. the kernel ----------------------------------------------------------------------------------
# Resolves linux-image-cloud-amd64 to its versioned package once and remembers the choice in
# $KH_CACHE/kernel/current, so warm runs need neither apt nor the network. Sets KH_KVER,
# KH_VMLINUZ, KH_KROOT (the unpacked package). DMSCOPE_KERNEL_REFRESH=1 re-resolves.
kh_prepare_kernel() {
    local kdir=$KH_CACHE/kernel pkg deb
    mkdir -p "$kdir/debs"
    if [ "${DMSCOPE_KERNEL_REFRESH:-0}" = 1 ] || [ ! -s "$kdir/current" ]; then
        pkg=$(kh_resolve_kernel_package)
        [ -n "$pkg" ] || kh_skip "cannot resolve $KH_KERNEL_PACKAGE with apt-cache"
        echo "$pkg" >"$kdir/current"
    fi
    pkg=$(cat "$kdir/current")
    KH_KVER=${pkg#linux-image-}
    KH_KROOT=$kdir/$KH_KVER
    KH_VMLINUZ=$KH_KROOT/boot/vmlinuz-$KH_KVER
    [ -f "$KH_KROOT/.unpacked" ] && return 0

    kh_log "fetching $pkg"
    deb=$(ls "$kdir/debs/${pkg}"_*.deb 2>/dev/null | head -1)
    if [ -z "$deb" ]; then
        (cd "$kdir/debs" && apt-get download "$pkg") >"$kdir/download.log" 2>&1 ||
            kh_skip "apt-get download $pkg failed (log: $kdir/download.log)"
        deb=$(ls "$kdir/debs/${pkg}"_*.deb | head -1)
    fi
    rm -rf "$KH_KROOT"
    mkdir -p "$KH_KROOT"
    dpkg-deb -x "$deb" "$KH_KROOT" || kh_fail "dpkg-deb -x $deb failed"
    # the package ships no modules.dep (its postinst runs depmod); make one for modprobe -d
    depmod -b "$KH_KROOT" "$KH_KVER" || kh_fail "depmod for $KH_KVER failed"
    [ -f "$KH_VMLINUZ" ] || kh_skip "$deb holds no kernel image"
    touch "$KH_KROOT/.unpacked"
}

kh_resolve_kernel_package() {
    local dep
    dep=$(apt-cache depends "$KH_KERNEL_PACKAGE" 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
    if [ -z "$dep" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -q >/dev/null 2>&1
        dep=$(apt-cache depends "$KH_KERNEL_PACKAGE" 2>/dev/null | awk '/Depends: linux-image-/ { print $2; exit }')
    fi
    echo "$dep"
}

# --- 3. the initramfs ------------------------------------------------------------------------------
# The base archive (busybox, dmsetup, thin-provisioning-tools and their libraries, the modules,
# /init and the guest library) is cached under a stamp of everything it is built from. Each run
# appends a small second archive with /job.sh and /job.env: the kernel unpacks concatenated
# newc archives in order.
kh_base_stamp() {
    {
        echo "$KH_KVER $KH_MODULES"
        dpkg-query -W busybox-static dmsetup thin-provisioning-tools libdevmapper1.02.1 coreutils 2>/dev/null
        cat "$KH_DIR/guest/init" "$KH_DIR/guest/common.sh"
    } | sha256sum | cut -c1-16
}

kh_prepare_base_initramfs() {
    KH_BASE_CPIO=$KH_CACHE/initramfs/base-$(kh_base_stamp).cpio
    [ -s "$KH_BASE_CPIO" ] && return 0
    local t0 root
    t0=$(kh_now)
    root=$KH_CACHE/initramfs/root.$$
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/modules,proc,sys,dev,tmp,run,out,etc,guest}
    cp /bin/busybox "$root/bin/busybox"
    local pdata
    pdata=$(readlink -f "$(command -v thin_check)")
    # coreutils md5sum hashes about 2.5 times faster than busybox's under TCG
    kh_copy_with_libs "$root" "$(command -v dmsetup)" "$pdata" /usr/bin/md5sum
    local t
    for t in thin_check thin_dump thin_ls thin_rmap thin_delta thin_restore thin_repair; do
        [ -e "$root/usr/sbin/$t" ] || ln -s "$pdata" "$root/usr/sbin/$t"
    done
    kh_copy_modules "$root" || kh_fail "cannot collect the kernel modules"
    install -m 755 "$KH_DIR/guest/init" "$root/init"
    install -m 644 "$KH_DIR/guest/common.sh" "$root/guest/common.sh"
    mkdir -p "$(dirname "$KH_BASE_CPIO")"
    rm -f "$KH_CACHE"/initramfs/base-*.cpio # stale stamps
    (cd "$root" && find . | cpio -o -H newc --quiet) >"$KH_BASE_CPIO.tmp" && mv "$KH_BASE_CPIO.tmp" "$KH_BASE_CPIO"
    rm -rf "$root"
    [ -s "$KH_BASE_CPIO" ] || kh_fail "building the initramfs failed"
    kh_log "initramfs base built in $(kh_secs "$t0") s ($(du -h "$KH_BASE_CPIO" | cut -f1))"
}

kh_copy_with_libs() { # ROOT BINARY...
    local root=$1 b l
    shift
    for b in "$@"; do
        mkdir -p "$root$(dirname "$b")"
        cp -L "$b" "$root$b"
        for l in $(ldd "$b" | grep -o '/[^ ]*'); do
            [ -e "$root$l" ] && continue
            mkdir -p "$root$(dirname "$l")"
            cp -L "$l" "$root$l"
        done
    done
}

# Copies the modules in load order (modprobe --show-depends also follows softdeps) and writes that
# order to /modules.order for the guest's insmod loop. Compressed modules are unpacked on the host
# because busybox insmod may not read them.
kh_copy_modules() { # ROOT
    local root=$1 m line path base
    : >"$root/modules.order"
    for m in $KH_MODULES; do
        modprobe -d "$KH_KROOT" -S "$KH_KVER" --show-depends "$m" >"$root/deps.txt" || return 1
        while read -r line; do
            case $line in insmod\ *) ;; *) continue ;; esac
            path=$(echo "$line" | awk '{ print $2 }')
            base=${path##*/}
            case $base in
            *.ko.xz) base=${base%.xz} ;;
            *.ko.zst) base=${base%.zst} ;;
            *.ko.gz) base=${base%.gz} ;;
            esac
            grep -qx "$base" "$root/modules.order" && continue
            case $path in
            *.xz) xz -dc "$path" >"$root/lib/modules/$base" ;;
            *.zst) zstd -qdc "$path" >"$root/lib/modules/$base" ;;
            *.gz) gzip -dc "$path" >"$root/lib/modules/$base" ;;
            *) cp "$path" "$root/lib/modules/$base" ;;
            esac
            echo "$base" >>"$root/modules.order"
        done <"$root/deps.txt"
    done
    rm -f "$root/deps.txt"
    grep -q '^dm-thin-pool.ko$' "$root/modules.order"
}

# kh_make_initrd JOB_SCRIPT ENV_FILE [BINARY...]: writes $KH_RUN/initrd = base archive + this
# run's job. BINARYs (e.g. dmscope-cli) go into the job archive at their host paths, with the
# libraries they need.
kh_make_initrd() {
    local job=$1 envf=$2 jroot=$KH_RUN/job-root
    shift 2
    mkdir -p "$jroot"
    install -m 644 "$job" "$jroot/job.sh"
    install -m 644 "$envf" "$jroot/job.env"
    [ $# -gt 0 ] && kh_copy_with_libs "$jroot" "$@"
    (cd "$jroot" && find . -mindepth 1 | cpio -o -H newc --quiet) >"$KH_RUN/job.cpio" ||
        kh_fail "packing the job failed"
    cat "$KH_BASE_CPIO" "$KH_RUN/job.cpio" >"$KH_RUN/initrd"
    rm -rf "$jroot"
}

# All preparation, under the cache lock.
kh_prepare_all() {
    kh_ensure_packages
    kh_prepare_kernel
    kh_prepare_base_initramfs
    # report what was prepared to the caller's shell (the lock runs in a subshell)
    printf 'KH_KVER=%q\nKH_KROOT=%q\nKH_VMLINUZ=%q\nKH_BASE_CPIO=%q\n' \
        "$KH_KVER" "$KH_KROOT" "$KH_VMLINUZ" "$KH_BASE_CPIO" >"$KH_RUN/prepared.env"
}
kh_prepare() {
    local t0 rc
    t0=$(kh_now)
    kh_with_cache_lock kh_prepare_all
    rc=$?
    # a skip or failure inside the locked subshell is passed on with its code (its text is printed)
    [ $rc = 0 ] || exit $rc
    . "$KH_RUN/prepared.env"
    command -v qemu-system-x86_64 >/dev/null || kh_skip "qemu-system-x86_64 not found after install"
    qemu-system-x86_64 -version >/dev/null 2>&1 || kh_skip "qemu-system-x86_64 does not start"
    KH_PREPARE_SECONDS=$(kh_secs "$t0")
}

# --- 4. one VM run ---------------------------------------------------------------------------------
# kh_run_vm TIMEOUT_S QEMU_ARGS... (the disks). Boots $KH_VMLINUZ with $KH_RUN/initrd, console in
# $KH_RUN/console.log. The guest powers itself off; `timeout` is the hard limit. Sets
# KH_ACCEL_USED (the last accelerator tried) and KH_VM_SECONDS; returns 0 when the guest reached
# "=== GUEST DONE".
kh_run_vm() {
    local limit=$1 accels a marker
    marker=$KH_CACHE/kvm-unusable-$(uname -r)
    shift
    case $KH_ACCEL in
    auto)
        if [ -e "$marker" ] || [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then accels=tcg; else accels="kvm tcg"; fi
        ;;
    *) accels=$KH_ACCEL ;;
    esac
    for a in $accels; do
        kh_run_vm_once "$a" "$limit" "$@" && return 0
        if [ "$a" = kvm ] && ! grep -q 'GUEST START' "$KH_RUN/console.log"; then
            # the guest never started (silent, or qemu refused): remembered per host kernel, so
            # later runs go straight to TCG
            echo "guest did not start under KVM (rc=$KH_VM_RC): $(tail -1 "$KH_RUN/qemu.log")" >"$marker"
            kh_log "KVM unusable here (remembered in $marker); falling back to TCG"
        else
            kh_log "VM ($a) did not finish (rc=$KH_VM_RC); console tail:"
            tail -15 "$KH_RUN/console.log" >&2
            tail -5 "$KH_RUN/qemu.log" >&2
        fi
    done
    return 1
}

kh_run_vm_once() { # ACCEL TIMEOUT_S QEMU_ARGS...
    local accel=$1 limit=$2 cpu t0 pid i
    shift 2
    KH_ACCEL_USED=$accel
    if [ "$accel" = kvm ]; then
        # -arch-capabilities: some hosts refuse MSR 0x10a with -cpu host
        cpu=(-enable-kvm -cpu host,-arch-capabilities)
    else
        cpu=(-accel tcg -cpu max)
    fi
    : >"$KH_RUN/console.log"
    t0=$(kh_now)
    timeout -k 5 "$limit" qemu-system-x86_64 "${cpu[@]}" -machine q35 -smp 1 -m "$KH_VM_MEM" \
        -nodefaults -no-user-config -nic none -display none -no-reboot -monitor none \
        -serial "file:$KH_RUN/console.log" \
        -kernel "$KH_VMLINUZ" -initrd "$KH_RUN/initrd" \
        -append "console=ttyS0 loglevel=4 panic=-1 rdinit=/init mitigations=off $KH_GUEST_QUIET" \
        "$@" >"$KH_RUN/qemu.log" 2>&1 &
    pid=$!
    if [ "$accel" = kvm ]; then
        # a /dev/kvm that cannot run stock kernels leaves the guest silent: stop after the probe time
        i=0
        while kill -0 "$pid" 2>/dev/null && ! grep -q 'GUEST START\|Linux version' "$KH_RUN/console.log"; do
            sleep 0.2
            i=$((i + 1))
            if [ $i -ge $((KH_KVM_PROBE_S * 5)) ]; then
                kill "$pid" 2>/dev/null
                wait "$pid"
                KH_VM_RC=124
                return 124
            fi
        done
    fi
    wait "$pid"
    KH_VM_RC=$?
    KH_VM_SECONDS=$(kh_secs "$t0")
    grep -q '=== GUEST DONE' "$KH_RUN/console.log"
}

# Guest-side boot time (seconds from kernel start to the job), from the console's uptime stamps.
kh_guest_boot_seconds() {
    sed -n 's/^=== JOB START \([0-9.]*\).*/\1/p' "$KH_RUN/console.log" | head -1
}
