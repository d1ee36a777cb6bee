#!/usr/bin/env bash
# One storage, several versions, with kubectl 1.32 and etcdctl: an Event made
# through core/v1 is read as events.k8s.io/v1; v1beta1, once enabled, warns;
# values are stored at the storage version whatever version wrote them; after
# --storage-version changes, old values still read at every version; and
# berth migrate moves them to the storage version.
#   e2e/versions.sh WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1
trap 'stop_berth; stop_etcd' EXIT

start_etcd versions "$work/versions-etcd"
stored() { ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" get "/registry/$1" --print-value-only; }
stored_version() { stored "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["apiVersion"])'; }

# serve FLAGS...: berth over that etcd; the port and kubeconfig stay the same across restarts.
port=$(free_port)
serve() {
    .build/debug/berth serve --etcd-servers "http://127.0.0.1:$client_port" --data-dir "$work/versions" \
        --secure-port "$port" --bind-address 127.0.0.1 "$@" >"$work/versions.log" 2>&1 &
    BERTH_PID=$!
    for _ in $(seq 1 200); do
        grep -q "Use it with" "$work/versions.log" 2>/dev/null && break
        kill -0 "$BERTH_PID" 2>/dev/null || { cat "$work/versions.log" >&2; fail "berth serve exited while starting"; }
        sleep 0.1
    done
    export KUBECONFIG=$work/versions/kubeconfig
    for _ in $(seq 1 100); do kubectl get --raw /readyz >/dev/null 2>&1 && return 0; sleep 0.1; done
    fail "berth serve did not become ready"
}

# A name the flags do not know stops startup, naming it.
if out=$(.build/debug/berth serve --runtime-config apps/v1=true --data-dir "$work/versions" 2>&1); then
    fail "--runtime-config with an unknown group started"
fi
expect_contains "$out" 'unknown API group "apps"' "--runtime-config names the unknown group"

serve --runtime-config events.k8s.io/v1beta1=true
resources=$(kubectl api-resources)
expect_contains "$resources" "events.k8s.io/v1" "api-resources lists events.k8s.io"
expect_contains "$(grep horizontalpodautoscalers <<<"$resources")" "autoscaling/v2" "hpa preferred at autoscaling/v2"

# An Event through core/v1, read through events.k8s.io/v1.
kubectl create -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Event
metadata: {name: pulled, namespace: default}
involvedObject: {kind: Pod, name: web, namespace: default}
reason: Pulled
message: Container image pulled
type: Normal
source: {component: kubelet}
YAML
modern=$(kubectl get events.v1.events.k8s.io pulled -o yaml)
expect_contains "$modern" "apiVersion: events.k8s.io/v1" "core Event read at events.k8s.io/v1"
expect_contains "$modern" "note: Container image pulled" "message becomes note"
expect_contains "$modern" "deprecatedSource:" "source becomes deprecatedSource"
expect_equal "$(stored_version events/default/pulled)" "v1" "stored at core/v1"

# Through events.k8s.io/v1, still stored at core/v1.
kubectl create -f - >/dev/null <<'YAML'
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: scaled, namespace: default}
eventTime: "2026-11-21T10:00:00.000000Z"
reportingController: berth.dev/e2e
reportingInstance: e2e-1
action: Scale
reason: Scaled
regarding: {kind: Deployment, name: web, namespace: default}
note: Scaled up to 3
type: Normal
YAML
expect_equal "$(stored_version events/default/scaled)" "v1" "events.k8s.io/v1 write stored at core/v1"
expect_contains "$(stored events/default/scaled)" '"message":"Scaled up to 3"' "stored under core/v1's field names"
expect_equal "$(kubectl get events scaled -o jsonpath='{.message}')" "Scaled up to 3" "read back through core/v1"

# v1beta1, enabled by the flag, answers with kube's deprecation warning.
beta=$(kubectl get events.v1beta1.events.k8s.io scaled 2>&1)
expect_contains "$beta" 'Warning: events.k8s.io/v1beta1 Event is deprecated in v1.22+, unavailable in v1.25+; use events.k8s.io/v1 Event' "deprecation warning"
expect_equal "$(kubectl get --raw /apis/events.k8s.io | python3 -c 'import json,sys; print(json.load(sys.stdin)["preferredVersion"]["version"])')" "v1" "preferred version"

# An HPA through autoscaling/v2, read as v1; what v1 cannot hold survives a v1 write.
kubectl create -f - >/dev/null <<'YAML'
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
YAML
expect_equal "$(kubectl get horizontalpodautoscalers.v1.autoscaling web -o jsonpath='{.spec.targetCPUUtilizationPercentage}')" "60" "v2 read as v1"
kubectl patch horizontalpodautoscalers.v1.autoscaling web --type=merge -p '{"spec":{"targetCPUUtilizationPercentage":75}}' >/dev/null
expect_equal "$(kubectl get hpa web -o jsonpath='{.spec.metrics[*].resource.name}')" "memory cpu" "v2 metrics kept by a v1 patch"
expect_equal "$(stored_version horizontalpodautoscalers/default/web)" "autoscaling/v2" "hpa stored at autoscaling/v2"
expect_contains "$(kubectl get hpa web)" "memory: <unknown>/500Mi, cpu: <unknown>/75%" "kubectl's TARGETS column"
expect_contains "$(kubectl explain hpa.spec.behavior.scaleDown)" "HPAScalingRules" "explain reads autoscaling/v2 from OpenAPI"
expect_contains "$(kubectl explain events --api-version=events.k8s.io/v1)" "events.k8s.io" "explain an events.k8s.io Event"

# An upgrade that changes the storage version: new writes go to v1, old values still read.
stop_berth
serve --storage-version horizontalpodautoscalers.autoscaling=v1
kubectl patch hpa web --type=merge -p '{"spec":{"maxReplicas":6}}' >/dev/null
expect_equal "$(stored_version horizontalpodautoscalers/default/web)" "autoscaling/v1" "rewritten at the new storage version"
kubectl create -f - >/dev/null <<'YAML'
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 3
  targetCPUUtilizationPercentage: 50
YAML
stop_berth
serve
expect_equal "$(kubectl get hpa web -o jsonpath='{.spec.maxReplicas} {.spec.metrics[*].resource.name}')" "6 memory cpu" "a v1-stored value read at v2"
expect_equal "$(kubectl get horizontalpodautoscalers.v1.autoscaling api -o jsonpath='{.spec.targetCPUUtilizationPercentage}')" "50" "a v1-stored value read at v1"
expect_equal "$(stored_version horizontalpodautoscalers/default/api)" "autoscaling/v1" "untouched values stay at the old version until rewritten"

# berth migrate moves it, with the server running; a second run finds nothing to do.
migrate() { .build/debug/berth migrate --etcd-servers "http://127.0.0.1:$client_port" "$@"; }
if out=$(migrate 2>&1); then fail "berth migrate without --resource or --all ran"; fi
expect_contains "$out" "name resources with --resource, or use --all" "migrate asks what to migrate"
dry=$(migrate --resource horizontalpodautoscalers.autoscaling --dry-run 2>/dev/null)
expect_contains "$dry" "Dry run" "dry run says so"
expect_equal "$(stored_version horizontalpodautoscalers/default/api)" "autoscaling/v1" "a dry run writes nothing"
report=$(migrate --resource horizontalpodautoscalers.autoscaling -o json 2>"$work/migrate.err")
expect_equal "$(python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["resource"], r["found"], r["rewritten"], r["current"])' <<<"$report")" \
    "horizontalpodautoscalers.autoscaling 2 2 0" "migrate report (web and api were both written at v1)"
expect_contains "$(cat "$work/migrate.err")" "horizontalpodautoscalers.autoscaling: 2/2 visited" "plain progress lines off a terminal"
expect_equal "$(stored_version horizontalpodautoscalers/default/api)" "autoscaling/v2" "migrated to the storage version"
expect_equal "$(kubectl get horizontalpodautoscalers.v1.autoscaling api -o jsonpath='{.spec.targetCPUUtilizationPercentage}')" "50" "still reads the same"
expect_contains "$(migrate --all 2>/dev/null)" "horizontalpodautoscalers.autoscaling" "--all reports every resource"
again=$(migrate --resource horizontalpodautoscalers.autoscaling -o json 2>/dev/null)
expect_equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["rewritten"])' <<<"$again")" "0" "a second run finds nothing to do"

