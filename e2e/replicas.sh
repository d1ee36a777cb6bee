#!/usr/bin/env bash
# Several replicas, one truth: a three-member etcd cluster and two `berth
# serve` replicas on loopback ports, every replica given every member, driven
# by e2e/replicas.py with the Python client, which also kills and restarts
# members (through the pids this script hands it).
#   e2e/replicas.sh PYTHON WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
python=$1
work=$2/replicas
mkdir -p "$work"
pids=()
# Members the scenario restarts leave their new pids in WORK/NAME.pid. They
# are killed outright: a member asked to stop tries to hand over leadership to
# peers that are stopping too, and can hang there.
stop_all() {
    local file
    for file in "$work"/*.pid; do [[ -f "$file" ]] && pids+=("$(<"$file")"); done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_all EXIT

# Three members, as one cluster.
cluster="" endpoints=""
declare -A peer client
for member in e1 e2 e3; do
    peer[$member]=$(free_port)
    client[$member]=$(free_port)
    cluster+="${cluster:+,}$member=http://127.0.0.1:${peer[$member]}"
    endpoints+="${endpoints:+,}http://127.0.0.1:${client[$member]}"
done
# start_member NAME STATE: the command line is the same for a restart.
start_member() {
    etcd --name "$1" --data-dir "$work/$1" \
        --listen-client-urls "http://127.0.0.1:${client[$1]}" --advertise-client-urls "http://127.0.0.1:${client[$1]}" \
        --listen-peer-urls "http://127.0.0.1:${peer[$1]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[$1]}" \
        --initial-cluster "$cluster" --initial-cluster-state "$2" --initial-cluster-token berth-e2e \
        --log-level error >>"$work/$1.log" 2>&1 &
    echo $!
}
for member in e1 e2 e3; do
    pid=$(start_member "$member" new)
    pids+=("$pid")
    echo "$pid" >"$work/$member.pid"
done
for _ in $(seq 1 100); do
    ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint health >/dev/null 2>&1 && break
    sleep 0.2
done
ETCDCTL_API=3 etcdctl --endpoints "$endpoints" endpoint health >/dev/null || fail "the etcd cluster did not become healthy"

# Two replicas sharing one data directory: one CA, one serving certificate, one token.
ports=()
for replica in 1 2; do
    port=$(free_port)
    .build/debug/berth serve --etcd-servers "$endpoints" --data-dir "$work/berth" --secure-port "$port" \
        --bind-address 127.0.0.1 >"$work/berth-$replica.log" 2>&1 &
    pids+=($!)
    echo $! >"$work/berth-$replica.pid"
    for _ in $(seq 1 200); do
        curl -skf -o /dev/null "https://127.0.0.1:$port/readyz" && break
        sleep 0.1
    done
    curl -skf -o /dev/null "https://127.0.0.1:$port/readyz" || { cat "$work/berth-$replica.log" >&2; fail "replica $replica did not become ready"; }
    ports+=("$port")
done

# The restart command for a member, for the Python side.
export REPLICAS_WORK=$work REPLICAS_ENDPOINTS=$endpoints REPLICAS_PORTS="${ports[*]}"
for member in e1 e2 e3; do
    export "REPLICAS_RESTART_$member=etcd --name $member --data-dir $work/$member --listen-client-urls http://127.0.0.1:${client[$member]} --advertise-client-urls http://127.0.0.1:${client[$member]} --listen-peer-urls http://127.0.0.1:${peer[$member]} --initial-advertise-peer-urls http://127.0.0.1:${peer[$member]} --initial-cluster $cluster --initial-cluster-state existing --initial-cluster-token berth-e2e --log-level error"
done
# On failure, what the replicas said of it (the etcd members log errors
# only), and where each replica's threads are: a request left unanswered
# may still be stuck there.
"$python" e2e/replicas.py || {
    for replica in 1 2; do
        echo "--- the last lines of replica $replica's log" >&2
        tail -n 40 "$work/berth-$replica.log" >&2
        pid=$(<"$work/berth-$replica.pid")
        if command -v gdb >/dev/null && kill -0 "$pid" 2>/dev/null; then
            echo "--- replica $replica's threads" >&2
            timeout 60 gdb -p "$pid" -batch -ex "thread apply all bt 25" 2>/dev/null | grep -E '^(Thread|#)' | head -n 400 >&2 || true
        fi
    done
    exit 1
}
