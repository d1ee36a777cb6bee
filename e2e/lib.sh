# Shared by the e2e scenarios: start `berth serve` with its embedded etcd on
# free ports, and small assertions that say what was expected.

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_contains TEXT NEEDLE WHAT
expect_contains() {
    [[ "$1" == *"$2"* ]] || fail "$3: expected to find '$2' in: $1"
}

expect_equal() {
    [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_berth DIR [FLAG...]: runs the debug build in the background, with any
# further flags given; sets BERTH_PID and KUBECONFIG once it says how to use it.
start_berth() {
    local dir=$1
    shift
    local port
    port=$(free_port)
    .build/debug/berth serve --data-dir "$dir" --secure-port "$port" --bind-address 127.0.0.1 "$@" >"$dir.log" 2>&1 &
    BERTH_PID=$!
    for _ in $(seq 1 200); do
        if grep -q "Use it with" "$dir.log" 2>/dev/null; then
            export KUBECONFIG=$dir/kubeconfig
            return 0
        fi
        kill -0 "$BERTH_PID" 2>/dev/null || { cat "$dir.log" >&2; fail "berth serve exited while starting"; }
        sleep 0.1
    done
    cat "$dir.log" >&2
    fail "berth serve did not become ready in 20 s"
}

stop_berth() {
    [[ -n "${BERTH_PID:-}" ]] || return 0
    kill -TERM "$BERTH_PID" 2>/dev/null || true
    wait "$BERTH_PID" || fail "berth serve exited with status $? on SIGTERM"
    BERTH_PID=
}

# start_etcd NAME DATA_DIR [PEER_PORT] [CLIENT_PORT]: an etcd of the
# scenario's own on loopback ports (free ones unless given), in the
# background; sets client_port and ETCD_PID. A restored member keeps the name
# and peer port it was restored with.
start_etcd() {
    local name=$1 data=$2 peer=${3:-$(free_port)}
    client_port=${4:-$(free_port)}
    etcd --name "$name" --data-dir "$data" \
        --listen-client-urls "http://127.0.0.1:$client_port" --advertise-client-urls "http://127.0.0.1:$client_port" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "$name=http://127.0.0.1:$peer" --log-level error >"$data.log" 2>&1 &
    ETCD_PID=$!
}

stop_etcd() {
    [[ -n "${ETCD_PID:-}" ]] || return 0
    kill "$ETCD_PID" 2>/dev/null || true
    wait "$ETCD_PID" 2>/dev/null || true
    ETCD_PID=
}