# kill -9 in the middle of a migration, then again: it finishes from its
# checkpoint, and a third run finds nothing to do.
stop_berth
serve --storage-version horizontalpodautoscalers.autoscaling=v1
python3 - >"$work/many-hpas.json" <<'PY'
import json
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": f"bulk-{i:03d}", "namespace": "default"},
     "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "bulk"}, "maxReplicas": 3}} for i in range(300)]}))
PY
kubectl create -f "$work/many-hpas.json" >/dev/null
stop_berth
serve
checkpoint=/registry/berth/storage-migrations/horizontalpodautoscalers
migrate --resource horizontalpodautoscalers.autoscaling --page-size 5 >/dev/null 2>&1 &
migrating=$!
for _ in $(seq 1 200); do
    [[ -n "$(ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" get "$checkpoint" --print-value-only)" ]] && break
    sleep 0.05
done
kill -9 "$migrating"; wait "$migrating" 2>/dev/null || true
left=$(ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" get /registry/horizontalpodautoscalers/ --prefix --print-value-only \
    | grep -c '"apiVersion":"autoscaling/v1"' || true)
(( left > 0 && left < 300 )) || fail "the killed migration should have stopped part way ($left of 300 left at v1)"
resumed=$(migrate --resource horizontalpodautoscalers.autoscaling --page-size 5 -o json 2>/dev/null)
expect_equal "$(python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["found"], r["rewritten"] + r["current"] == r["found"])' <<<"$resumed")" \
    "302 True" "the resumed migration visits everything once"
left=$(ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" get /registry/horizontalpodautoscalers/ --prefix --print-value-only \
    | grep -c '"apiVersion":"autoscaling/v1"' || true)
expect_equal "$left" "0" "nothing left at the old version"
third=$(migrate --resource horizontalpodautoscalers.autoscaling -o json 2>/dev/null)
expect_equal "$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["rewritten"])' <<<"$third")" "0" "a third run finds nothing to do"

# The API form: a StorageVersionMigration (alpha) makes the running server migrate.
stop_berth
serve --storage-version horizontalpodautoscalers.autoscaling=v1
kubectl create -f - >/dev/null <<'YAML'
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: batch, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: batch}
  maxReplicas: 2
YAML
stop_berth
serve --runtime-config storagemigration.k8s.io/v1alpha1=true
expect_equal "$(stored_version horizontalpodautoscalers/default/batch)" "autoscaling/v1" "left at the old version"
kubectl create -f - >/dev/null <<'YAML'
apiVersion: storagemigration.k8s.io/v1alpha1
kind: StorageVersionMigration
metadata: {name: hpas}
spec:
  resource: {group: autoscaling, version: v2, resource: horizontalpodautoscalers}
YAML
kubectl wait --for=condition=Succeeded storageversionmigration/hpas --timeout=30s >/dev/null
expect_equal "$(stored_version horizontalpodautoscalers/default/batch)" "autoscaling/v2" "migrated by the server"
expect_contains "$(kubectl get storageversionmigration hpas -o jsonpath='{.status.conditions[?(@.type=="Succeeded")].message}')" "rewritten 1" "the status says what it did"
stop_berth
echo "versions scenario passed"
