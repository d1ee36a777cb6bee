#!/usr/bin/env python3
"""The CRD benchmarks that are not wrk runs (BENCHMARKS.md):

    crds.py establish BASE TOKEN
        creates the BenchItem CRD (custom.py) and waits until it is served;
    crds.py discovery BASE TOKEN --other BASE2 [--count 20]
        creates COUNT CRDs, each in a group of its own, and times from each
        create's answer until the group's discovery document lists it, on the
        server that created it and on another replica over the same etcd;
    crds.py many BASE TOKEN --pid PID [--count 100] [--fields 10]
        RSS of the server before and after COUNT CRDs of FIELDS fields, once
        all are served and discovery and OpenAPI have been read.
Prints one RESULT line of key=value pairs."""
import argparse
import json
import statistics
import threading
import time

import custom
from kubeapi import connect, headers


class API:
    def __init__(self, base, token):
        self.connection = connect(base, insecure=True)
        self.token = token

    def request(self, method, path, body=None):
        self.connection.request(method, path, json.dumps(body) if body is not None else None,
                                headers(self.token, "application/json" if body is not None else None))
        response = self.connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None


def served(api, group, plural):
    status, body = api.request("GET", f"/apis/{group}/v1")
    return status == 200 and any(resource["name"] == plural for resource in body["resources"])


def wait_served(api, group, plural, timeout=30):
    deadline = time.monotonic() + timeout
    while not served(api, group, plural):
        if time.monotonic() > deadline:
            raise SystemExit(f"{plural}.{group} was not served within {timeout} s")
        time.sleep(0.002)
    return time.monotonic()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["establish", "discovery", "many"])
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("--other")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--count", type=int)
    parser.add_argument("--fields", type=int, default=10)
    args = parser.parse_args()
    api = API(args.base, args.token)

    if args.command == "establish":
        status, body = api.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", custom.crd())
        if status not in (201, 409):
            raise SystemExit(f"creating the CRD: HTTP {status} {body}")
        wait_served(api, custom.GROUP, "benchitems")
        print("RESULT established=1")

    elif args.command == "discovery":
        here, there = [], []
        other = API(args.other, args.token)
        stamp = int(time.time())
        for index in range(args.count or 20):
            group, plural = f"lat{stamp}-{index}.example.com", "latencies"
            crd = custom.crd(plural=plural, kind="Latency", fields=10, group=group)
            status, body = api.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
            answered = time.monotonic()
            if status != 201:
                raise SystemExit(f"creating {plural}.{group}: HTTP {status} {body}")
            remote = {}
            watcher = threading.Thread(target=lambda: remote.update(at=wait_served(other, group, plural)))
            watcher.start()
            here.append((wait_served(api, group, plural) - answered) * 1000)
            watcher.join()
            there.append((remote["at"] - answered) * 1000)
        print(f"RESULT count={len(here)} same_p50_ms={statistics.median(here):.1f} same_max_ms={max(here):.1f} "
              f"other_p50_ms={statistics.median(there):.1f} other_max_ms={max(there):.1f}")

    else:
        count = args.count or 100

        def read_documents(group=None):
            # The documents a client reads, so that both measures hold them.
            api.request("GET", "/apis")
            api.request("GET", "/openapi/v3")
            api.request("GET", "/openapi/v2")
            if group:
                api.request("GET", f"/apis/{group}/v1")
                api.request("GET", f"/openapi/v3/apis/{group}/v1")
        read_documents()
        time.sleep(2)
        before = rss_kib(args.pid)
        stamp = int(time.time())
        group = f"many{stamp}.example.com"
        for index in range(count):
            crd = custom.crd(plural=f"many{index:03d}s", kind=f"Many{index:03d}", fields=args.fields, group=group)
            status, body = api.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
            if status != 201:
                raise SystemExit(f"creating CRD {index}: HTTP {status} {body}")
        wait_served(api, group, f"many{count - 1:03d}s")
        read_documents(group)
        time.sleep(2)
        after = rss_kib(args.pid)
        print(f"RESULT count={count} fields={args.fields} rss_before_kib={before} rss_after_kib={after} "
              f"delta_mib={(after - before) / 1024:.1f}")


if __name__ == "__main__":
    main()
