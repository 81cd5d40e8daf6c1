#!/usr/bin/env bash
# Builds the fuzz target (Tests/Fuzz/build.sh) and fuzzes the model reader, decoder and engine:
#   1. replays every seed (models/, bench/, the theory models, Tests/Fuzz/seeds/) and every known
#      crash in Tests/Fuzz/crashes/, one at a time: each must be rejected with errors or run
#      cleanly within 10 s; every one that does not is listed, and the run fails;
#   2. fuzzes for FUZZ_SECONDS seconds (default 60) with one worker.
# Exits non-zero when an input crashes (a trap, a failed precondition, a sanitizer report), leaving
# the input in .build/fuzz/findings/ and printing how to reproduce it. Timeouts and running out of
# memory are reported but do not fail the run. The corpus the fuzzer grows is kept in
# .build/fuzz/corpus/ between runs. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
out="${FUZZ_BUILD:-.build/fuzz}"
fuzzer="$out/fuzz-model"
findings="$out/findings"

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then Tests/Fuzz/build.sh; fi

# The Swift runtime's backtracer hangs when libFuzzer's signal handler is installed; libFuzzer
# prints the stack itself, with the trap's message ("Swift runtime failure: arithmetic overflow").
export SWIFT_BACKTRACE=enable=no

# The seeds, copied under one folder (names prefixed with their folder, since some repeat).
rm -rf "$out/seeds" "$findings"
mkdir -p "$out/seeds" "$out/corpus" "$findings"
for dir in models bench Tests/EndToEndTests/Theory Tests/Fuzz/seeds Tests/Fuzz/crashes; do
    for file in "$dir"/*; do
        case "$file" in *.json5|*/crashes/*) ;; *) continue ;; esac
        [ -f "$file" ] && cp "$file" "$out/seeds/$(echo "$dir" | tr / -)-$(basename "$file")"
    done
done

report() {
    local found=("$findings"/crash-*)
    [ -e "${found[0]}" ] || return 0
    echo
    echo "fuzz: FAILED: ${#found[@]} crashing input(s) in $findings/:"
    for file in "${found[@]}"; do echo "  $file"; done
    echo "Reproduce one (prints what the model loader said, then the trap and its stack):"
    echo "  SWIFT_BACKTRACE=enable=no FAULTLINE_FUZZ_VERBOSE=1 $fuzzer ${found[0]}"
    echo "Minimise it:"
    echo "  SWIFT_BACKTRACE=enable=no $fuzzer -minimize_crash=1 -max_total_time=60 -exact_artifact_path=$findings/minimised ${found[0]}"
    echo "Then keep it as a test (see docs/fuzzing.md)."
    return 1
}
warnings() {
    local other=("$findings"/timeout-* "$findings"/oom-* "$findings"/slow-unit-*)
    for file in "${other[@]}"; do [ -e "$file" ] && echo "fuzz: note: not a failure, but slow or large: $file"; done
    return 0
}

flags=(-dict=Tests/Fuzz/model.dict -max_len=8192 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/")

# Step 1: every seed and known crash alone, so that all failing ones are listed at once.
echo "fuzz: replaying $(ls "$out/seeds" | wc -l) seeds and known crashes"
: > "$out/replay.log"
failed=()
for file in "$out/seeds"/*; do
    status=0
    "$fuzzer" "${flags[@]}" "$file" > "$out/one.log" 2>&1 || status=$?
    cat "$out/one.log" >> "$out/replay.log"
    if [ "$status" -ne 0 ]; then
        what=$(grep -m1 -oE "Swift runtime failure: [a-z ]+|Fatal error: .*" "$out/one.log" \
            || grep -m1 -oE "ERROR: (libFuzzer|AddressSanitizer): [a-z0-9 -]+" "$out/one.log" || echo "status $status")
        what="${what% }"
        where=$(grep -m1 -oE "(Sources|Tests)/[A-Za-z0-9_+/.-]+:[0-9]+:[0-9]+" "$out/one.log" || true)
        failed+=("$(basename "$file"): $what${where:+ at $where}")
    fi
done
if [ "${#failed[@]}" -ne 0 ]; then
    echo "fuzz: FAILED: ${#failed[@]} seed(s) or known crash(es) fail (log: $out/replay.log):"
    for line in "${failed[@]}"; do echo "  $line"; done
    echo "Reproduce one (the seeds are copies of the files named, with their folder as prefix):"
    echo "  SWIFT_BACKTRACE=enable=no FAULTLINE_FUZZ_VERBOSE=1 $fuzzer $out/seeds/NAME"
    exit 1
fi

echo "fuzz: fuzzing for $seconds seconds (log: $out/fuzz.log)"
status=0
"$fuzzer" "${flags[@]}" -max_total_time="$seconds" -fork=1 -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 \
    "$out/corpus" "$out/seeds" > "$out/fuzz.log" 2>&1 || status=$?
grep -E "^#[0-9]+: cov" "$out/fuzz.log" | tail -1 || true
warnings
# A crash leaves a crash-* file. A non-zero status without one is a failure too, unless an
# ignored timeout or out-of-memory input explains it (libFuzzer may exit with the last job's status).
crashed=0
compgen -G "$findings/crash-*" > /dev/null && crashed=1
if [ "$status" -ne 0 ] && ! compgen -G "$findings/timeout-*" > /dev/null && ! compgen -G "$findings/oom-*" > /dev/null; then
    crashed=1
fi
if [ "$crashed" -ne 0 ]; then
    grep -E "ERROR|Fatal error|Swift runtime failure|SUMMARY| in \\\$s" "$out/fuzz.log" | head -12 || true
    report || true
    echo "fuzz: the fuzzer stopped with status $status (log: $out/fuzz.log)"
    exit 1
fi
echo "fuzz: no crash"
