# Sourced after local-etcd.sh by benchmarks that restart a release
# `berth serve` over the same etcd: start_berth FLAGS... starts it on
# $port with its data in $data, over $etcd_url, and waits until it is ready
# and its caches have filled; stop_berth stops it. Both are set up here
# (free port, data under $work); the exit trap stops Berth, then etcd.

etcd_url="http://127.0.0.1:$client_port"
port=$(free_port)
base="https://127.0.0.1:$port"
data="$work/berth"
berth_pid=""
stop_berth() {
    [[ -n "$berth_pid" ]] || return 0
    kill -TERM "$berth_pid" 2>/dev/null || true
    wait "$berth_pid" 2>/dev/null || true
    berth_pid=""
}
trap 'stop_berth; cleanup_local_etcd' EXIT
start_berth() {
    .build/release/berth serve --etcd-servers "$etcd_url" --secure-port "$port" --data-dir "$data" "$@" \
        >>"$work/berth.log" 2>&1 &
    berth_pid=$!
    until curl -skf -o /dev/null "$base/readyz"; do sleep 0.05; done
    sleep 2  # the caches list and settle
}
