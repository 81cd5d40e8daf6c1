#!/usr/bin/env bash
# A single-node Slurm cluster on localhost, for tests: no systemd, nothing outside one folder.
#
#   slurm-local.sh install [PACKAGE...]  install Debian's slurmctld, slurmd, slurm-client and munge
#                                        (and the extra packages) if missing; needs root
#   slurm-local.sh up                    start munged, slurmctld and slurmd; wait until the node is idle
#   slurm-local.sh array N CMD           submit CMD as tasks 0..N-1 of a job array from $PWD, wait,
#                                        fail unless every task COMPLETED (CMD sees $SLURM_ARRAY_TASK_ID)
#   slurm-local.sh status                the daemons, the node and the jobs
#   slurm-local.sh down                  cancel the jobs, stop the daemons this script started
#   slurm-local.sh purge                 down, then delete SLURM_LOCAL_DIR
#
# Environment:
#   SLURM_LOCAL_DIR      the cluster's folder (default ${TMPDIR:-/tmp}/faultline-slurm-local): its
#                        slurm.conf (clients: export SLURM_CONF=$SLURM_LOCAL_DIR/slurm.conf), its own
#                        munge key, socket and pid file, state, spool, logs, the daemons' pid files
#                        and the array tasks' output
#   SLURM_LOCAL_CPUS     CPUs the node advertises (default 8, whatever the machine has, so that an
#                        8-task array runs at once; slurmd is told to believe the configuration)
#   SLURM_LOCAL_CTLD_PORT, SLURM_LOCAL_SLURMD_PORT
#                        the daemons' ports (default: the first free pair from 6817/6818)
#   SLURM_LOCAL_TIMEOUT  seconds to wait for the cluster or an array (default 120)
#
# /etc/slurm, /etc/munge and any system munged or Slurm are left alone. The daemons run as root
# (SlurmUser=root). They are stopped only by the PIDs in this folder's pid files, after checking
# that each PID is still the daemon it names. `up` tears down what it started if it fails.
set -euo pipefail

DIR="${SLURM_LOCAL_DIR:-${TMPDIR:-/tmp}/faultline-slurm-local}"
CPUS="${SLURM_LOCAL_CPUS:-8}"
TIMEOUT="${SLURM_LOCAL_TIMEOUT:-120}"
CONF="$DIR/slurm.conf"
SOCKET="$DIR/munge/munge.socket"
export SLURM_CONF="$CONF"
SBIN=/usr/sbin

say() { echo "slurm-local: $*" >&2; }
die() { say "error: $*"; exit 1; }

# --- processes, by PID --------------------------------------------------------------------------

