#!/usr/bin/env bash
# The README's walkthrough, run as it is written: the sh blocks between
# <!-- walkthrough --> and <!-- /walkthrough -->, in order, with the first one
# (the settings) replaced by this scenario's own etcd, port, folder and the
# debug build. Any command that fails fails the scenario.
#   e2e/walkthrough.sh WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1
data=$work/walkthrough
trap '[[ -f "$data/berth.pid" ]] && kill "$(cat "$data/berth.pid")" 2>/dev/null; stop_etcd' EXIT

blocks=$(awk '
    /<!-- walkthrough -->/ { inside = 1; next }
    /<!-- \/walkthrough -->/ { inside = 0 }
    inside && /^```sh$/ { fence = 1; blocks++; next }
    inside && /^```$/ { fence = 0; next }
    fence && blocks > 1 { print }
' README.md)
[[ $(grep -c 'BERTH" serve' <<<"$blocks") -ge 2 ]] || fail "README.md has no walkthrough to run"

start_etcd walkthrough "$work/walkthrough-etcd"
settings="export ETCD=http://127.0.0.1:$client_port PORT=$(free_port) DATA=$data BERTH=$PWD/.build/debug/berth
export ETCDCTL_API=3 KUBECONFIG=\$DATA/kubeconfig"
bash -euo pipefail -c "$settings
$blocks" >"$work/walkthrough.log" 2>&1 || { cat "$work/walkthrough.log" >&2; fail "the README walkthrough failed (output above)"; }
expect_contains "$(cat "$work/walkthrough.log")" "created 3, overwritten 0, skipped 0, failed 0" "restore through the API"
