# Sourced by scripts that need a throwaway etcd: start_local_etcd NAME starts
# one on free loopback ports with its data under $work (a temporary folder),
# waits until it has a leader and takes writes, and removes everything on exit.
# Afterwards $client_port holds its client port.

work=$(mktemp -d)
etcd_pid=""
cleanup_local_etcd() {
    if [[ -n "$etcd_pid" ]]; then
        kill "$etcd_pid" 2>/dev/null || true
        wait "$etcd_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup_local_etcd EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_local_etcd() {
    local name=$1 peer_port
    client_port=$(free_port)
    peer_port=$(free_port)
    etcd --name "$name" --data-dir "$work/etcd" \
        --listen-client-urls "http://127.0.0.1:$client_port" --advertise-client-urls "http://127.0.0.1:$client_port" \
        --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
        --initial-cluster "$name=http://127.0.0.1:$peer_port" --logger zap --log-level error >"$work/etcd.log" 2>&1 &
    etcd_pid=$!
    for _ in $(seq 100); do
        ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" put "/$name-ready" yes >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "etcd did not become ready; its log ends with:" >&2
    tail -20 "$work/etcd.log" >&2
    return 1
}
