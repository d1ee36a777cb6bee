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
import multiprocessing
import statistics
import threading
import time
import urllib.parse

from kubeapi import configmaps_path, connect, headers


def watch_some(indices, args, path, watch_headers, last_marker, opened, results):
    """Watchers `indices`, a thread each: wait until all are open, then
    count MODIFIED events until the last update; report to `results`."""
    def watch(index):
        seen, count = None, 0
        try:
            connection = connect(args.base, args.insecure, timeout=120)
            connection.request("GET", path, headers=watch_headers)
            stream = connection.getresponse()
            if stream.status != 200:
                raise RuntimeError(f"watch: HTTP {stream.status}")
            stream.readline()  # the current object, ADDED
            opened.wait()
            while True:
                line = stream.readline()
                if not line:
                    raise RuntimeError("watch ended before the last update")
                # A look at the bytes instead of a JSON parse, so that a
                # thousand watchers cost the client little beside the server.
                if not line.startswith(b'{"type":"MODIFIED"'):
                    continue
                count += 1
                if last_marker in line:
                    seen = time.monotonic()
                    connection.close()
                    results.put((index, seen, count, None))
                    return
        except Exception as error:  # reported; the barrier must not wait forever
            opened.abort()
            results.put((index, seen, count, f"watcher {index}: {error}"))

    threads = [threading.Thread(target=watch, args=(i,)) for i in indices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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

    # The watchers run in processes of their own, a few threads each, so
    # that reading their streams never holds the writer's interpreter lock:
    # one process with a hundred readers and the writer measures Python.
    processes = min(args.watchers, 4)
    opened = multiprocessing.Barrier(args.watchers + 1)
    results = multiprocessing.Queue()
    selector = urllib.parse.quote(f"metadata.name={name}")
    watch_path = f"{collection}?watch=true&fieldSelector={selector}&timeoutSeconds=300"
    last_marker = json.dumps({"seq": last}, separators=(",", ":"))[1:-1].encode()  # "seq":"N"
    workers = [multiprocessing.Process(
        target=watch_some, daemon=True,
        args=(range(k, args.watchers, processes), args, watch_path, watch_headers, last_marker, opened, results))
        for k in range(processes)]
    for worker in workers:
        worker.start()
    try:
        opened.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass

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
    seen_last = [None] * args.watchers  # when each watcher saw the last update
    events = [0] * args.watchers        # MODIFIED events each watcher saw
    failures = []
    for _ in range(args.watchers):
        index, seen, count, failure = results.get(timeout=300)
        seen_last[index], events[index] = seen, count
        if failure:
            failures.append(failure)
    if failures:
        raise SystemExit("; ".join(failures[:5]))
    if None in seen_last:
        raise SystemExit(f"{seen_last.count(None)} watchers never saw the last update")

    writer.request("DELETE", f"{collection}/{name}", headers=watch_headers)
    writer.getresponse().read()
    latencies.sort()
    result = (f"RESULT watchers={args.watchers} updates={args.updates} "
              f"updates_per_s={args.updates / (acknowledged - started):.1f} "
              f"update_p50_ms={statistics.median(latencies) * 1000:.2f} "
              f"update_p99_ms={latencies[int(len(latencies) * 0.99) - 1] * 1000:.2f}")
    if args.watchers:
        after_last = sorted(t - acknowledged for t in seen_last)
        everyone = max(seen_last) - started
        complete = sum(1 for count in events if count == args.updates)
        result += (f" last_seen_by_all_ms={max(after_last) * 1000:.1f}"
                   f" last_seen_median_ms={statistics.median(after_last) * 1000:.1f}"
                   f" first_update_to_all_seen_s={everyone:.2f} events_per_s={args.watchers * args.updates / everyone:.0f}"
                   f" watchers_with_every_event={complete}")
    print(result)


if __name__ == "__main__":
    main()
