#!/usr/bin/env python3
"""Writes a logical backup (the format `berth backup logical` writes) of COUNT
autoscaling/v1 HorizontalPodAutoscalers in namespace `bench`, each about
SIZE bytes as JSON, plus the namespace itself: the operations benchmark's data
set. Prints the total size of the documents. Restored with `--storage-version horizontalpodautoscalers.autoscaling=v1`
they are stored at v1, which a later `berth migrate` moves to v2.

    make-archive.py FILE COUNT [--size BYTES]
"""
import argparse
import hashlib
import io
import json
import tarfile
import time


def hpa(index, size):
    name = f"hpa-{index:06d}"
    document = {
        "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "namespace": "bench", "uid": f"00000000-0000-4000-8000-{index:012d}",
                     "creationTimestamp": "2026-11-01T00:00:00Z", "labels": {"app": "bench"}},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                 "minReplicas": 1, "maxReplicas": 10, "targetCPUUtilizationPercentage": 70},
    }
    # Padding up to SIZE in an annotation, which every version carries as it is.
    plain = len(json.dumps(document, separators=(",", ":")))
    padding = max(0, size - plain - len('"annotations":{"bench/padding":""},'))
    document["metadata"]["annotations"] = {"bench/padding": "x" * padding}
    return document


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("count", type=int)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()

    documents = [("namespaces", None, "bench",
                  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "bench"}})]
    documents += [("horizontalpodautoscalers.autoscaling", "bench", f"hpa-{i:06d}", hpa(i, args.size))
                  for i in range(args.count)]
    entries, files = [], []
    for resource, namespace, name, document in documents:
        data = (json.dumps(document, separators=(",", ":")) + "\n").encode()
        path = "/".join([resource] + ([namespace] if namespace else []) + [name]) + ".json"
        entries.append({"path": path, "resource": resource, "namespace": namespace, "name": name,
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
        files.append((path, data))
    manifest = {"kind": "logical", "revision": 1, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "format": "json", "versions": "storage",
                "resources": [{"resource": "namespaces", "apiVersion": "v1", "count": 1},
                              {"resource": "horizontalpodautoscalers.autoscaling", "apiVersion": "autoscaling/v1",
                               "count": args.count}],
                "entries": entries}
    with tarfile.open(args.file, "w:gz", format=tarfile.USTAR_FORMAT, compresslevel=6) as archive:
        for path, data in [("manifest.json", json.dumps(manifest).encode())] + files:
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mtime = int(time.time())
            archive.addfile(info, io.BytesIO(data))
    # The bytes of the documents, for MB/s.
    print(sum(entry["bytes"] for entry in entries))


if __name__ == "__main__":
    main()
