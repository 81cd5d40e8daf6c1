#!/usr/bin/env bash
# `make test-slurm`: a sweep sharded on a real Slurm and through GNU parallel, merged, must be
# byte-identical to the single-process sweep; merge must refuse a missing or a duplicated shard.
#
# Installs Debian's slurmctld, slurmd, slurm-client, munge and parallel when missing (needs root,
# as in CI), brings up a single-node cluster on localhost with Tests/Slurm/slurm-local.sh (no
# systemd; everything in a temporary folder), and stops only the daemons it started, by PID, on
# any exit. Prints one PASS or FAIL line per check; exits non-zero when any check fails.
#
# Environment: FAULTLINE (the binary; default .build/release/faultline, built by `make release`),
# KEEP=1 keeps the temporary folder (it is kept anyway when a check fails).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
FAULTLINE="${FAULTLINE:-$ROOT/.build/release/faultline}"
CLUSTER="$ROOT/Tests/Slurm/slurm-local.sh"
MODEL="$ROOT/models/small-farm.json5"
# shellcheck disable=SC2054 # the commas are the sweep's values
STUDY=(--set services.web.instances=2,3,4,6 -r 4 --metric 'shoppers.successRatio@2m..3m:mean')
SHARDS=8
FILES=(study.csv replications.csv study.json)

failures=0
started=$SECONDS
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# fatal MESSAGE: a failure after which nothing else can be checked.
fatal() { fail "$*"; exit 1; }
took() { echo "$((SECONDS - $1))s"; }

[[ -x "$FAULTLINE" ]] || fatal "no executable $FAULTLINE (make release)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/faultline-test-slurm.XXXXXX") || fatal "mktemp"
# munged wants every folder above its socket searchable by all.
chmod 755 "$WORK"
export SLURM_LOCAL_DIR="$WORK/cluster"
export SLURM_CONF="$SLURM_LOCAL_DIR/slurm.conf"
steps_before=$(pgrep -x slurmstepd | sort | tr '\n' ' ')
daemons=()

