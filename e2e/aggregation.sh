#!/usr/bin/env bash
# The aggregation layer end to end: an HTTPS extension server of the
# scenario's own (e2e/extension_server.py) runs in a network namespace of its
# own behind a veth pair, since Service endpoints may not be loopback. It
# trusts only the request-header CA Berth publishes. Registered with a
# Service, an EndpointSlice and an APIService, it is reached by kubectl
# through Berth; killed, its APIService turns unavailable and requests get
# 503; started again, it comes back.
# Usage: e2e/aggregation.sh PYTHON WORK (KUBECONFIG set by e2e/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
python=$1
work=$2/aggregation
mkdir -p "$work"
k() { kubectl "$@"; }

# The namespace and its link: 10.213.N.1 here, 10.213.N.2 inside.
ns=berth-e2e-$$
subnet=10.213.$(($$ % 250)).
host_if=bh$(($$ % 100000)) ext_if=be$(($$ % 100000))
extension_pid=
cleanup() {
    [[ -n "$extension_pid" ]] && kill "$extension_pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$host_if" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns" || fail "cannot make a network namespace (the scenario needs root and iproute2)"
ip link add "$host_if" type veth peer name "$ext_if"
ip link set "$ext_if" netns "$ns"
ip addr add "${subnet}1/24" dev "$host_if"
ip link set "$host_if" up
ip netns exec "$ns" ip addr add "${subnet}2/24" dev "$ext_if"
ip netns exec "$ns" ip link set "$ext_if" up
ip netns exec "$ns" ip link set lo up

# The extension's serving certificate, for acc-ext.default.svc, from a CA of its own.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=acc-ca -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=acc-ext -keyout "$work/ext.key" -out "$work/ext.csr" 2>/dev/null
printf 'subjectAltName=DNS:acc-ext.default.svc\n' >"$work/san.ext"
openssl x509 -req -in "$work/ext.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
    -extfile "$work/san.ext" -out "$work/ext.crt" 2>/dev/null

# What Berth publishes for extension servers, with kube's keys.
k get configmap -n kube-system extension-apiserver-authentication -o json >"$work/auth.json"
for key in requestheader-client-ca-file requestheader-allowed-names requestheader-username-headers \
    requestheader-group-headers requestheader-extra-headers-prefix; do
    expect_contains "$(cat "$work/auth.json")" "\"$key\"" "extension-apiserver-authentication has $key"
done

port=8443
start_extension() {
    ip netns exec "$ns" "$python" e2e/extension_server.py --port "$port" --cert "$work/ext.crt" --key "$work/ext.key" \
        --auth-configmap "$work/auth.json" --log "$work/requests.jsonl" >"$work/extension.log" 2>&1 &
    extension_pid=$!
    for _ in $(seq 1 100); do
        grep -q serving "$work/extension.log" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$work/extension.log" >&2
    fail "the extension server did not start"
}
start_extension

# Without Berth's front-proxy certificate the extension lets nobody in.
out=$("$python" - "${subnet}2" "$port" <<'PY' 2>&1 || true
import socket, ssl, sys
context = ssl.create_default_context()
context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as raw:
    with context.wrap_socket(raw) as tls:
        tls.sendall(b"GET /apis HTTP/1.1\r\nHost: x\r\n\r\n")
        print("answered:", tls.recv(100))
PY
)
[[ "$out" != *"answered: b'HTTP/1.1 200"* ]] || fail "the extension answered a client without the front-proxy certificate: $out"

ca_bundle=$(base64 -w0 <"$work/ca.crt")
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Service
metadata: {name: acc-ext, namespace: default}
spec:
  ports: [{name: https, port: 443, targetPort: $port}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: acc-ext-1, namespace: default, labels: {kubernetes.io/service-name: acc-ext}}
addressType: IPv4
endpoints: [{addresses: ["${subnet}2"], conditions: {ready: true}}]
ports: [{name: https, protocol: TCP, port: $port}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.acc.example.com}
spec:
  service: {namespace: default, name: acc-ext, port: 443}
  group: metrics.acc.example.com
  version: v1beta1
  caBundle: $ca_bundle
  groupPriorityMinimum: 1000
  versionPriority: 15
YAML
k wait --for=condition=Available apiservice/v1beta1.metrics.acc.example.com --timeout=20s >/dev/null \
    || fail "the APIService did not become Available: $(k get apiservice v1beta1.metrics.acc.example.com -o yaml)"
expect_contains "$(k get apiservices | tr -s ' ')" "v1beta1.metrics.acc.example.com default/acc-ext True" "kubectl get apiservices"

# Through Berth: discovery, get, get --raw and create --raw, as the kubeconfig's user.
expect_contains "$(k api-resources --api-group=metrics.acc.example.com)" "pings" "api-resources lists the extension's kind"
expect_contains "$(k get pings -n default)" "p1" "kubectl get through the proxy"
raw=$(k get --raw /apis/metrics.acc.example.com/v1beta1/namespaces/default/pings)
expect_contains "$raw" '"seenUser": "berth-admin"' "the extension saw the user"
expect_contains "$raw" '"seenGroups": ["system:masters", "system:authenticated"]' "the extension saw the groups"
seen=$(grep '/namespaces/default/pings' "$work/requests.jsonl" | tail -1)
expect_contains "$seen" '"cn": "front-proxy-client"' "Berth showed its front-proxy certificate"
expect_contains "$seen" '"authorization": false' "the client's token was not forwarded"
printf '{"apiVersion":"metrics.acc.example.com/v1beta1","kind":"Ping","metadata":{"name":"p2"}}' >"$work/p2.json"
expect_contains "$(k create --raw /apis/metrics.acc.example.com/v1beta1/namespaces/default/pings -f "$work/p2.json")" \
    '"name": "p2"' "create --raw through the proxy"
expect_equal "$(k get ping -n default p2 -o jsonpath='{.seenUser}')" "berth-admin" "get one through the proxy"

# explain reads the extension's OpenAPI through Berth.
expect_contains "$(k explain pings)" "A Ping says who asked." "kubectl explain of the aggregated kind"

# Killed: the next check (every 30 s) finds it gone; requests get kube's 503.
kill "$extension_pid"
wait "$extension_pid" 2>/dev/null || true
extension_pid=
k wait --for=condition=Available=False apiservice/v1beta1.metrics.acc.example.com --timeout=45s >/dev/null \
    || fail "the APIService stayed Available after the extension was killed"
expect_contains "$(k get apiservice v1beta1.metrics.acc.example.com -o jsonpath='{.status.conditions[0].reason}')" \
    "FailedDiscoveryCheck" "unavailable reason"
out=$(k get --raw /apis/metrics.acc.example.com/v1beta1/namespaces/default/pings 2>&1 || true)
expect_contains "$out" "ServiceUnavailable" "503 while the extension is down"
expect_contains "$(k get namespaces)" "default" "the rest of the API still answers"

# Started again: Available once more.
start_extension
k wait --for=condition=Available apiservice/v1beta1.metrics.acc.example.com --timeout=45s >/dev/null \
    || fail "the APIService did not come back"
expect_contains "$(k get pings -n default)" "p1" "served again"

# Deleted: the group leaves discovery and its paths are Berth's 404.
k delete apiservice v1beta1.metrics.acc.example.com >/dev/null
for _ in $(seq 1 50); do
    k get --raw /apis | grep -q metrics.acc.example.com || break
    sleep 0.1
done
out=$(k get --raw /apis)
[[ "$out" != *metrics.acc.example.com* ]] || fail "the deleted APIService's group is still in /apis"
out=$(k get --raw /apis/metrics.acc.example.com/v1beta1/namespaces/default/pings 2>&1 || true)
expect_contains "$out" "NotFound" "404 once the APIService is gone"
echo "aggregation: ok"
