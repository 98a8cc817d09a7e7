# test.sh stage 3 (sourced by test.sh; uses its note/fail helpers): builds the libFuzzer targets of
# tests/fuzz with clang and runs each fuzz_* executable for DMSCOPE_FUZZ_SECONDS on a scratch copy
# of its seed corpus, two at a time. A crash, leak, timeout or out-of-memory fails the stage.

fuzz_corpus_dir() { # NAME -> tests/fuzz/corpus/NAME, or without the fuzz_ prefix
    local name="$1" d
    for d in "tests/fuzz/corpus/$name" "tests/fuzz/corpus/${name#fuzz_}"; do
        [ -d "$d" ] && { echo "$d"; return; }
    done
}

fuzz_run_one() { # EXE SECONDS: log and exit code into $LOGS/fuzz-NAME.{log,rc}
    local exe="$1" seconds="$2" name scratch seeds
    name="$(basename "$exe")"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/dmscope-$name.XXXXXX")"
    mkdir -p "$scratch/corpus" "$scratch/artifacts"
    seeds="$(fuzz_corpus_dir "$name")"
    [ -n "$seeds" ] && cp -r "$seeds/." "$scratch/corpus/"
    "$exe" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" >"$LOGS/fuzz-$name.log" 2>&1
    local rc=$?
    if [ -n "$(ls -A "$scratch/artifacts")" ]; then
        mkdir -p "$LOGS/fuzz-artifacts/$name"
        cp "$scratch/artifacts/"* "$LOGS/fuzz-artifacts/$name/"
    fi
    rm -rf "$scratch"
    echo "$rc" >"$LOGS/fuzz-$name.rc"
}

run_fuzz_stage() {
    if [ ! -f tests/fuzz/CMakeLists.txt ]; then
        note "fuzz: no tests/fuzz/CMakeLists.txt, nothing to fuzz"
        return
    fi
    if ! command -v clang >/dev/null || ! command -v clang++ >/dev/null; then
        note "fuzz: clang is not installed, fuzz targets not built"
        return
    fi
    local seconds="${DMSCOPE_FUZZ_SECONDS:-60}"
    local dir="$DMS_BUILD_ROOT/fuzz"
    dms_log "fuzz: configure and build ($dir)"
    if ! dms_configure fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMSCOPE_FUZZ=ON \
        -DDMSCOPE_BUILD_GUI=OFF -DDMSCOPE_BUILD_TESTS=OFF \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++; then
        fail "fuzz" "configure failed"
        return
    fi
    if ! ninja -C "$dir" -t query fuzz >/dev/null 2>&1; then
        fail "fuzz" "tests/fuzz exists but the fuzz build has no 'fuzz' target"
        return
    fi
    if ! ninja -C "$dir" -j"$JOBS" fuzz; then
        fail "fuzz" "build failed"
        return
    fi
    local exes=() exe
    for exe in "$dir"/tests/fuzz/fuzz_*; do
        [ -f "$exe" ] && [ -x "$exe" ] && exes+=("$exe")
    done
    if [ ${#exes[@]} -eq 0 ]; then
        fail "fuzz" "the fuzz target built no fuzz_* executable in $dir/tests/fuzz"
        return
    fi
    rm -rf "$LOGS/fuzz-artifacts" # reproducers of earlier runs would be taken for this run's
    dms_log "fuzz: ${#exes[@]} targets, ${seconds} s each, two at a time"
    local running=()
    for exe in "${exes[@]}"; do
        rm -f "$LOGS/fuzz-$(basename "$exe").rc"
        fuzz_run_one "$exe" "$seconds" &
        running+=($!)
        if [ ${#running[@]} -ge 2 ]; then
            wait "${running[0]}"
            running=("${running[@]:1}")
        fi
    done
    wait
    local bad=() name rc runs
    for exe in "${exes[@]}"; do
        name="$(basename "$exe")"
        rc="$(cat "$LOGS/fuzz-$name.rc" 2>/dev/null || echo 255)"
        runs="$(grep -E '^stat::number_of_executed_units:' "$LOGS/fuzz-$name.log" | awk '{print $2}')"
        if [ "$rc" -ne 0 ]; then
            echo "--- $name failed (exit $rc); last lines of $LOGS/fuzz-$name.log:"
            tail -n 60 "$LOGS/fuzz-$name.log"
            [ -d "$LOGS/fuzz-artifacts/$name" ] &&
                echo "--- reproducer(s) kept in $LOGS/fuzz-artifacts/$name/"
            bad+=("$name")
        else
            echo "$name: ${runs:-?} inputs in ${seconds} s, no crash"
        fi
    done
    if [ ${#bad[@]} -gt 0 ]; then
        fail "fuzz" "${bad[*]} crashed or failed"
    else
        note "fuzz: ${#exes[@]} targets x ${seconds} s, no crash"
    fi
}