# is_alive PID NAME: PID is a live (not zombie) process whose command is NAME.
is_alive() {
    local pid="$1" name="$2" stat state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    state=${stat##*) }; state=${state%% *}
    [[ "$state" != Z && "$state" != X ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]
}

# pid_of NAME: the PID in NAME's pid file, if that process is alive and is NAME; else nothing.
pid_of() {
    local name="$1" pid
    pid=$(cat "$DIR/run/$name.pid" 2>/dev/null) || return 0
    pid=${pid//[[:space:]]/}
    if is_alive "$pid" "$name"; then echo "$pid"; fi
}

# stop NAME: TERM to the daemon NAME this folder started, KILL after 15 s; removes its pid file.
stop() {
    local name="$1" pid i
    pid=$(pid_of "$name")
    if [[ -n "$pid" ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 60; i++)); do is_alive "$pid" "$name" || break; sleep 0.25; done
        if is_alive "$pid" "$name"; then
            say "$name ($pid) ignored TERM for 15 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            for ((i = 0; i < 20; i++)); do is_alive "$pid" "$name" || break; sleep 0.25; done
        fi
        say "stopped $name ($pid)"
    fi
    rm -f "$DIR/run/$name.pid"
}

# wait_for SECONDS WHAT COMMAND...: polls COMMAND every 0.25 s until it succeeds.
wait_for() {
    local seconds="$1" what="$2"; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { say "timed out after ${seconds}s waiting for $what"; return 1; }
        sleep 0.25
    done
}

# --- install ------------------------------------------------------------------------------------

cmd_install() {
    local packages=(slurmctld slurmd slurm-client munge "$@") missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}); run as root or: apt-get install ${missing[*]}"
    command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"
    say "installing ${missing[*]}"
    mkdir -p "$DIR"
    local log="$DIR/apt.log"
    export DEBIAN_FRONTEND=noninteractive
    # Installing first and updating the package lists only when that fails saves the update
    # (seconds) on a machine whose lists are current.
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
        say "apt-get install failed; apt-get update, then again"
        apt-get update -q >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get update failed (log: $log)"; }
        apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
            { tail -20 "$log" >&2; die "apt-get install ${missing[*]} failed (log: $log)"; }
    fi
}

# --- up -----------------------------------------------------------------------------------------

# port_is_free PORT: nothing accepts connections on 127.0.0.1:PORT.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

choose_ports() {
    if [[ -n "${SLURM_LOCAL_CTLD_PORT:-}" || -n "${SLURM_LOCAL_SLURMD_PORT:-}" ]]; then
        CTLD_PORT="${SLURM_LOCAL_CTLD_PORT:-6817}"; SLURMD_PORT="${SLURM_LOCAL_SLURMD_PORT:-6818}"
        return
    fi
    if [[ -f "$DIR/ports" ]]; then read -r CTLD_PORT SLURMD_PORT <"$DIR/ports"; return; fi
    local p
    for ((p = 6817; p < 6917; p += 2)); do
        if port_is_free "$p" && port_is_free $((p + 1)); then
            CTLD_PORT=$p; SLURMD_PORT=$((p + 1)); return
        fi
    done
    die "no free pair of ports in 6817-6916; set SLURM_LOCAL_CTLD_PORT and SLURM_LOCAL_SLURMD_PORT"
}

write_conf() {
    cat >"$CONF.new" <<EOF
# Written by slurm-local.sh: a single-node cluster on localhost, everything under $DIR.
ClusterName=faultline-local
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Start tasks as soon as they are submitted (the default batches them every 3 s).
SchedulerParameters=batch_sched_delay=0
# Believe the CPU count below even when the machine has fewer cores.
SlurmdParameters=config_overrides
ReturnToService=2
# Finished jobs stay visible to squeue for 5 minutes: that is how "array" sees them COMPLETED.
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    if cmp -s "$CONF.new" "$CONF"; then rm "$CONF.new"; return 1; fi
    mv "$CONF.new" "$CONF"
}

munge_works() { munge -S "$SOCKET" -n </dev/null | unmunge -S "$SOCKET" >/dev/null; }
controller_answers() { scontrol ping | grep -q 'is UP'; }
node_is_idle() { [[ "$(sinfo -h -n localhost -o %t)" == idle ]]; }

start_munged() {
    [[ -n "$(pid_of munged)" ]] && return 0
    if [[ ! -s "$DIR/munge/munge.key" ]]; then
        # Its own key: nothing is shared with a system munge.
        dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
        chmod 600 "$DIR/munge/munge.key"
    fi
    "$SBIN/munged" --socket="$SOCKET" --key-file="$DIR/munge/munge.key" \
        --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" \
        --seed-file="$DIR/munge/munged.seed" ||
        { tail -5 "$DIR/log/munged.log" >&2 || true; die "munged did not start"; }
    wait_for 10 munged munge_works || die "munged does not answer on $SOCKET (log: $DIR/log/munged.log)"
    say "munged $(pid_of munged) on $SOCKET"
}

# start_daemon NAME ARGS...: starts a Slurm daemon (it detaches itself and writes its pid file).
start_daemon() {
    local name="$1"; shift
    [[ -n "$(pid_of "$name")" ]] && return 0
    "$SBIN/$name" "$@" >>"$DIR/log/$name.stdout" 2>&1 ||
        { tail -5 "$DIR/log/$name.log" >&2 2>/dev/null || true; die "$name did not start (logs: $DIR/log/)"; }
    local deadline=$((SECONDS + 10))
    until [[ -n "$(pid_of "$name")" ]]; do
        ((SECONDS < deadline)) || die "$name wrote no pid file or exited (log: $DIR/log/$name.log)"
        sleep 0.25
    done
}

cmd_up() {
    for tool in munged munge unmunge slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
        command -v "$tool" >/dev/null || [[ -x "$SBIN/$tool" ]] ||
            die "$tool is missing: run 'slurm-local.sh install' (as root)"
    done
    [[ $(id -u) == 0 ]] || die "the daemons run as root (SlurmUser=root): run as root"
    mkdir -p "$DIR"/{munge,run,state,spool,log,out}
    # munged wants its socket folder searchable by all; the key itself is 0600.
    chmod 755 "$DIR" "$DIR/munge"
    choose_ports
    local changed=0
    write_conf && changed=1
    if ((changed)) && [[ -n "$(pid_of slurmctld)$(pid_of slurmd)" ]]; then
        say "slurm.conf changed: restarting slurmctld and slurmd"
        stop slurmd; stop slurmctld
    fi
    # Tear down on any failure from here on; disarmed once the node is idle.
    trap 'say "up failed; tearing down"; cmd_down' EXIT
    trap 'exit 130' INT TERM HUP
    start_munged
    # Ports held by someone else (not by this folder's own daemons) end here, clearly.
    if [[ -z "$(pid_of slurmctld)" ]] && ! port_is_free "$CTLD_PORT"; then
        die "port $CTLD_PORT is taken by another program (set SLURM_LOCAL_CTLD_PORT)"
    fi
    if [[ -z "$(pid_of slurmd)" ]] && ! port_is_free "$SLURMD_PORT"; then
        die "port $SLURMD_PORT is taken by another program (set SLURM_LOCAL_SLURMD_PORT)"
    fi
    echo "$CTLD_PORT $SLURMD_PORT" >"$DIR/ports"
    start_daemon slurmctld -f "$CONF"
    wait_for "$TIMEOUT" "slurmctld to answer" controller_answers ||
        { tail -5 "$DIR/log/slurmctld.log" >&2; die "slurmctld does not answer"; }
    # The machine's hostname is not the node's name: -N says which node this slurmd is.
    start_daemon slurmd -N localhost -f "$CONF"
    if ! wait_for 20 "the node to register" node_is_idle; then
        # A node left down or drained by an earlier run: resume it once.
        scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true
        wait_for "$TIMEOUT" "the node to be idle" node_is_idle ||
            { sinfo -N -l >&2 || true; tail -5 "$DIR/log/slurmd.log" >&2; die "node localhost is not idle"; }
    fi
    trap - EXIT INT TERM HUP
    say "up: slurmctld $(pid_of slurmctld) on port $CTLD_PORT, slurmd $(pid_of slurmd) on port $SLURMD_PORT, $CPUS CPUs; export SLURM_CONF=$CONF"
}

# --- array --------------------------------------------------------------------------------------

cmd_array() {
    (($# == 2)) || die "usage: slurm-local.sh array N CMD"
    local n="$1" command="$2" id states completed bad deadline
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer, not '$n'"
    [[ -n "$(pid_of slurmctld)" ]] || die "the cluster is not up (slurm-local.sh up)"
    id=$(sbatch --parsable --array=0-$((n - 1)) --chdir="$PWD" --job-name=slurm-local \
        --output="$DIR/out/%A_%a.out" --wrap="$command") || die "sbatch failed"
    id=${id%%;*}
    say "job array $id: $n tasks"
    deadline=$((SECONDS + TIMEOUT))
    while :; do
        # One line per task (-r), finished ones included; squeue can briefly show nothing while a
        # job changes state, so only COMPLETED for every task counts as done.
        states=$(squeue -h -r -j "$id" --states=all -o '%i %T' 2>/dev/null || true)
        completed=$(grep -c ' COMPLETED$' <<<"$states" || true)
        bad=$(grep -E ' (FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$' <<<"$states" || true)
        if [[ -n "$bad" ]]; then
            say "job array $id: tasks did not complete:"; echo "$bad" >&2
            local task
            for task in $(awk '{print $1}' <<<"$bad"); do
                [[ -f "$DIR/out/$task.out" ]] && { say "output of $task:"; tail -20 "$DIR/out/$task.out" >&2; }
            done
            return 1
        fi
        ((completed == n)) && break
        if ((SECONDS >= deadline)); then
            say "job array $id: timed out after ${TIMEOUT}s; states:"; echo "$states" >&2
            scancel "$id" 2>/dev/null || true
            return 1
        fi
        sleep 0.25
    done
    say "job array $id: all $n tasks COMPLETED"
}

# --- status, down, purge ------------------------------------------------------------------------

cmd_status() {
    local name
    for name in munged slurmctld slurmd; do
        echo "$name: $(pid_of "$name" | sed 's/^/pid /')"
    done
    if [[ -n "$(pid_of slurmctld)" ]]; then sinfo -N -l || true; squeue -r --states=all || true; fi
}

cmd_down() {
    if [[ -n "$(pid_of slurmctld)" && -f "$CONF" ]]; then
        local jobs
        jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
        if [[ -n "${jobs// /}" ]]; then
            say "cancelling jobs $jobs"
            # shellcheck disable=SC2086
            scancel $jobs 2>/dev/null || true
            local deadline=$((SECONDS + 20))
            while [[ -n "$(squeue -h -o %A 2>/dev/null)" ]] && ((SECONDS < deadline)); do sleep 0.25; done
        fi
    fi
    stop slurmd
    stop slurmctld
    stop munged
}

cmd_purge() {
    cmd_down
    [[ "$DIR" != / && -d "$DIR" ]] && rm -rf "$DIR"
    say "purged $DIR"
}

case "${1:-}" in
    install) shift; cmd_install "$@" ;;
    up) cmd_up ;;
    array) shift; cmd_array "$@" ;;
    status) cmd_status ;;
    down) cmd_down ;;
    purge) cmd_purge ;;
    *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
