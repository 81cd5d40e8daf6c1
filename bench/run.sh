#!/usr/bin/env bash
# bench/run.sh — Faultline on the reference models of ../shared/bench/MODELS.md, side by side with the
# plain C reference (des.c) when it is there. Run from the repo root by `make bench` (which builds
# .build/release/faultline first); see bench/README.md for how to read the table.
#
# Environment:
#   RUNS=7                   whole-process runs per model and implementation (median, min, max are shown)
#   MODELS="mm1 mmc wide"    which models to run
#   FAULTLINE_BIN=...        the faultline binary (default .build/release/faultline)
#   FAULTLINE_C_REFERENCE=.. des.c, or the folder holding it (default ../shared/bench/des.c)
#   CC=cc                    C compiler for the reference
#   TIME_BIN=/usr/bin/time   GNU time, for peak RSS; without it wall time only
#   BENCH_CALLGRIND=1        also count instructions per model event under valgrind (slow: 1-2 min more)
#   BENCH_FARM=0             skip the scale benchmark (farm10k.json5 beside its 10-instance twin farm10.json5)
#   FARM_RUNS=3              rounds of that benchmark (also the C floor bench/farm-floor.c, when CC works)
#   FARM_SHORT=1000          completions of the short farm runs, for the marginal cost per event
#   BENCH_STUDY=0            skip the replications benchmark (replicate -r 16 of the airline at --jobs 1 and 2)
#   STUDY_RUNS=RUNS          rounds of that benchmark (default: RUNS)
#   STUDY_R=16               replications per replicate command
#   STUDY_IDLE=85            before each round, wait for the CPUs to be this % idle over a second...
#   STUDY_IDLE_WAIT=15       ...for at most this many seconds (0: do not wait)
#
# This is a report, not a test: targets are marked PASS/FAIL but the script exits 0 whenever it could
# measure. It exits non-zero only when it cannot run at all (no faultline binary).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-7}
BENCH_STUDY=${BENCH_STUDY:-1}
BENCH_FARM=${BENCH_FARM:-1}
FARM_RUNS=${FARM_RUNS:-3}
FARM_SHORT=${FARM_SHORT:-1000}
STUDY_RUNS=${STUDY_RUNS:-$RUNS}
STUDY_R=${STUDY_R:-16}
STUDY_IDLE=${STUDY_IDLE:-85}
STUDY_IDLE_WAIT=${STUDY_IDLE_WAIT:-15}
MODELS=${MODELS:-"mm1 mmc wide"}
BIN=${FAULTLINE_BIN:-.build/release/faultline}
TIME_BIN=${TIME_BIN:-/usr/bin/time}
CC=${CC:-cc}
C_OUT_DIR=bench/.c-reference

# The awk functions every table below uses: median(LIST) of a space-separated list (and its lo,
# hi), commas(X) for 1,234,567. Spliced into each awk program as '"$AWK_STATS"'.
AWK_STATS='
function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    lo = v[1]; hi = v[n]
    return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function commas(x,   s, r) {
    s = sprintf("%.0f", x); r = ""
    while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
    return s r
}
'

# Targets (printed beside the figures).
TARGET_RATIO=2        # Faultline wall time within 2x the C reference
TARGET_RSS_MIB=64     # Faultline peak RSS below 64 MiB
TARGET_WIDE=5         # wide/mm1 cost per model event at most 5x
TARGET_FARM_RSS_MIB=96  # farm10k (10,000 instances) peak RSS at most 96 MiB
TARGET_FARM_COST=2      # farm10k cost per engine event at most 2x farm10's
TARGET_SPEEDUP=1.8    # replicate -r 16 of the airline: --jobs 2 at least 1.8x faster than --jobs 1

# MODELS.md: departures N, analytic mean wait Wq, its 3-sd band at N (widens as sqrt(N/n) for n < N).
declare -A REF_N=([mm1]=1000000 [mmc]=1000000 [wide]=2000000)
declare -A REF_WQ=([mm1]=9.0 [mmc]=0.876916 [wide]=0)
declare -A REF_BAND=([mm1]=0.75 [mmc]=0.045 [wide]=0)
# wide: Wq must be 0; the stopping rule biases W low, ~0.996 at N = 2e6 (checked to +/- 0.005).
WIDE_W=0.996
WIDE_W_BAND=0.005

