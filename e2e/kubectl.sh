#!/usr/bin/env bash
# kubectl 1.32, unchanged, against a running Berth (KUBECONFIG set by e2e/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1
k() { kubectl "$@"; }

# Discovery.
resources=$(k api-resources)
expect_contains "$resources" "configmaps" "api-resources lists configmaps"
expect_contains "$(k api-resources -o name)" "leases.coordination.k8s.io" "api-resources lists leases"
expect_equal "$(k api-resources --namespaced=false -o name | tr '\n' ' ')" \
    "namespaces customresourcedefinitions.apiextensions.k8s.io apiservices.apiregistration.k8s.io " "cluster-scoped resources"
versions=$(k api-versions)
expect_contains "$versions" "coordination.k8s.io/v1" "api-versions"
expect_contains "$versions" "v1" "api-versions"
expect_contains "$(k get namespaces)" "kube-system" "initial namespaces"

# create -f and apply -f with YAML, validated by the server (fieldValidation).
cat >"$work/objects.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: e2e
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: e2e
  labels: {app: web}
data:
  color: blue
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: leader
  namespace: e2e
spec:
  holderIdentity: one
  leaseDurationSeconds: 15
YAML
expect_contains "$(k create -f "$work/objects.yaml")" "configmap/settings created" "create -f"
sed 's/color: blue/color: green/' "$work/objects.yaml" >"$work/applied.yaml"
expect_contains "$(k apply -f "$work/applied.yaml" 2>&1)" "configmap/settings configured" "apply -f"
expect_equal "$(k get cm settings -n e2e -o jsonpath='{.data.color}')" "green" "apply changed the value"
expect_contains "$(k apply -f "$work/applied.yaml")" "configmap/settings unchanged" "apply again"

cat >"$work/typo.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: typo, namespace: e2e}
dataa: {k: v}
YAML
if out=$(k create -f "$work/typo.yaml" 2>&1); then fail "create with an unknown field succeeded: $out"; fi
expect_contains "$out" 'strict decoding error: unknown field "dataa"' "unknown field rejected"

# Typed commands send protobuf.
k create configmap literal -n e2e --from-literal=a=1 --from-literal=b=2 >/dev/null
expect_equal "$(k get cm literal -n e2e -o jsonpath='{.data.b}')" "2" "create configmap"
k create secret generic token -n e2e --from-literal=password=s3cret >/dev/null
expect_equal "$(k get secret token -n e2e -o jsonpath='{.data.password}' | base64 -d)" "s3cret" "create secret"
k create serviceaccount robot -n e2e >/dev/null
k create service clusterip api -n e2e --tcp=80:8080 >/dev/null
expect_equal "$(k get svc api -n e2e -o jsonpath='{.spec.ports[0].targetPort}')" "8080" "create service"
k run web -n e2e --image=nginx --labels=app=web >/dev/null
expect_equal "$(k get pod web -n e2e -o jsonpath='{.spec.containers[0].image}')" "nginx" "kubectl run"
# ... and take Berth's answers in protobuf too: what kubectl prints from the
# protobuf reply is the object a JSON get reads, and an error is kube's Status.
sorted() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'; }
echoed=$(k create configmap echoed -n e2e --from-literal=a=1 -o json -v=8 2>"$work/protobuf.log" | sorted)
expect_equal "$(grep -c 'Content-Type: application/vnd.kubernetes.protobuf' "$work/protobuf.log")" "2" "a protobuf request answered in protobuf"
expect_equal "$echoed" "$(k get cm echoed -n e2e -o json | sorted)" "kubectl reads a protobuf answer as the JSON one"
if out=$(k create configmap echoed -n e2e --from-literal=a=1 2>&1); then fail "a second create succeeded: $out"; fi
expect_contains "$out" 'error: failed to create configmap: configmaps "echoed" already exists' "a protobuf Status"

# Output formats.
expect_contains "$(k get cm settings -n e2e -o yaml)" "color: green" "get -o yaml"
expect_equal "$(k get cm settings -n e2e -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["labels"]["app"])')" "web" "get -o json"
wide=$(k get pods -n e2e -o wide)
expect_contains "$wide" "NOMINATED NODE" "get -o wide has the wide columns"
expect_contains "$(k get all -n e2e)" "service/api" "get all (category)"
expect_contains "$(k get leases -n e2e)" "one" "lease holder column"

