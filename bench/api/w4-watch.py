#!/usr/bin/env python3
"""W4: WATCHERS watches on one namespace, UPDATES updates to one ConfigMap in
it, and the time until every watcher has seen the last one.

    w4-watch.py BASE_URL TOKEN NAMESPACE [--watchers 100] [--updates 1000] [--insecure]

Speaks only the Kubernetes API (standard library only), so it runs unchanged
against any API server. Each watcher starts without a resourceVersion, so the
server first sends the current object (ADDED): that is how the script knows
every watch is open before the first update. Updates are merge patches sent
one after another on one connection. Prints one RESULT line of key=value pairs.
"""
import argparse
import json
import statistics
import threading
import time
import urllib.parse

from kubeapi import configmaps_path, connect, headers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("namespace")
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--insecure", action="store_true", help="do not verify the server's certificate")
    args = parser.parse_args()

    collection = configmaps_path(args.base, args.namespace)
    watch_headers = headers(args.token)
    name = f"w4-{int(time.time())}"
    last = str(args.updates)

    writer = connect(args.base, args.insecure)
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"seq": "0"}})
    writer.request("POST", collection, body, headers(args.token, "application/json"))
    response = writer.getresponse()
    response.read()
    if response.status != 201:
        raise SystemExit(f"creating {name}: HTTP {response.status}")

    opened = threading.Barrier(args.watchers + 1)
    seen_last = [None] * args.watchers  # when each watcher saw the last update
    events = [0] * args.watchers        # MODIFIED events each watcher saw
    failures = []

    def watch(index):
        try:
            connection = connect(args.base, args.insecure, timeout=120)
            selector = urllib.parse.quote(f"metadata.name={name}")
            connection.request("GET", f"{collection}?watch=true&fieldSelector={selector}&timeoutSeconds=300", headers=watch_headers)
            stream = connection.getresponse()
            if stream.status != 200:
                raise RuntimeError(f"watch: HTTP {stream.status}")
            stream.readline()  # the current object, ADDED
            opened.wait()
            while True:
                line = stream.readline()
                if not line:
                    raise RuntimeError("watch ended before the last update")
                event = json.loads(line)
                if event["type"] != "MODIFIED":
                    continue
                events[index] += 1
                if event["object"]["data"]["seq"] == last:
                    seen_last[index] = time.monotonic()
                    connection.close()
                    return
        except Exception as error:  # reported below; the barrier must not wait forever
            failures.append(f"watcher {index}: {error}")
            opened.abort()

    threads = [threading.Thread(target=watch, args=(i,), daemon=True) for i in range(args.watchers)]
    for thread in threads:
        thread.start()
    opened.wait(timeout=120)

    patch_headers = headers(args.token, "application/merge-patch+json")
    latencies = []
    started = time.monotonic()
    for seq in range(1, args.updates + 1):
        sent = time.monotonic()
        writer.request("PATCH", f"{collection}/{name}", json.dumps({"data": {"seq": str(seq)}}), patch_headers)
        response = writer.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"update {seq}: HTTP {response.status}")
        latencies.append(time.monotonic() - sent)
    acknowledged = time.monotonic()
    for thread in threads:
        thread.join(timeout=300)
    if failures:
        raise SystemExit("; ".join(failures[:5]))
    if None in seen_last:
        raise SystemExit(f"{seen_last.count(None)} watchers never saw the last update")

    after_last = sorted(t - acknowledged for t in seen_last)
    everyone = max(seen_last) - started
    complete = sum(1 for count in events if count == args.updates)
    writer.request("DELETE", f"{collection}/{name}", headers=watch_headers)
    writer.getresponse().read()
    latencies.sort()
    print(f"RESULT watchers={args.watchers} updates={args.updates} "
          f"updates_per_s={args.updates / (acknowledged - started):.1f} "
          f"update_p50_ms={statistics.median(latencies) * 1000:.2f} "
          f"update_p99_ms={latencies[int(len(latencies) * 0.99) - 1] * 1000:.2f} "
          f"last_seen_by_all_ms={max(after_last) * 1000:.1f} last_seen_median_ms={statistics.median(after_last) * 1000:.1f} "
          f"first_update_to_all_seen_s={everyone:.2f} events_per_s={args.watchers * args.updates / everyone:.0f} "
          f"watchers_with_every_event={complete}")


if __name__ == "__main__":
    main()
