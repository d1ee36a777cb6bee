#!/usr/bin/env bash
# berth serve's life around etcd and signals: started while its etcd is not
# there yet, it says so, /readyz fails, and it becomes ready by itself once
# etcd answers; it compacts etcd every --etcd-compaction-interval; SIGTERM with
# a watch open ends the watch cleanly and exits 0.
#   e2e/lifecycle.sh WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1
trap 'stop_etcd' EXIT

client_port=$(free_port)
https_port=$(free_port)
.build/debug/berth serve --etcd-servers "http://127.0.0.1:$client_port" --data-dir "$work/life" \
    --secure-port "$https_port" --bind-address 127.0.0.1 --etcd-compaction-interval 1s >"$work/life.log" 2>&1 &
BERTH_PID=$!
readyz() { curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$https_port/readyz" || true; }
for _ in $(seq 1 100); do
    grep -q "etcd is not answering" "$work/life.log" && break
    sleep 0.1
done
expect_contains "$(cat "$work/life.log")" "etcd is not answering" "a clear message while etcd is missing"
code=$(readyz)
expect_equal "$code" "500" "/readyz while etcd is missing"
expect_contains "$(curl -sk "https://127.0.0.1:$https_port/readyz?verbose")" "[-]etcd failed" "/readyz names the failing check"

start_etcd life "$work/life-etcd" "" "$client_port"
for _ in $(seq 1 150); do
    [[ "$(readyz)" == "200" ]] && break
    sleep 0.1
done
expect_equal "$(readyz)" "200" "/readyz once etcd answers (no restart)"
expect_contains "$(cat "$work/life.log")" "etcd answers again" "berth says etcd is back"
export KUBECONFIG=$work/life/kubeconfig
kubectl create configmap after-etcd --from-literal=a=b >/dev/null

# Compaction: the first round only moves compact_rev_key's clock; the second
# compacts to the revision of the first, so old revisions are gone.
etcdctl_life() { ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" "$@"; }
for _ in $(seq 1 100); do
    version=$(etcdctl_life get compact_rev_key -w json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("kvs", [{}])[0].get("version", 0))')
    (( version >= 2 )) && break
    sleep 0.1
done
(( version >= 2 )) || fail "berth serve --etcd-compaction-interval 1s did not compact within 10 s"
expect_contains "$(etcdctl_life get /registry/namespaces/default --rev=1 2>&1 || true)" "compacted" "a revision from before the compaction"

# A watch open at SIGTERM ends cleanly and berth exits 0 promptly.
kubectl get configmaps --watch >"$work/life-watch.out" 2>&1 &
watch_pid=$!
for _ in $(seq 1 100); do
    grep -q "after-etcd" "$work/life-watch.out" && break
    sleep 0.1
done
expect_contains "$(cat "$work/life-watch.out")" "after-etcd" "the watch is open"
started=$(date +%s)
kill -TERM "$BERTH_PID"
wait "$BERTH_PID" || fail "berth serve exited with status $? on SIGTERM"
BERTH_PID=
(( $(date +%s) - started <= 10 )) || fail "berth took more than 10 s to stop with a watch open"
grep -q "stopped serving" "$work/life.log" || fail "berth did not log a clean stop"
wait "$watch_pid" 2>/dev/null || true   # kubectl's watch ends with the connection
kill -0 "$watch_pid" 2>/dev/null && fail "the watch is still open after berth stopped"
echo "lifecycle scenario passed"
