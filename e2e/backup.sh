#!/usr/bin/env bash
# berth backup snapshot / logical / verify and berth restore snapshot /
# logical, with kubectl: what was there before the backup is there after
# restoring it into a new etcd; a damaged backup is refused and restores
# nothing; a logical restore puts back what was lost and leaves the rest.
#   e2e/backup.sh WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1
trap 'stop_berth; stop_etcd' EXIT

serve() {
    local port; port=$(free_port)
    .build/debug/berth serve --etcd-servers "http://127.0.0.1:$client_port" --data-dir "$work/backup-berth" \
        --secure-port "$port" --bind-address 127.0.0.1 >"$work/backup-berth.log" 2>&1 &
    BERTH_PID=$!
    export KUBECONFIG=$work/backup-berth/kubeconfig
    for _ in $(seq 1 200); do
        grep -q "Use it with" "$work/backup-berth.log" 2>/dev/null && kubectl get --raw /readyz >/dev/null 2>&1 && return 0
        kill -0 "$BERTH_PID" 2>/dev/null || { cat "$work/backup-berth.log" >&2; fail "berth serve exited while starting"; }
        sleep 0.1
    done
    fail "berth serve did not become ready"
}

start_etcd backup "$work/backup-etcd"
serve
kubectl create namespace shop >/dev/null
kubectl create configmap prices -n shop --from-literal=apple=3 >/dev/null
kubectl create secret generic keys -n shop --from-literal=token=s3cret >/dev/null

logical=$work/shop.tar.gz
.build/debug/berth backup logical --etcd-servers "http://127.0.0.1:$client_port" --namespace shop "$logical" >"$work/logical.out"
expect_contains "$(cat "$work/logical.out")" "logical backup of revision" "backup logical reports its revision"
verified=$(.build/debug/berth backup verify "$logical")
expect_contains "$verified" "every document matches its sha256" "verify a logical backup"
expect_contains "$verified" "configmaps (v1): 1" "verify says what it holds"
.build/debug/berth backup logical --etcd-servers "http://127.0.0.1:$client_port" --as served --format yaml \
    --resource configmaps "$work/cm.tar.gz" >/dev/null
expect_contains "$(tar -tzf "$work/cm.tar.gz")" "configmaps/shop/prices.yaml" "a YAML archive tar can list"

snapshot=$work/shop.db
.build/debug/berth backup snapshot --etcd-servers "http://127.0.0.1:$client_port" "$snapshot" 2>/dev/null >"$work/backup.out"
expect_contains "$(cat "$work/backup.out")" "snapshot of revision" "backup snapshot reports its revision"
expect_contains "$(.build/debug/berth backup verify "$snapshot")" "sha256 and etcd's integrity hash match" "verify"
kubectl create configmap after -n shop --from-literal=x=1 >/dev/null   # not in the backup

# A damaged copy is refused, and restores nothing.
cp "$snapshot" "$work/damaged.db"
cp "$snapshot.manifest.json" "$work/damaged.db.manifest.json"
printf 'garbage' | dd of="$work/damaged.db" bs=1 seek=4096 conv=notrunc 2>/dev/null
if out=$(.build/debug/berth backup verify "$work/damaged.db" 2>&1); then fail "a damaged snapshot verified"; fi
expect_contains "$out" "corrupted" "verify names the damage"
if .build/debug/berth restore snapshot "$work/damaged.db" --data-dir "$work/never" >/dev/null 2>&1; then
    fail "a damaged snapshot was restored"
fi
[[ ! -e "$work/never" ]] || fail "a refused restore left a data directory"

# Everything gone: stop both, restore into a new data directory, serve again.
stop_berth
stop_etcd
restored_peer=$(free_port)
.build/debug/berth restore snapshot "$snapshot" --data-dir "$work/restored-etcd" --name restored \
    --initial-advertise-peer-urls "http://127.0.0.1:$restored_peer" >/dev/null
start_etcd restored "$work/restored-etcd" "$restored_peer"
serve
expect_equal "$(kubectl get configmap prices -n shop -o jsonpath='{.data.apple}')" "3" "configmap restored"
expect_equal "$(kubectl get secret keys -n shop -o jsonpath='{.data.token}' | base64 -d)" "s3cret" "secret restored"
if kubectl get configmap after -n shop >/dev/null 2>&1; then fail "an object made after the backup came back"; fi

# The logical backup puts back what was lost since, and leaves the rest.
kubectl delete configmap prices -n shop >/dev/null
restore() { .build/debug/berth restore logical --etcd-servers "http://127.0.0.1:$client_port" "$logical" "$@"; }
if out=$(restore 2>&1); then fail "restore onto existing objects with --existing fail succeeded"; fi
expect_contains "$out" "exists already" "--existing fail stops at the first existing object"
expect_contains "$(restore --existing skip --dry-run)" "Dry run" "dry run"
if kubectl get configmap prices -n shop >/dev/null 2>&1; then fail "a dry run restored something"; fi
expect_contains "$(restore --existing skip)" "created 1, overwritten 0" "only the missing configmap is created"
expect_equal "$(kubectl get configmap prices -n shop -o jsonpath='{.data.apple}')" "3" "configmap back from the logical backup"
stop_berth
echo "backup scenario passed"
