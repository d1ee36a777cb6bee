#!/usr/bin/env bash
# Custom resources end to end: kubectl 1.32 applies a CRD and works with its
# kind, the Python client's CustomObjectsApi and dynamic client use it, and a
# real Kopf operator reacts to creates and, through its finalizer, to deletes.
# Usage: e2e/crds.sh PYTHON WORK (KUBECONFIG set by e2e/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
python=$1
work=$2
k() { kubectl "$@"; }

k apply -f e2e/fixtures/widgets-crd.yaml >/dev/null
k wait --for=condition=Established crd/widgets.acc.example.com --timeout=5s >/dev/null
expect_contains "$(k api-resources --api-group=acc.example.com)" "wd" "api-resources lists the short name"
k create namespace crd-e2e >/dev/null

# Created with a unknown field: kubectl's strict validation refuses it...
cat >"$work/w1.yaml" <<'YAML'
apiVersion: acc.example.com/v1
kind: Widget
metadata: {name: w1, namespace: crd-e2e, labels: {tier: gold}}
spec: {color: red, bogus: 1}
YAML
out=$(k apply -f "$work/w1.yaml" 2>&1 || true)
expect_contains "$out" 'strict decoding error: unknown field "spec.bogus"' "strict field validation"
# ...and accepts it without; the default size is filled in.
sed -i 's/, bogus: 1//' "$work/w1.yaml"
k apply -f "$work/w1.yaml" >/dev/null
expect_equal "$(k get wd -n crd-e2e w1 -o jsonpath='{.spec.size}')" "3" "defaulted size"

# Printer columns through the short name and the category.
table=$(k get wd -n crd-e2e)
expect_contains "$(head -1 <<<"$table" | tr -s ' ')" "NAME SIZE COLOR AGE" "printer columns"
expect_contains "$(tail -1 <<<"$table" | tr -s ' ')" "w1 3 red" "printer cells"
expect_contains "$(k get acc -n crd-e2e)" "w1" "get by category"
expect_equal "$(k get widgets -n crd-e2e -l tier=gold -o name)" "widget.acc.example.com/w1" "label selector"
expect_equal "$(k get widgets -n crd-e2e --field-selector metadata.name=w1 -o name)" "widget.acc.example.com/w1" "field selector"

# Bad values: kube's 422 with the schema's words.
out=$(k patch wd -n crd-e2e w1 --type=merge -p '{"spec":{"color":"purple"}}' 2>&1 || true)
expect_contains "$out" 'spec.color: Unsupported value: "purple": supported values: "red", "green", "blue"' "enum"
out=$(k patch wd -n crd-e2e w1 -p '{"spec":{"size":2}}' 2>&1 || true)
expect_contains "$out" "application/json-patch+json, application/merge-patch+json" "strategic merge patch is 415"

# explain reads the CRD's schema from OpenAPI v3.
expect_contains "$(k explain widget.spec.size)" "How many parts the widget has." "explain"

# scale and the status subresource.
k scale -n crd-e2e widget/w1 --replicas=4 >/dev/null
expect_equal "$(k get wd -n crd-e2e w1 -o jsonpath='{.spec.size} {.metadata.generation}')" "4 2" "scale wrote spec.size"
k patch wd -n crd-e2e w1 --subresource=status --type=merge \
    -p '{"status":{"phase":"Ready","replicas":4,"selector":"tier=gold"},"spec":{"color":"blue"}}' >/dev/null
expect_equal "$(k get wd -n crd-e2e w1 -o jsonpath='{.status.phase} {.spec.color}')" "Ready red" "status subresource"
expect_contains "$(k get --raw /apis/acc.example.com/v1/namespaces/crd-e2e/widgets/w1/scale)" '"status":{"replicas":4,"selector":"tier=gold"}' "scale status"

# The deprecated version: its warning, the same object at v1beta1.
out=$(k get widgets.v1beta1.acc.example.com -n crd-e2e w1 -o jsonpath='{.apiVersion}' 2>&1)
expect_contains "$out" "Warning: acc.example.com/v1beta1 Widget is going away; use acc.example.com/v1" "deprecation warning"
expect_contains "$out" "acc.example.com/v1beta1" "read at v1beta1"

echo "e2e: crds: the Python client and a Kopf operator"
"$python" e2e/crds.py

# Conversion through an HTTPS webhook this scenario runs: Gadgets stored at
# v1 (spec.colour) read and written at v2 (spec.color) with kubectl.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$work/webhook.key" -out "$work/webhook.crt" 2>/dev/null
coproc WEBHOOK { exec "$python" e2e/conversion_webhook.py "$work/webhook.crt" "$work/webhook.key"; }
webhook_pid=$WEBHOOK_PID
trap 'kill $webhook_pid 2>/dev/null || true' EXIT
read -r webhook_port <&"${WEBHOOK[0]}"
cat >"$work/gadgets.yaml" <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.acc.example.com}
spec:
  group: acc.example.com
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  scope: Namespaced
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        url: https://127.0.0.1:$webhook_port/convert
        caBundle: $(base64 -w0 "$work/webhook.crt")
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {colour: {type: string}}}}}}
  - name: v2
    served: true
    storage: false
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {color: {type: string}}}}}}
YAML
k apply -f "$work/gadgets.yaml" >/dev/null
k wait --for=condition=Established crd/gadgets.acc.example.com --timeout=5s >/dev/null
# gadget NAME VERSION FIELD VALUE: applies a Gadget written at VERSION.
gadget() {
    printf 'apiVersion: acc.example.com/%s\nkind: Gadget\nmetadata: {name: %s, namespace: crd-e2e}\nspec: {%s: %s}\n' \
        "$2" "$1" "$3" "$4" | k apply -f - >/dev/null
}
gadget g1 v1 colour blue
expect_equal "$(k get gadgets.v2.acc.example.com -n crd-e2e g1 -o jsonpath='{.apiVersion} {.spec.color}')" \
    "acc.example.com/v2 blue" "read at v2 through the webhook"
gadget g2 v2 color red
expect_equal "$(k get gadgets.v1.acc.example.com -n crd-e2e g2 -o jsonpath='{.spec.colour}')" "red" "written at v2, stored at v1"
kill $webhook_pid; wait $webhook_pid 2>/dev/null || true
out=$(k get gadgets.v2.acc.example.com -n crd-e2e g1 2>&1 || true)
expect_contains "$out" "conversion webhook for acc.example.com/v1, Kind=Gadget failed" "a webhook that is down is a 500 naming it"
k delete crd gadgets.acc.example.com --timeout=20s >/dev/null

# Deleting the namespace deletes its custom resources too.
k create namespace crd-gone >/dev/null
sed 's/namespace: crd-e2e/namespace: crd-gone/' "$work/w1.yaml" | k apply -f - >/dev/null
k delete namespace crd-gone --timeout=20s >/dev/null
expect_equal "$(k get wd -A -o jsonpath='{range .items[*]}{.metadata.namespace} {end}')" "crd-e2e " \
    "namespace deletion empties custom resources"

# Deleting the CRD deletes its objects, then the kind is gone.
k delete crd widgets.acc.example.com --timeout=20s >/dev/null
out=$(k get --raw /apis/acc.example.com/v1/namespaces/crd-e2e/widgets 2>&1 || true)
expect_contains "$out" "the server could not find the requested resource" "the kind is gone with its CRD"
expect_equal "$(k get crd -o name)" "" "the CRD is gone once its objects are"
