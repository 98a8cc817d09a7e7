#!/usr/bin/env bash
# Installs what is missing (Debian 12), then builds and tests dmscope:
#   1. Release build with the GUI and every test suite: ctest
#   2. ASan+UBSan build of the core, the CLI and the non-GUI suites: ctest
#   3. libFuzzer targets (tests/fuzz), each for DMSCOPE_FUZZ_SECONDS (default 60)
#   4. clang-format check of every C++ file
# Exits non-zero if any stage fails. The last lines are the ctest summary of both runs together.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

dms_install_packages "${DMS_BUILD_PACKAGES[@]}" "${DMS_TEST_PACKAGES[@]}" \
    "${DMS_PACKAGING_PACKAGES[@]}"
dms_prepare_build_root
cd "$DMS_SOURCE_DIR" || exit 1

JOBS="$(nproc)"
START=$SECONDS
ccache --zero-stats >/dev/null 2>&1 # the summary's hit rate is this run's
LOGS="$DMS_BUILD_ROOT/logs"
mkdir -p "$LOGS"
FAILED_STAGES=()
STAGE_NOTES=()
CTEST_TOTAL=0
CTEST_FAILED=0
CTEST_FAILED_LINES=()

note() { STAGE_NOTES+=("$*"); }
fail() {
    FAILED_STAGES+=("$1")
    note "$1: FAILED ($2)"
}

# run_ctest NAME DIR: runs the suites of one build, keeps its summary for the closing lines.
run_ctest() {
    local name="$1" dir="$2" log="$LOGS/ctest-$1.log"
    shift 2
    dms_log "$name: ctest $*"
    ctest --test-dir "$dir" -j2 --output-on-failure --no-tests=error --timeout 1800 "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local line total failed
    line="$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)"
    if [ -n "$line" ]; then
        failed="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
        total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
        CTEST_TOTAL=$((CTEST_TOTAL + total))
        CTEST_FAILED=$((CTEST_FAILED + failed))
        while IFS= read -r l; do CTEST_FAILED_LINES+=("$l ($name)"); done \
            < <(sed -n '/^The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ')
    fi
    if [ "$rc" -ne 0 ]; then
        fail "$name ctest" "${line:-ctest exit code $rc}"
    else
        note "$name ctest: $line"
    fi
}

# --- 1. Release, GUI and every suite -------------------------------------------------------------
dms_log "release: configure and build ($DMS_BUILD_ROOT/release)"
REL="$DMS_BUILD_ROOT/release"
if dms_configure release "${DMS_RELEASE_ARGS[@]}" && ninja -C "$REL" -j"$JOBS"; then
    run_ctest release "$REL"
    # ctest hides a skipped test's output: say why the kernel tests were skipped, if they were.
    while IFS= read -r l; do
        note "kernel tests $l"
        echo "kernel tests $l"
    done < <(grep -h '^SKIPPED:' "$REL/Testing/Temporary/LastTest.log" 2>/dev/null | sort -u)
else
    fail "release build" "see the compiler output above"
fi

# --- 2. ASan+UBSan: core, CLI, non-GUI suites ----------------------------------------------------
# Debug keeps assertions on; -O1 keeps the suites fast enough.
dms_log "asan: configure and build ($DMS_BUILD_ROOT/asan)"
ASAN="$DMS_BUILD_ROOT/asan"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if dms_configure asan -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
    "-DCMAKE_C_FLAGS_DEBUG=-O1 -g" -DDMSCOPE_SANITIZE=ON -DDMSCOPE_BUILD_GUI=OFF \
    -DDMSCOPE_BUILD_TESTS=ON && ninja -C "$ASAN" -j"$JOBS"; then
    # The kernel VM tests and the tool-interop sweep exercise the same code as in the Release
    # run, at sanitizer speed: leave them to the Release run.
    run_ctest asan "$ASAN" -LE 'kernel|interop'

else
    fail "asan build" "see the compiler output above"
fi

# --- 3. Fuzz targets ----------------------------------------------------------------------------
source "$DMS_SOURCE_DIR/scripts/fuzz.sh"
run_fuzz_stage

# --- 4. clang-format ----------------------------------------------------------------------------
dms_log "clang-format check"
if [ -d .git ] || [ -f .git ]; then
    mapfile -t CXX_FILES < <(git ls-files -- '*.cpp' '*.h' '*.hpp' '*.cc')
else
    mapfile -t CXX_FILES < <(find app core models views tests bench -type f \
        \( -name '*.cpp' -o -name '*.h' \) 2>/dev/null | sort)
fi
UNFORMATTED=()
for f in "${CXX_FILES[@]}"; do
    [ -f "$f" ] || continue
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || UNFORMATTED+=("$f")
done
if [ ${#UNFORMATTED[@]} -gt 0 ]; then
    for f in "${UNFORMATTED[@]}"; do clang-format "$f" | diff -u "$f" - | head -n 40; done
    fail "clang-format" "${#UNFORMATTED[@]} file(s) differ: ${UNFORMATTED[*]}; run clang-format -i"
else
    note "clang-format: ${#CXX_FILES[@]} files clean"
fi

# --- Summary: ctest's closing lines last, for both runs together ---------------------------------
dms_log "summary ($(((SECONDS - START) / 60)) min $(((SECONDS - START) % 60)) s)"
ccache --show-stats 2>/dev/null | grep -E '^\s*(Hits|Misses):' | head -n 2 | sed 's/^ */ccache /'
for n in "${STAGE_NOTES[@]}"; do echo "  $n"; done
echo
if [ "$CTEST_TOTAL" -gt 0 ]; then
    pct=$(((CTEST_TOTAL - CTEST_FAILED) * 100 / CTEST_TOTAL))
    echo "$pct% tests passed, $CTEST_FAILED tests failed out of $CTEST_TOTAL"
    if [ ${#CTEST_FAILED_LINES[@]} -gt 0 ]; then
        echo
        echo "The following tests FAILED:"
        printf '%s\n' "${CTEST_FAILED_LINES[@]}"
    fi
fi
if [ ${#FAILED_STAGES[@]} -gt 0 ]; then
    echo "test.sh: FAILED: ${FAILED_STAGES[*]}"
    exit 1
fi
