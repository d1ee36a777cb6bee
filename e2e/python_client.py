"""The Python `kubernetes` client from PyPI, unchanged, against a running
Berth (KUBECONFIG set by e2e/run)."""
import threading
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config()
core = client.CoreV1Api()
namespace = "python-e2e"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAIL: {what}")


core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
for index in range(7):
    labels = {"app": "demo", "parity": "even" if index % 2 == 0 else "odd"}
    core.create_namespaced_config_map(namespace, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name=f"cm-{index}", labels=labels), data={"index": str(index)}))

# A label selector with limit and continue: pages of two, all one snapshot.
names, token, pages = [], None, 0
while True:
    page = core.list_namespaced_config_map(namespace, label_selector="parity=even", limit=2, _continue=token)
    names += [item.metadata.name for item in page.items]
    pages += 1
    token = page.metadata._continue
    if not token:
        break
check(names == ["cm-0", "cm-2", "cm-4", "cm-6"], f"paged selector list gave {names}")
check(pages == 2, f"four items in pages of two took {pages} pages")

# A missing object is an ApiException with Kubernetes' status.
try:
    core.read_namespaced_config_map("missing", namespace)
    check(False, "reading a missing configmap succeeded")
except ApiException as error:
    check(error.status == 404 and '"reason":"NotFound"' in error.body.replace(" ", ""), f"missing gave {error.status}")

# A watch with timeoutSeconds sees a change made while it runs, then ends.
current = core.list_namespaced_config_map(namespace).metadata.resource_version
seen = []


def change():
    time.sleep(1)
    core.patch_namespaced_config_map("cm-3", namespace, {"data": {"index": "three"}})


threading.Thread(target=change).start()
started = time.monotonic()
for event in watch.Watch().stream(core.list_namespaced_config_map, namespace, resource_version=current,
                                  timeout_seconds=4):
    seen.append((event["type"], event["object"].metadata.name, (event["object"].data or {}).get("index")))
elapsed = time.monotonic() - started
check(("MODIFIED", "cm-3", "three") in seen, f"the watch saw {seen}")
check(3 <= elapsed < 10, f"a 4 s watch ended after {elapsed:.1f} s")

core.delete_namespace(namespace)
print("python client scenario passed")
