#!/usr/bin/env bash
# `make test`: builds and runs every test, keeping the thousands of lines of passing cases in log
# files under .build/test-logs/ and printing only what failed and one summary line per phase, then
# `N passed, M failed` for the whole suite. Exits non-zero when any build or test fails.
#
# Phases: every test in release mode (the statistical checks against queueing theory need the
# speed), then the engine's own tests again in a debug build, where table indices and the
# scheduling invariants are checked.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
LOGS=.build/test-logs
mkdir -p "$LOGS"
total_passed=0
total_failed=0
status=0

# build NAME COMMAND...: runs a build step quietly; on failure prints its errors and the log's
# path, and counts as one failure.
build() {
    local name="$1"; shift
    local log="$LOGS/$name.log"
    if ! "$@" >"$log" 2>&1; then
        echo "✘ $name failed ($*); the errors, from $log:"
        grep -E "error:|fatal" "$log" | head -40 || tail -40 "$log"
        total_failed=$((total_failed + 1))
        status=1
        return 1
    fi
    echo "✔ $name"
}

# tests NAME COMMAND...: runs a test step quietly; prints each failed test with its issues, and a
# count of tests passed and failed.
tests() {
    local name="$1"; shift
    local log="$LOGS/$name.log"
    "$@" >"$log" 2>&1
    local code=$?
    # Swift Testing closes with `✔ Test run with N tests in M suites passed` (or `✘ ... failed`);
    # a failed test ends with `✘ Test "NAME" failed after`, or `✘ Test name() failed after` for a
    # plainly named one, `... with N test cases failed after` when parameterised.
    local total failed passed
    total=$(sed -nE 's/^. Test run with ([0-9]+) tests? .*/\1/p' "$log" | tail -n 1)
    failed=$(grep -cE '^✘ Test ("[^"]*"|[^ ]+\(\))( with [0-9]+ test cases?)? failed after' "$log")
    if [ -z "$total" ]; then
        # The test process ended before its closing line (a crash): what passed until then, and
        # the crash as one more failure.
        passed=$(grep -cE '^✔ Test ' "$log")
        failed=$((failed + 1))
    else
        passed=$((total - failed))
        [ "$passed" -lt 0 ] && passed=0
    fi
    if [ "$code" -ne 0 ] || [ "$failed" -ne 0 ]; then
        [ "$failed" -eq 0 ] && failed=1
        echo "✘ $name: $passed passed, $failed failed; the failures, from $log:"
        grep -E '^✘ |Fatal error|fatalError|Crash' "$log" | grep -v '^✘ Test run with' | head -80
        if [ "$code" -ne 0 ] && ! grep -q '^. Test run with' "$log"; then
            echo "  (the test process exited with $code before its closing line; the end of the log:)"
            tail -20 "$log"
        fi
        status=1
    else
        echo "✔ $name: $passed passed, 0 failed"
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
}

start=$(date +%s)
if build "release build" "$SWIFT" build -c release --build-tests; then
    tests "release tests" "$SWIFT" test -c release --skip-build
fi
if build "debug build" "$SWIFT" build --build-tests; then
    tests "debug engine tests" "$SWIFT" test --skip-build --filter FailureChainsTests
fi
echo "tests: $total_passed passed, $total_failed failed in $(( $(date +%s) - start ))s (logs in $LOGS/)"
echo "$total_passed passed, $total_failed failed"
exit $status
