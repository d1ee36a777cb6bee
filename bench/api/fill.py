#!/usr/bin/env python3
"""Creates COUNT ConfigMaps with a 1 KiB value in NAMESPACE (W3's data set),
with --kind event core/v1 Events with a 1 KiB message (the conversion
benchmark's), with --kind pod Pods spread over 100 nodes (the index
benchmark's), or with --kind custom BenchItems of about 1 KiB (custom.py),
on a few parallel connections; an existing name counts as done, so a rerun
tops the namespace up.

    fill.py BASE_URL TOKEN NAMESPACE COUNT [--kind configmap|event|custom|pod] [--insecure]
"""
import argparse
import json
import threading

import custom
from kubeapi import configmaps_path, connect, headers


def document(kind, name, value, namespace):
    if kind == "custom":
        return custom.item(name)
    if kind == "event":
        return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name},
                "involvedObject": {"kind": "Pod", "name": name, "namespace": namespace}, "reason": "Benchmark",
                "message": value, "type": "Normal", "count": 1, "source": {"component": "bench"},
                "reportingComponent": "bench", "reportingInstance": "bench-1"}
    if kind == "pod":
        # On one of 100 nodes, as a scheduler would have placed it.
        node = f"node-{int(name.rsplit('-', 1)[1]) % 100}"
        return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                "spec": {"nodeName": node, "containers": [{"name": "c", "image": "busybox", "args": [value[:512]]}]}}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"value": value}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("namespace")
    parser.add_argument("count", type=int)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--kind", choices=["configmap", "event", "custom", "pod"], default="configmap")
    parser.add_argument("--insecure", action="store_true")
    args = parser.parse_args()
    collection = configmaps_path(args.base, args.namespace)
    if args.kind == "event":
        collection = collection.removesuffix("/configmaps") + "/events"
    if args.kind == "pod":
        collection = collection.removesuffix("/configmaps") + "/pods"
    if args.kind == "custom":
        collection = custom.collection(args.namespace)
    create_headers = headers(args.token, "application/json")
    value = "x" * 1024
    failures = []

    def create(worker):
        connection = connect(args.base, args.insecure)
        for index in range(worker, args.count, args.connections):
            body = json.dumps(document(args.kind, f"item-{index:05d}", value, args.namespace))
            connection.request("POST", collection, body, create_headers)
            response = connection.getresponse()
            response.read()
            if response.status not in (201, 409):
                failures.append(f"item-{index:05d}: HTTP {response.status}")
                return

    threads = [threading.Thread(target=create, args=(worker,)) for worker in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    main()