for setting in RUNS STUDY_RUNS STUDY_R FARM_RUNS FARM_SHORT; do
    if ! [[ "${!setting}" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench: $setting must be a positive integer, found '${!setting}'" >&2
        exit 64
    fi
done
if ! [[ "$STUDY_IDLE" =~ ^[0-9]+$ ]] || (( STUDY_IDLE > 100 )) || ! [[ "$STUDY_IDLE_WAIT" =~ ^[0-9]+$ ]]; then
    echo "bench: STUDY_IDLE must be a percentage from 0 to 100 and STUDY_IDLE_WAIT a number of seconds, found '$STUDY_IDLE' and '$STUDY_IDLE_WAIT'" >&2
    exit 64
fi
for model in $MODELS; do
    if [[ -z "${REF_N[$model]:-}" || ! -f "bench/$model.json5" ]]; then
        echo "bench: unknown model '$model' (known: mm1 mmc wide)" >&2
        exit 64
    fi
done
if [[ ! -x "$BIN" ]]; then
    echo "bench: no faultline binary at $BIN; build it with 'swift build -c release --product faultline' (or run 'make bench')" >&2
    exit 66
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/faultline-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

note() { echo "note: $*"; }
# Progress on stderr, only when it is a terminal (so that a saved report stays clean).
progress() { if [[ -t 2 ]]; then printf '\r\033[K%s' "$*" >&2; fi; }
progress_end() { if [[ -t 2 ]]; then printf '\r\033[K' >&2; fi; }

# ---------------------------------------------------------------- how to time a process
# Wall time: bash's `time` keyword (TIMEFORMAT=%3R, millisecond resolution; GNU time's %e has only
# 10 ms, too coarse for a 0.08 s C run). Peak RSS: GNU time's %M when it works, else not measured.
TIMEFORMAT=%3R
HAVE_RSS=0
if [[ -x "$TIME_BIN" ]] && "$TIME_BIN" -f '%M' -o "$TMP/probe" true 2>/dev/null && [[ -s "$TMP/probe" ]]; then
    HAVE_RSS=1
else
    note "GNU time not usable at $TIME_BIN: wall time only, peak RSS not measured."
    note "as root, 'apt-get install -y time' provides it; the RSS target is then reported as n/a."
fi

# measure STDOUT_FILE CMD... -> sets WALL (s), RSS_KIB (or empty), RC
measure() {
    local out=$1; shift
    RC=0
    if [[ $HAVE_RSS == 1 ]]; then
        { time "$TIME_BIN" -f '%M' -o "$TMP/rss" "$@" >"$out" 2>"$TMP/stderr"; } 2>"$TMP/wall" || RC=$?
        RSS_KIB=$(tail -n 1 "$TMP/rss")
    else
        { time "$@" >"$out" 2>"$TMP/stderr"; } 2>"$TMP/wall" || RC=$?
        RSS_KIB=""
    fi
    WALL=$(tail -n 1 "$TMP/wall")
}

# ---------------------------------------------------------------- the C reference
C_BIN=""
c_source=${FAULTLINE_C_REFERENCE:-../shared/bench/des.c}
[[ -d "$c_source" ]] && c_source="$c_source/des.c"
if [[ -f "$c_source" ]]; then
    if ! command -v "$CC" >/dev/null 2>&1; then
        note "C reference found at $c_source but no C compiler ('$CC'); Faultline only."
    else
        mkdir -p "$C_OUT_DIR"
        if "$CC" -O2 -o "$C_OUT_DIR/des_c" "$c_source" -lm 2>"$TMP/cc.err"; then
            C_BIN="$C_OUT_DIR/des_c"
        else
            note "compiling the C reference failed; Faultline only:"; cat "$TMP/cc.err"
        fi
    fi
else
    note "no C reference at $c_source (set FAULTLINE_C_REFERENCE); Faultline only, no ratios."
fi
IMPLS="faultline"
[[ -n "$C_BIN" ]] && IMPLS="c faultline"

# ---------------------------------------------------------------- one run of one implementation
# Appends "model impl wall rss_kib completed wait sojourn engine_events rc" to $TMP/runs.
run_one() {
    local model=$1 impl=$2 completed=NA wait=NA sojourn=NA events=NA
    if [[ $impl == c ]]; then
        measure "$TMP/c.out" "$C_BIN" "$model" "${REF_N[$model]}" 12345
        if [[ $RC == 0 ]]; then
            read -r completed wait sojourn events < <(tr ' ' '\n' <"$TMP/c.out" | awk -F= '
                {v[$1] = $2} END {print v["departed"], v["mean_wait"], v["mean_sojourn"], v["events"]}')
        fi
    else
        local dir="$TMP/out-$model"
        rm -rf "$dir"
        measure "$TMP/faultline.out" "$BIN" run "bench/$model.json5" --out "$dir"
        if [[ $RC == 0 ]]; then
            read -r completed wait sojourn < <(awk -F, '$1 == "server" {v[$2] = $3}
                END {print v["completed"], v["waitMean"], v["latencyMean"]}' "$dir/summary.csv")
            events=$(sed -n 's/.*"eventCount": *\([0-9]*\).*/\1/p' "$dir/run.json" | head -n 1)
        fi
    fi
    if [[ $RC != 0 ]]; then
        echo "bench: $impl $model exited with status $RC:" >&2
        tail -n 5 "$TMP/stderr" >&2 || true
    fi
    echo "$model $impl $WALL ${RSS_KIB:-NA} $completed $wait $sojourn ${events:-NA} $RC" >>"$TMP/runs"
}

# ---------------------------------------------------------------- measure
echo "Faultline benchmark: $(uname -m), $(nproc 2>/dev/null || echo '?') CPUs, $RUNS runs per model and implementation"
echo "faultline: $BIN$( [[ -n "$C_BIN" ]] && echo ", C reference: $c_source (built with $CC -O2)" )"
# One short untimed run of each program first, so that the first timed run does not pay for a cold cache.
"$BIN" run bench/mm1.json5 --duration 10s --out "$TMP/warm" >/dev/null 2>&1 || true
[[ -n "$C_BIN" ]] && { "$C_BIN" mm1 1000 >/dev/null 2>&1 || true; }

: >"$TMP/runs"
start=$SECONDS
# Rounds: each round runs every model once with every implementation, the order of C and Faultline
# alternating from round to round, so that machine noise is spread over both.
for ((round = 1; round <= RUNS; round++)); do
    order=$IMPLS
    [[ -n "$C_BIN" && $((round % 2)) == 0 ]] && order="faultline c"
    for model in $MODELS; do
        for impl in $order; do run_one "$model" "$impl"; done
    done
    progress "round $round/$RUNS done ($((SECONDS - start)) s)"
done
progress_end

# ---------------------------------------------------------------- summarise
# Per model and implementation: median [min..max] wall, max peak RSS, completed, correctness.
awk -v ref_n="$(for m in $MODELS; do printf '%s=%s,' "$m" "${REF_N[$m]}"; done)" \
    -v ref_wq="$(for m in $MODELS; do printf '%s=%s,' "$m" "${REF_WQ[$m]}"; done)" \
    -v ref_band="$(for m in $MODELS; do printf '%s=%s,' "$m" "${REF_BAND[$m]}"; done)" \
    -v models="$MODELS" -v impls="$IMPLS" -v have_rss="$HAVE_RSS" -v c_present="${C_BIN:+1}" \
    -v t_ratio="$TARGET_RATIO" -v t_rss="$TARGET_RSS_MIB" -v t_wide="$TARGET_WIDE" \
    -v wide_w="$WIDE_W" -v wide_w_band="$WIDE_W_BAND" '
function parse(s, arr,   n, parts, i, kv) {
    n = split(s, parts, ",")
    for (i = 1; i <= n; i++) if (parts[i] != "") { split(parts[i], kv, "="); arr[kv[1]] = kv[2] }
}
'"$AWK_STATS"'
function abs(x) { return x < 0 ? -x : x }
function verdict(ok) { return ok ? "PASS" : "FAIL" }
BEGIN { parse(ref_n, RN); parse(ref_wq, RW); parse(ref_band, RB) }
{
    k = $1 SUBSEP $2
    if ($9 != 0) { failed[k]++; next }
    walls[k] = walls[k] " " $3; runs[k]++
    if ($4 != "NA" && $4 + 0 > rss[k]) rss[k] = $4 + 0
    completed[k] = $5; wait[k] = $6; soj[k] = $7; engine[k] = $8
}
END {
    nm = split(models, M, " "); ni = split(impls, I, " ")
    print ""
    print "| model | impl | N departed | runs | wall s median [min..max] | model events/s | peak RSS MiB | correctness: measured (analytic) |"
    print "|---|---|---|---|---|---|---|---|"
    for (a = 1; a <= nm; a++) for (b = 1; b <= ni; b++) {
        m = M[a]; im = I[b]; k = m SUBSEP im
        if (!runs[k]) { printf "| %s | %s | - | 0 | failed (%d runs) | - | - | - |\n", m, im, failed[k]; continue }
        med[k] = median(walls[k])
        ev = 2 * completed[k]                    # model events: arrivals + departures, 2 per customer
        evs[k] = ev; cost[k] = med[k] / ev
        rss_text = have_rss ? sprintf("%.1f", rss[k] / 1024) : "n/a"
        if (m == "wide") {
            ok = abs(wait[k]) < 1e-9 && abs(soj[k] - wide_w) <= wide_w_band
            corr = sprintf("Wq %.4f (0), W %.4f (%.3f ±%.3f)", wait[k], soj[k], wide_w, wide_w_band)
        } else {
            band = RB[m] * sqrt(RN[m] / completed[k])
            ok = abs(wait[k] - RW[m]) <= band
            corr = sprintf("Wq %.4f (%.4f ±%.3f)", wait[k], RW[m], band)
        }
        printf "| %s | %s | %s | %d | %.3f [%.3f..%.3f] | %s | %s | %s %s |\n", m, im, commas(completed[k]),
               runs[k], med[k], lo, hi, commas(ev / med[k]), rss_text, corr, ok ? "ok" : "WRONG"
        if (im == "faultline" && engine[k] != "NA")
            extra = extra sprintf("%s %s %s", extra == "" ? "" : ",", m, commas(engine[k]))
    }
    print ""
    print "Whole-process figures: wall time includes start-up, model parsing and writing the output files."
    if (extra != "") print "Faultline engine events (run.json):" extra " (= model events + arrivals of customers still in the system at the stop + series interval ends)."
    print ""
    print "Targets (a report: the script exits 0 either way)"
    for (a = 1; a <= nm; a++) {
        m = M[a]; f = m SUBSEP "faultline"; c = m SUBSEP "c"
        if (c_present && runs[f] && runs[c]) {
            r = med[f] / med[c]
            printf "  %-5s wall time faultline/C    %6.2fx   (target <= %gx)      %s\n", m, r, t_ratio, verdict(r <= t_ratio)
        }
        if (runs[f]) {
            if (have_rss) printf "  %-5s peak RSS faultline       %6.1f MiB (target < %g MiB)  %s\n", m, rss[f] / 1024, t_rss, verdict(rss[f] / 1024 < t_rss)
            else printf "  %-5s peak RSS faultline          n/a   (GNU time missing)\n", m
        }
    }
    if (runs["wide" SUBSEP "faultline"] && runs["mm1" SUBSEP "faultline"]) {
        r = cost["wide" SUBSEP "faultline"] / cost["mm1" SUBSEP "faultline"]
        printf "  wide/mm1 cost per model event, faultline %5.2fx   (target <= %gx)  %s\n", r, t_wide, verdict(r <= t_wide)
        if (runs["wide" SUBSEP "c"] && runs["mm1" SUBSEP "c"])
            printf "  wide/mm1 cost per model event, C         %5.2fx   (reference)\n", cost["wide" SUBSEP "c"] / cost["mm1" SUBSEP "c"]
    }
}' "$TMP/runs"
echo "(measured in $((SECONDS - start)) s)"

# ---------------------------------------------------------------- scale: 10,000 instances
# bench/farm10k.json5 and its twin bench/farm10.json5 (the same instance and the same load per
# instance, 10 instances), 1M requests each, in rounds (the order alternating). Peak RSS (GNU time)
# and the cost per engine event (wall / run.json eventCount): the per-instance structures must cost
# memory in proportion to the instances, not time per event.
# In the same rounds: each farm again stopped at the FARM_SHORT-th completion (--set
# run.endAfterCompletions), for the marginal cost per event, (wall(full) - wall(short)) /
# (events(full) - events(short)), in which start-up, assembly and writing the per-instance rows
# cancel; and bench/farm-floor.c, the same farm in a minimal C event loop (its loop timed alone), at
# N = 10 and N = 10,000: the ratio of its costs per event is the floor this machine allows.
if [[ "$BENCH_FARM" != 0 ]]; then
    FLOOR_BIN=""
    if ! command -v "$CC" >/dev/null 2>&1; then
        note "no C compiler ('$CC'): the farm's C floor (bench/farm-floor.c) is skipped."
    else
        mkdir -p "$C_OUT_DIR"
        if "$CC" -std=c11 -O2 -o "$C_OUT_DIR/farm-floor" bench/farm-floor.c -lm 2>"$TMP/cc-floor.err"; then
            FLOOR_BIN="$C_OUT_DIR/farm-floor"
        else
            note "compiling bench/farm-floor.c failed; the farm's C floor is skipped:"; cat "$TMP/cc-floor.err"
        fi
    fi
    # The floor runs as many completions as the models do (the twins share run.endAfterCompletions).
    farm_completions=$(sed -n 's/^ *endAfterCompletions: *\([0-9]*\).*/\1/p' bench/farm10.json5 | head -n 1)
    farm_completions=${farm_completions:-1000000}
    echo
    echo "Scale: bench/farm10k.json5 (10,000 instances) beside bench/farm10.json5 (10), 1M requests each, $FARM_RUNS rounds"
    echo "(each also stopped at completion $FARM_SHORT for the marginal cost$( [[ -n "$FLOOR_BIN" ]] && echo "; the C floor bench/farm-floor.c, built with $CC -std=c11 -O2, in the same rounds" ))"
    # farm_job JOB -> appends "job wall rss_kib events rc completed latency_mean" to $TMP/farm.
    # JOB: farm10, farm10k (whole runs), farm10-short, farm10k-short (stopped at FARM_SHORT
    # completions), floor10, floor10k (the C floor; wall is its loop's, from its own clock).
    farm_job() {
        local job=$1 farm=${1%-short} events=NA completed=NA latency=NA
        if [[ $job == floor* ]]; then
            local n=10
            [[ $job == floor10k ]] && n=10000
            RC=0; RSS_KIB=""; WALL=NA
            "$FLOOR_BIN" "$n" "$farm_completions" 12345 >"$TMP/floor.out" 2>"$TMP/stderr" || RC=$?
            if [[ $RC == 0 ]]; then
                read -r WALL events completed latency < <(tr ' ' '\n' <"$TMP/floor.out" | awk -F= '
                    {v[$1] = $2} END {print v["wall_loop"], v["events"], v["completed"], v["mean_latency"]}')
                WALL=${WALL:-NA}
            else
                echo "bench: farm-floor $n exited with status $RC:" >&2; tail -n 5 "$TMP/stderr" >&2 || true
            fi
        else
            local short=()
            [[ $job == *-short ]] && short=(--set "run.endAfterCompletions=$FARM_SHORT")
            rm -rf "$TMP/out-$job"
            measure "$TMP/faultline.out" "$BIN" run "bench/$farm.json5" ${short[@]+"${short[@]}"} --out "$TMP/out-$job"
            if [[ $RC == 0 ]]; then
                events=$(sed -n 's/.*"eventCount": *\([0-9]*\).*/\1/p' "$TMP/out-$job/run.json" | head -n 1)
                read -r completed latency < <(awk -F, '$1 == "web" {v[$2] = $3}
                    END {print (v["completed"] == "" ? "NA" : v["completed"]), (v["latencyMean"] == "" ? "NA" : v["latencyMean"])}' "$TMP/out-$job/summary.csv")
            else
                echo "bench: faultline $job exited with status $RC:" >&2; tail -n 5 "$TMP/stderr" >&2 || true
            fi
        fi
        echo "$job $WALL ${RSS_KIB:-NA} ${events:-NA} $RC ${completed:-NA} ${latency:-NA}" >>"$TMP/farm"
    }
    farm_jobs="farm10 farm10k farm10-short farm10k-short"
    [[ -n "$FLOOR_BIN" ]] && farm_jobs="$farm_jobs floor10 floor10k"
    farm_jobs_reversed=$(echo "$farm_jobs" | tr ' ' '\n' | tac | tr '\n' ' ')
    : >"$TMP/farm"
    farm_start=$SECONDS
    for ((round = 1; round <= FARM_RUNS; round++)); do
        order=$farm_jobs
        (( round % 2 == 0 )) && order=$farm_jobs_reversed
        for job in $order; do farm_job "$job"; done
        progress "farm round $round/$FARM_RUNS done ($((SECONDS - farm_start)) s)"
    done
    progress_end
    awk -v have_rss="$HAVE_RSS" -v t_rss="$TARGET_FARM_RSS_MIB" -v t_cost="$TARGET_FARM_COST" -v short="$FARM_SHORT" \
        -v floor_present="${FLOOR_BIN:+1}" '
'"$AWK_STATS"'
$5 != 0 || $4 == "NA" || $2 == "NA" { failed[$1]++; next }
{ wall[$1] = wall[$1] " " $2; runs[$1]++; events[$1] = $4; if ($3 != "NA" && $3 + 0 > rss[$1]) rss[$1] = $3 + 0
  completed[$1] = $6; latency[$1] = $7 }
END {
    print ""
    print "| model | instances | runs | wall s median [min..max] | engine events | ns per event | peak RSS MiB |"
    print "|---|---|---|---|---|---|---|"
    split("farm10 farm10k", F, " "); n["farm10"] = "10"; n["farm10k"] = "10,000"
    for (k = 1; k <= 2; k++) {
        f = F[k]
        if (!runs[f]) { printf "| %s | %s | 0 | failed (%d runs) | - | - | - |\n", f, n[f], failed[f]; continue }
        m[f] = median(wall[f]); cost[f] = m[f] / events[f]
        printf "| %s | %s | %d | %.3f [%.3f..%.3f] | %d | %.1f | %s |\n", f, n[f], runs[f], m[f], lo, hi, events[f],
               cost[f] * 1e9, have_rss ? sprintf("%.1f", rss[f] / 1024) : "n/a"
    }
    print ""
    printf "Marginal cost: each farm again, stopped at completion %s (--set run.endAfterCompletions=%s); (wall(full) - wall(short)) / (events(full) - events(short)):\n", short, short
    print ""
    print "| model | instances | runs | short run wall s median [min..max] | its engine events | marginal ns per event |"
    print "|---|---|---|---|---|---|"
    for (k = 1; k <= 2; k++) {
        f = F[k]; s = f "-short"
        if (!runs[s]) { printf "| %s | %s | 0 | failed (%d runs) | - | - |\n", f, n[f], failed[s]; continue }
        ms = median(wall[s]); d = runs[f] ? events[f] - events[s] : 0
        if (runs[f] && d > 0 && m[f] > ms) marg[f] = (m[f] - ms) / d
        printf "| %s | %s | %d | %.3f [%.3f..%.3f] | %d | %s |\n", f, n[f], runs[s], ms, lo, hi, events[s],
               (f in marg) ? sprintf("%.1f", marg[f] * 1e9) : "n/a"
    }
    if (floor_present) {
        print ""
        print "The floor: bench/farm-floor.c, the same farm in a minimal C event loop (one 5-line struct an instance), its loop timed alone:"
        print ""
        print "| program | instances | runs | loop wall s median [min..max] | events (per completion) | ns per event | mean latency s (Faultline) |"
        print "|---|---|---|---|---|---|---|"
        split("floor10 floor10k", C, " "); twin["floor10"] = "farm10"; twin["floor10k"] = "farm10k"
        for (k = 1; k <= 2; k++) {
            c = C[k]; f = twin[c]
            if (!runs[c]) { printf "| farm-floor | %s | 0 | failed (%d runs) | - | - | - |\n", n[f], failed[c]; continue }
            cm[c] = median(wall[c]); ccost[c] = cm[c] / events[c]
            printf "| farm-floor | %s | %d | %.4f [%.4f..%.4f] | %s (%.4f) | %.1f | %s (%s) |\n", n[f], runs[c], cm[c], lo, hi,
                   commas(events[c]), events[c] / completed[c], ccost[c] * 1e9, latency[c], runs[f] ? latency[f] : "-"
        }
    }
    print ""
    print "Targets (a report: the script exits 0 either way)"
    if (runs["farm10k"]) {
        if (have_rss) printf "  farm10k peak RSS                          %6.1f MiB (target <= %g MiB)  %s\n", rss["farm10k"] / 1024, t_rss, (rss["farm10k"] / 1024 <= t_rss) ? "PASS" : "FAIL"
        else print "  farm10k peak RSS                             n/a   (GNU time missing)"
    }
    if (runs["farm10k"] && runs["farm10"]) {
        r = cost["farm10k"] / cost["farm10"]
        printf "  farm10k/farm10 cost per engine event      %6.2fx   (target <= %gx)      %s\n", r, t_cost, (r <= t_cost) ? "PASS" : "FAIL"
    }
    if (("farm10k" in marg) && ("farm10" in marg)) {
        r = marg["farm10k"] / marg["farm10"]
        printf "  farm10k/farm10 marginal cost per event    %6.2fx   (target <= %gx)      %s\n", r, t_cost, (r <= t_cost) ? "PASS" : "FAIL"
    } else if (runs["farm10k"] && runs["farm10"]) print "  farm10k/farm10 marginal cost per event       n/a   (a short run failed, or no time between it and the whole run)"
    if (runs["floor10"] && runs["floor10k"]) {
        extra = ccost["floor10k"] - ccost["floor10"]
        print ""
        print "The floor this machine allows (bench/farm-floor.c; not a target)"
        printf "  %-42s%6.2fx   (%.1f against %.1f ns: 10,000 instances add %.1f ns an event)\n", "farm10k/farm10 floor cost per event",
               ccost["floor10k"] / ccost["floor10"], ccost["floor10k"] * 1e9, ccost["floor10"] * 1e9, extra * 1e9
        if ("farm10" in marg)
            printf "  %-42s%6.2fx   ((%.1f + %.1f) / %.1f ns: the marginal ratio if 10,000 instances cost Faultline only what they cost the floor)\n", "marginal ratio at the floor",
                   (marg["farm10"] + extra) / marg["farm10"], marg["farm10"] * 1e9, extra * 1e9, marg["farm10"] * 1e9
        if (("farm10" in marg) && runs["farm10k-short"] && runs["farm10"]) {
            w = median(wall["farm10k-short"]) + (events["farm10k"] - events["farm10k-short"]) * (marg["farm10"] + extra)
            printf "  %-42s%6.2fx   (today'"'"'s short farm10k run plus its other %s events at %.1f ns, over farm10'"'"'s %.1f ns an event)\n", "whole-process ratio at the floor",
                   (w / events["farm10k"]) / cost["farm10"], commas(events["farm10k"] - events["farm10k-short"]),
                   (marg["farm10"] + extra) * 1e9, cost["farm10"] * 1e9
        }
    }
}' "$TMP/farm"
    echo "(measured in $((SECONDS - farm_start)) s)"
fi

# ---------------------------------------------------------------- replications on every core
# `faultline replicate models/airline.json5 -r 16` at --jobs 1 and --jobs 2, and one `faultline run`
# of the same model, in rounds (the order of J=1 and J=2 alternating), so that machine noise falls on
# all three. Each round also checks that J=1 and J=2 wrote the same bytes. On a machine shared with
# other work, J=2 only runs twice as fast when the second core is free: so each round first waits
# (up to STUDY_IDLE_WAIT seconds) for the CPUs to be STUDY_IDLE% idle over one second, and the
# report says how many rounds started on a busy machine.
if [[ "$BENCH_STUDY" != 0 ]]; then
    study_model=models/airline.json5
    echo
    echo "Replications on every core: faultline replicate $study_model -r $STUDY_R, --jobs 1 vs --jobs 2, $STUDY_RUNS rounds"
    loadavg_start=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo '?')
    # One untimed replicate first, for the same reason as the warm-up run above.
    "$BIN" replicate "$study_model" -r 2 -j 1 --out "$TMP/study-warm" >/dev/null 2>&1 || true
    : >"$TMP/study"
    identical=0
    study_start=$SECONDS
    # measure_cpu CMD... -> sets WALL, CPU (user + sys, s), RC; standard output and error to $TMP/study.out
    measure_cpu() {
        local TIMEFORMAT='%3R %3U %3S' times
        RC=0
        { time "$@" >"$TMP/study.out" 2>&1; } 2>"$TMP/study.time" || RC=$?
        times=$(tail -n 1 "$TMP/study.time")
        read -r WALL user sys <<<"$times"
        CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
    }
    # cpu_idle -> the percentage of CPU time idle over the next second (100 without /proc/stat)
    cpu_idle() {
        local a b
        a=$(awk '/^cpu /{t = 0; for (i = 2; i <= 8; i++) t += $i; print t, $5}' /proc/stat 2>/dev/null) || { echo 100; return; }
        sleep 1
        b=$(awk '/^cpu /{t = 0; for (i = 2; i <= 8; i++) t += $i; print t, $5}' /proc/stat 2>/dev/null) || { echo 100; return; }
        awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); d = y[1] - x[1]; print (d > 0) ? int(100 * (y[2] - x[2]) / d) : 100 }'
    }
    busy=0
    for ((round = 1; round <= STUDY_RUNS; round++)); do
        waited=0
        while idle=$(cpu_idle); (( idle < STUDY_IDLE && waited < STUDY_IDLE_WAIT )); do
            progress "round $round/$STUDY_RUNS: waiting for idle CPUs ($idle% idle, ${waited}s)"
            waited=$((waited + 1))
        done
        quiet=1
        (( idle < STUDY_IDLE )) && { busy=$((busy + 1)); quiet=0; }
        order="1 2"
        (( round % 2 == 0 )) && order="2 1"
        rm -rf "$TMP/study-j1" "$TMP/study-j2" "$TMP/study-run"
        for jobs in $order; do
            measure_cpu "$BIN" replicate "$study_model" -r "$STUDY_R" --jobs "$jobs" --out "$TMP/study-j$jobs"
            if [[ $RC != 0 ]]; then echo "bench: replicate --jobs $jobs exited with status $RC:" >&2; tail -n 5 "$TMP/study.out" >&2; fi
            echo "j$jobs $round $WALL $CPU $RC $quiet" >>"$TMP/study"
        done
        measure_cpu "$BIN" run "$study_model" --out "$TMP/study-run"
        echo "run $round $WALL $CPU $RC $quiet" >>"$TMP/study"
        # Byte for byte: every file of the two study folders (replications.csv, study.csv, study.json).
        if [[ -f "$TMP/study-j1/study.json" ]] && diff -r "$TMP/study-j1" "$TMP/study-j2" >/dev/null 2>&1; then
            identical=$((identical + 1))
        fi
        progress "replicate round $round/$STUDY_RUNS done ($((SECONDS - study_start)) s)"
    done
    progress_end
    loadavg_end=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo '?')
    awk -v r="$STUDY_R" -v rounds="$STUDY_RUNS" -v identical="$identical" -v target="$TARGET_SPEEDUP" \
        -v busy="$busy" -v idle_target="$STUDY_IDLE" -v idle_wait="$STUDY_IDLE_WAIT" \
        -v cpus="$(nproc 2>/dev/null || echo 0)" -v model="$study_model" -v load0="$loadavg_start" -v load1="$loadavg_end" '
'"$AWK_STATS"'
# speedup(QUIET): median J=1 wall over median J=2 wall, over the rounds that both ran (QUIET: only
# those that started on idle CPUs); sets pairs, and pm, plo, phi: the round-by-round ratios.
function speedup(quiet,   i, a, b, ratios) {
    a = ""; b = ""; ratios = ""; pairs = 0
    for (i = 1; i <= rounds; i++) if ((i in w1) && (i in w2) && w2[i] > 0 && (!quiet || idle[i])) {
        a = a " " w1[i]; b = b " " w2[i]; ratios = ratios " " w1[i] / w2[i]; pairs++
    }
    if (!pairs) return 0
    pm = median(ratios); plo = lo; phi = hi
    return median(a) / median(b)
}
$5 != 0 { failed[$1]++; next }
{
    wall[$1] = wall[$1] " " $3; cpu[$1] = cpu[$1] " " $4; runs[$1]++; idle[$2] = $6
    if ($1 == "j1") w1[$2] = $3
    if ($1 == "j2") w2[$2] = $3
}
END {
    print ""
    print "| command | runs | wall s median [min..max] | cpu s median | per replication: wall s, cpu s |"
    print "|---|---|---|---|---|"
    split("j1 j2 run", K, " ")
    label["j1"] = "replicate -r " r " --jobs 1"; label["j2"] = "replicate -r " r " --jobs 2"; label["run"] = "run (one run of the model)"
    for (k = 1; k <= 3; k++) {
        c = K[k]
        if (!runs[c]) { printf "| %s | 0 | failed (%d runs) | - | - |\n", label[c], failed[c]; continue }
        m[c] = median(wall[c]); l = lo; h = hi; mc[c] = median(cpu[c])
        per = (c == "run") ? 1 : r
        printf "| %s | %d | %.3f [%.3f..%.3f] | %.3f | %.4f, %.4f |\n", label[c], runs[c], m[c], l, h, mc[c], m[c] / per, mc[c] / per
    }
    if (!runs["j1"] || !runs["j2"]) { print "bench: a replicate command failed; no speed-up"; exit }
    print ""
    all = speedup(0)
    printf "Speed-up J=1/J=2, all %d rounds: %.2fx (median over median); round by round %.2fx median [%.2f..%.2f].\n", pairs, all, pm, plo, phi
    quiet = speedup(1); quiet_pairs = pairs
    if (quiet_pairs) printf "Speed-up J=1/J=2, the %d rounds that started on idle CPUs: %.2fx (median over median); round by round %.2fx median [%.2f..%.2f].\n", quiet_pairs, quiet, pm, plo, phi
    printf "Per replication at J=1: %.4f s wall, %.4f s cpu", m["j1"] / r, mc["j1"] / r
    if (runs["run"]) printf "; one run of %s: %.4f s wall, %.4f s cpu (a replication costs %.2fx the cpu of a run: it writes no files and records only what its measures need).\n", model, m["run"], mc["run"], mc["j1"] / r / mc["run"]
    else print "."
    printf "cpu J=2 / cpu J=1: %.2fx (what the threads themselves cost; other load changes it little).\n", mc["j2"] / mc["j1"]
    printf "Load average (1 min) %s at the start, %s at the end, on %d CPUs; %d of %d rounds started on CPUs less than %d%% idle after waiting %d s for them.\n", load0, load1, cpus, busy, rounds, idle_target, idle_wait
    # The target is judged on the rounds that started on idle CPUs when there are at least 3: other
    # processes take the second core from J=2, which says nothing of Faultline.
    judged = (quiet_pairs >= 3) ? quiet : all
    basis = (quiet_pairs >= 3) ? sprintf("%d idle rounds", quiet_pairs) : sprintf("all rounds; only %d on idle CPUs", quiet_pairs)
    print ""
    print "Targets (a report: the script exits 0 either way)"
    printf "  airline replicate -r %d speed-up J=1/J=2   %5.2fx   (target >= %gx, %s)  %s\n", r, judged, target, basis, (judged >= target) ? "PASS" : "FAIL"
    printf "  airline replicate -r %d J=1 and J=2 byte-identical in %d of %d rounds          %s\n", r, identical, rounds, (identical == rounds) ? "PASS" : "FAIL"
}' "$TMP/study"
    echo "(measured in $((SECONDS - study_start)) s)"
fi

# ---------------------------------------------------------------- optional: instruction counts
if [[ "${BENCH_CALLGRIND:-0}" == 1 ]]; then
    echo
    if ! command -v valgrind >/dev/null 2>&1; then
        note "BENCH_CALLGRIND=1 but valgrind is not installed; skipping instruction counts ('apt-get install -y valgrind' as root)."
    else
        echo "Instructions per model event (valgrind --tool=callgrind, whole process, one run each; repeatable to ~1e-7)"
        : >"$TMP/cg"
        for model in $MODELS; do
            for impl in $IMPLS; do
                if [[ $impl == c ]]; then
                    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$C_BIN" "$model" "${REF_N[$model]}" 12345 \
                        >"$TMP/c.out" 2>"$TMP/stderr" || { echo "bench: callgrind $impl $model failed" >&2; continue; }
                    completed=$(tr ' ' '\n' <"$TMP/c.out" | sed -n 's/^departed=//p')
                else
                    rm -rf "$TMP/out-$model"
                    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$BIN" run "bench/$model.json5" --out "$TMP/out-$model" \
                        >/dev/null 2>"$TMP/stderr" || { echo "bench: callgrind $impl $model failed" >&2; continue; }
                    completed=$(awk -F, '$1 == "server" && $2 == "completed" {print $3}' "$TMP/out-$model/summary.csv")
                fi
                total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$TMP/cg.out" | head -n 1)
                echo "$model $impl $total $completed" >>"$TMP/cg"
                progress "callgrind $model $impl done"
            done
        done
        progress_end
        awk -v models="$MODELS" -v t_ratio="$TARGET_RATIO" -v t_wide="$TARGET_WIDE" '
        { ipe[$1 SUBSEP $2] = $3 / (2 * $4); ir[$1 SUBSEP $2] = $3 }
        END {
            nm = split(models, M, " ")
            print ""
            print "| model | C instr/event | faultline instr/event | faultline/C (target <= " t_ratio "x) |"
            print "|---|---|---|---|"
            for (a = 1; a <= nm; a++) {
                m = M[a]; c = ipe[m SUBSEP "c"]; f = ipe[m SUBSEP "faultline"]
                printf "| %s | %s | %s | %s |\n", m, c ? sprintf("%.0f", c) : "-", f ? sprintf("%.0f", f) : "-",
                       (c && f) ? sprintf("%.2fx %s", f / c, f / c <= t_ratio ? "PASS" : "FAIL") : "-"
            }
            for (n = 1; n <= 2; n++) {
                im = n == 1 ? "faultline" : "c"
                if (ipe["wide" SUBSEP im] && ipe["mm1" SUBSEP im])
                    printf "  wide/mm1 instructions per model event, %-9s %5.2fx%s\n", im,
                           ipe["wide" SUBSEP im] / ipe["mm1" SUBSEP im],
                           im == "faultline" ? sprintf("   (target <= %gx) %s", t_wide, ipe["wide" SUBSEP im] / ipe["mm1" SUBSEP im] <= t_wide ? "PASS" : "FAIL") : "   (reference)"
            }
        }' "$TMP/cg"
    fi
fi
exit 0