# is_alive PID: a process that is not a zombie (a late-reaped zombie is dead).
is_alive() {
    local stat state
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    state=${stat##*) }; state=${state%% *}
    [[ "$state" != Z && "$state" != X ]]
}

cleanup() {
    local code=$? pid left=()
    trap - EXIT
    "$CLUSTER" down 2>&1 | sed 's/^/  /'
    for pid in "${daemons[@]}"; do is_alive "$pid" && left+=("$pid"); done
    for pid in $(pgrep -x slurmstepd); do
        [[ " $steps_before " == *" $pid "* ]] || { is_alive "$pid" && left+=("$pid"); }
    done
    if ((${#daemons[@]} > 0)); then
        if ((${#left[@]} == 0)); then pass "teardown: the daemons it started (${daemons[*]}) are gone"
        else fail "teardown: still running: $(ps -o pid=,comm= -p "$(IFS=,; echo "${left[*]}")" | tr '\n' ' ')"; fi
    fi
    if ((failures == 0 && code == 0)) && [[ "${KEEP:-0}" != 1 ]]; then
        rm -rf "$WORK"
    else
        echo "  files kept in $WORK (cluster logs in $SLURM_LOCAL_DIR/log, task output in $SLURM_LOCAL_DIR/out)"
    fi
    if ((failures == 0 && code == 0)); then
        echo "test-slurm: all checks passed in $(took "$started")"
    else
        echo "test-slurm: $failures check(s) failed after $(took "$started")"
        ((code == 0)) && code=1
    fi
    exit "$code"
}
trap cleanup EXIT
# Interrupted or killed: still tear down (the EXIT trap runs on exit).
trap 'fail interrupted; exit 130' INT TERM HUP

# same_files A B WHAT: the three study files of folders A and B are byte-identical.
same_files() {
    local a="$1" b="$2" what="$3" file ok=1
    for file in "${FILES[@]}"; do
        if [[ ! -f "$b/$file" ]]; then
            fail "$what: no $file"; ok=0
        elif ! cmp "$a/$file" "$b/$file"; then
            diff "$a/$file" "$b/$file" | head -10 | sed 's/^/  /'
            fail "$what: $file differs from the single-process sweep"; ok=0
        fi
    done
    ((ok)) && pass "$what: ${FILES[*]} byte-identical to the single-process sweep"
}

# merge_refuses WHAT EXPECTED DIR...: merge of DIR... exits 65 and its message names EXPECTED.
merge_refuses() {
    local what="$1" expected="$2"; shift 2
    local out code
    out=$("$FAULTLINE" merge "$@" --out "$WORK/refused" 2>&1); code=$?
    if ((code == 65)) && grep -qF -- "$expected" <<<"$out"; then
        pass "merge refuses $what (exit 65): $(head -1 <<<"$out")"
    else
        echo "$out" | head -5 | sed 's/^/  /'
        fail "merge of $what: exit $code (expected 65, naming '$expected')"
    fi
    [[ ! -e "$WORK/refused/study.csv" ]] || fail "merge of $what wrote $WORK/refused/study.csv"
}

t=$SECONDS
"$CLUSTER" install parallel || fatal "install slurmctld slurmd slurm-client munge parallel"
pass "packages present ($(took "$t"))"

cd "$WORK" || fatal "cd $WORK"
t=$SECONDS
"$FAULTLINE" sweep "$MODEL" "${STUDY[@]}" --out single >single.log 2>&1 ||
    { cat single.log; fatal "single-process sweep"; }
pass "single-process sweep ($(took "$t"))"

t=$SECONDS
"$CLUSTER" up || fatal "cluster up"
for name in munged slurmctld slurmd; do daemons+=("$(cat "$SLURM_LOCAL_DIR/run/$name.pid")"); done
pass "cluster up: munged, slurmctld, slurmd (${daemons[*]}) ($(took "$t"))"

# One CPU per task, so --jobs 1: the slices' bytes do not depend on it.
shard_command=$(printf '%q ' "$FAULTLINE" sweep "$MODEL" "${STUDY[@]}" --jobs 1)
t=$SECONDS
if "$CLUSTER" array "$SHARDS" \
    "$shard_command --shard \$SLURM_ARRAY_TASK_ID/$SHARDS --out slurm/shard-\$SLURM_ARRAY_TASK_ID"; then
    pass "Slurm job array of $SHARDS tasks, every task COMPLETED ($(took "$t"))"
else
    fail "Slurm job array of $SHARDS tasks"
fi

t=$SECONDS
if parallel -j2 --halt now,fail=1 "$shard_command --shard {}/$SHARDS --out parallel/shard-{}" \
    ::: $(seq 0 $((SHARDS - 1))) >parallel.log 2>&1; then
    pass "GNU parallel, $SHARDS shards, -j2 ($(took "$t"))"
else
    sed 's/^/  /' parallel.log | tail -20
    fail "GNU parallel, $SHARDS shards"
fi

for engine in slurm parallel; do
    if "$FAULTLINE" merge "$engine"/shard-* --out "merged-$engine" >"merge-$engine.log" 2>&1; then
        same_files single "merged-$engine" "merge of the $engine shards"
    else
        sed 's/^/  /' "merge-$engine.log"
        fail "merge of the $engine shards"
    fi
done

if [[ -d parallel/shard-3 ]]; then
    rm -rf parallel/shard-3
    merge_refuses "7 of 8 shards (shard-3 deleted)" "3/$SHARDS" parallel/shard-*
fi
if [[ -d slurm/shard-2 ]]; then
    cp -r slurm/shard-2 slurm/shard-2-again
    merge_refuses "shard 2 given twice" "2/$SHARDS" slurm/shard-*
    rm -rf slurm/shard-2-again
fi
if [[ -d slurm/shard-5 ]]; then
    rm -rf slurm/shard-5
    "$FAULTLINE" sweep "$MODEL" "${STUDY[@]}" --seed 7 --shard 5/$SHARDS --out slurm/shard-5 >/dev/null 2>&1
    merge_refuses "a shard of another study (another seed)" "slurm/shard-5" slurm/shard-*
fi
exit 0
