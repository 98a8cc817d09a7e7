# shellcheck shell=bash
# Helpers of the kernel ctest drivers: a scratch directory, running kernel-accepts with the skip
# code passed through, and assertions on its report.
set -u
KERNEL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTS_DIR=$(cd "$KERNEL_DIR/.." && pwd)
FIX=$TESTS_DIR/fixtures
. "$KERNEL_DIR/images.sh"
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/dmscope-kernel-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
FAILURES=0

# accepts ARGS...: runs kernel-accepts, output in $SCRATCH/report.txt (and on stdout). A skip
# ends the test with the skip code; a harness error fails it.
accepts() {
    "$KERNEL_DIR/kernel-accepts" "$@" 2>&1 | tee "$SCRATCH/report.txt"
    ACCEPTS_RC=${PIPESTATUS[0]}
    case $ACCEPTS_RC in
    77) exit 77 ;;
    2) echo "FAIL: kernel-accepts could not run the cases (harness error)"; exit 1 ;;
    esac
}

check() { # check DESCRIPTION COMMAND...: one assertion, reported either way
    if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; FAILURES=$((FAILURES + 1)); fi
}

# case_block NAME: the report lines of one case.
case_block() { awk -v n="=== $1: " 'index($0, n) == 1 { on = 1; print; next } /^=== / { on = 0 } on' "$SCRATCH/report.txt"; }
verdict_is() { case_block "$1" | head -1 | grep -q "^=== $1: $2 "; }
# all_contents_match NAME: the case compared at least one thin and every one matched.
all_contents_match() { case_block "$1" | grep -Eq 'contents: ([1-9][0-9]*) of \1 thins'; }
# kernel_lines NAME: how many kernel log lines the case shows.
kernel_lines() { case_block "$1" | sed -n 's/^    kernel log (\([0-9]*\) lines):$/\1/p'; }

finish() {
    check "kernel-accepts exit code 0 (every case as expected)" test "$ACCEPTS_RC" = 0
    [ "$FAILURES" = 0 ] && echo "PASSED" && exit 0
    echo "$FAILURES assertion(s) failed"
    exit 1
}