# label, annotate, and the three patch types.
k label cm settings -n e2e tier=front >/dev/null
expect_equal "$(k get cm -n e2e -l tier=front -o name)" "configmap/settings" "label + selector"
# A set-based selector: kubectl form-encodes its spaces as "+" (labelSelector=tier+in+%28front%2Cback%29).
expect_equal "$(k get cm -n e2e -l 'tier in (front,back)' -o name)" "configmap/settings" "set-based selector"
expect_contains "$(k get cm -n e2e -l 'tier in (front,back)' -v=8 2>&1)" "labelSelector=tier+in+%28front%2Cback%29" "kubectl's encoding"
k annotate cm settings -n e2e note=hello >/dev/null
expect_equal "$(k get cm settings -n e2e -o jsonpath='{.metadata.annotations.note}')" "hello" "annotate"
k patch cm settings -n e2e --type=merge -p '{"data":{"size":"L"}}' >/dev/null
k patch cm settings -n e2e --type=json -p '[{"op":"replace","path":"/data/color","value":"red"}]' >/dev/null
k patch pod web -n e2e --type=strategic -p '{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}' >/dev/null
expect_equal "$(k get cm settings -n e2e -o jsonpath='{.data.size}/{.data.color}')" "L/red" "merge and json patch"
expect_equal "$(k get pod web -n e2e -o jsonpath='{.spec.containers[0].image}')" "nginx:1.27" "strategic patch"

# replace with a stale resourceVersion is a conflict.
k get cm settings -n e2e -o yaml >"$work/stale.yaml"
k label cm settings -n e2e bump=1 >/dev/null
if out=$(k replace -f "$work/stale.yaml" 2>&1); then fail "a stale replace succeeded"; fi
expect_contains "$out" "the object has been modified" "stale replace is a Conflict"

# edit through an editor script.
cat >"$work/editor.sh" <<'SH'
#!/bin/sh
sed -i 's/color: red/color: edited/' "$1"
SH
chmod +x "$work/editor.sh"
KUBE_EDITOR="$work/editor.sh" k edit cm settings -n e2e >/dev/null
expect_equal "$(k get cm settings -n e2e -o jsonpath='{.data.color}')" "edited" "edit"

# get -w sees what another kubectl does.
k get cm -n e2e -w --output-watch-events >"$work/watch.out" 2>&1 &
watcher=$!
sleep 1
k create configmap watched -n e2e --from-literal=x=1 >/dev/null
k patch cm watched -n e2e --type=merge -p '{"data":{"x":"2"}}' >/dev/null
k delete cm watched -n e2e >/dev/null
for _ in $(seq 1 50); do grep -q "^DELETED  *watched " "$work/watch.out" && break; sleep 0.1; done
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
events=$(awk '$2 == "watched" {print $1}' "$work/watch.out" | tr '\n' ' ')
expect_equal "$events" "ADDED MODIFIED DELETED " "get -w events"

# explain reads the server's OpenAPI.
expect_contains "$(k explain configmap.data)" "map[string]string" "explain configmap.data"
expect_contains "$(k explain pods.spec.containers.image)" "string" "explain a nested field"

# /metrics has counted what kubectl did, under kube-apiserver's metric names.
metrics=$(k get --raw /metrics)
expect_contains "$metrics" 'apiserver_request_total{component="apiserver",dry_run="",group="",resource="configmaps",scope="namespace",subresource="",verb="POST",version="v1",code="201"}' "metrics: configmap creates counted"
expect_contains "$metrics" 'etcd_request_duration_seconds_bucket{operation="create",type="configmaps"' "metrics: etcd latency"

# delete, then namespace deletion empties the namespace.
expect_contains "$(k delete cm literal -n e2e)" 'configmap "literal" deleted' "delete"
if k get cm literal -n e2e >/dev/null 2>&1; then fail "a deleted configmap is still there"; fi
k delete namespace e2e --timeout=60s >/dev/null
if out=$(k get namespace e2e 2>&1); then fail "namespace e2e still exists: $out"; fi
expect_contains "$out" 'namespaces "e2e" not found' "namespace deleted"
expect_equal "$(k get cm,secrets,pods,leases -A -o custom-columns=NS:.metadata.namespace --no-headers | grep -cx e2e || true)" "0" "nothing left of the namespace"
echo "kubectl scenario passed"
