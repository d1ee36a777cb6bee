#!/usr/bin/env bash
# Encryption at rest: with --encryption-provider-config, a secret made with
# kubectl lies in etcd as kube-apiserver lays out an aescbc value (prefix
# k8s:enc:aescbc:v1:<key>:, IV, ciphertext), not in plain text, and reads
# back whole; configmaps, which no rule names, stay plain; a rotated
# configuration (a new key first) still reads the old values; a bad
# configuration stops berth serve before it serves, saying what is wrong.
#   e2e/encryption.sh WORKDIR    (run by e2e/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
work=$1/encryption
mkdir -p "$work"
trap 'stop_berth; stop_etcd' EXIT

start_etcd encryption "$work/etcd"
etcdctl_raw() { ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$client_port" get --print-value-only "$1"; }
key1=$(head -c 32 /dev/urandom | base64)
key2=$(head -c 32 /dev/urandom | base64)
config() {  # the providers of the secrets rule, one per line
    printf 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n'
    printf '  - %s\n' "$@"
}
# serve CONFIG: berth serve over that etcd with that configuration, once
# its initial namespaces are there.
serve() {
    start_berth "$work/berth" --etcd-servers "http://127.0.0.1:$client_port" --encryption-provider-config "$1"
    for _ in $(seq 1 100); do
        kubectl get namespace default >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    fail "the default namespace did not appear"
}
config "aescbc: {keys: [{name: key1, secret: \"$key1\"}]}" "identity: {}" >"$work/config.yaml"
serve "$work/config.yaml"

kubectl create secret generic s1 --from-literal=password=hunter2 >/dev/null
kubectl create configmap c1 --from-literal=note=visible >/dev/null
raw=$(etcdctl_raw /registry/secrets/default/s1 | head -c 23)
expect_equal "$raw" "k8s:enc:aescbc:v1:key1:" "the secret's value in etcd begins with kube's aescbc prefix"
if etcdctl_raw /registry/secrets/default/s1 | grep -qa hunter2; then fail "the secret lies in etcd in plain text"; fi
expect_equal "$(kubectl get secret s1 -o jsonpath='{.data.password}' | base64 -d)" "hunter2" "the secret reads back whole"
expect_contains "$(etcdctl_raw /registry/configmaps/default/c1)" "visible" "a configmap, which no rule names, stays plain"
stop_berth

# A new key first, the old one after: old values still read; new ones use key2.
config "aescbc: {keys: [{name: key2, secret: \"$key2\"}, {name: key1, secret: \"$key1\"}]}" >"$work/config.yaml"
serve "$work/config.yaml"
expect_equal "$(kubectl get secret s1 -o jsonpath='{.data.password}' | base64 -d)" "hunter2" "a value of the old key reads after rotation"
kubectl create secret generic s2 --from-literal=password=swordfish >/dev/null
expect_equal "$(etcdctl_raw /registry/secrets/default/s2 | head -c 23)" "k8s:enc:aescbc:v1:key2:" "new values use the first key"
stop_berth

# The operator tools read through the same configuration: a logical backup,
# which holds objects in plain text, is refused for encrypted resources
# unless asked for with --plaintext.
backup() { .build/debug/berth backup logical --etcd-servers "http://127.0.0.1:$client_port" "$@"; }
if backup --encryption-provider-config "$work/config.yaml" "$work/refused.tar.gz" >"$work/backup.log" 2>&1; then
    fail "a logical backup of encrypted secrets was written in plain text without --plaintext"
fi
expect_contains "$(cat "$work/backup.log")" "secrets is encrypted at rest" "the refused backup says why"
backup --encryption-provider-config "$work/config.yaml" --plaintext --resource secrets "$work/plain.tar.gz" >/dev/null
expect_contains "$(tar -xzOf "$work/plain.tar.gz" secrets/default/s2.json)" "$(printf swordfish | base64)" \
    "with --plaintext the backup holds the secret decrypted"

# A key of the wrong length: berth serve refuses to start and says where.
config "aescbc: {keys: [{name: short, secret: \"$(head -c 8 /dev/urandom | base64)\"}]}" >"$work/bad.yaml"
if .build/debug/berth serve --etcd-servers "http://127.0.0.1:$client_port" --data-dir "$work/berth" \
    --secure-port "$(free_port)" --encryption-provider-config "$work/bad.yaml" >"$work/bad.log" 2>&1; then
    fail "berth serve started with a key of 8 bytes"
fi
expect_contains "$(cat "$work/bad.log")" "resources[0].providers[0].aescbc.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 8, expected one of [16 24 32]" \
    "a bad configuration is refused with kube's field path"
echo "encryption: a secret encrypted in etcd with kube's aescbc layout, read back, rotated to a new key, backed up in plain text only when asked; a bad key refused"
