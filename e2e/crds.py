"""Custom resources through the Python kubernetes client (CustomObjectsApi,
a watch, the dynamic client) and a Kopf operator (e2e/crd_operator.py) run
as a real process. Expects the widgets CRD established and the namespace
crd-e2e (e2e/crds.sh)."""
import os
import subprocess
import sys
import time

import kubernetes
from kubernetes.dynamic import DynamicClient

kubernetes.config.load_kube_config()
api = kubernetes.client.ApiClient()
custom = kubernetes.client.CustomObjectsApi(api)
core = kubernetes.client.CoreV1Api(api)
ns = "crd-e2e"
group, version, plural = "acc.example.com", "v1", "widgets"


def check(condition, what):
    if not condition:
        sys.exit(f"FAIL: {what}")


def widget(name, **spec):
    return {"apiVersion": "acc.example.com/v1", "kind": "Widget", "metadata": {"name": name, "labels": {"app": "py"}},
            "spec": {"color": "green", **spec}}


def wait_for(predicate, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    sys.exit(f"FAIL: timed out waiting for {what}")


# CustomObjectsApi: every verb, and a watch that must see what is done.
watch = kubernetes.watch.Watch()
start = custom.list_namespaced_custom_object(group, version, ns, plural)["metadata"]["resourceVersion"]
created = custom.create_namespaced_custom_object(group, version, ns, plural, widget("py1", size=2))
check(created["spec"]["size"] == 2 and created["metadata"]["generation"] == 1, "create")
got = custom.get_namespaced_custom_object(group, version, ns, plural, "py1")
got["spec"]["tags"] = ["a", "b"]
replaced = custom.replace_namespaced_custom_object(group, version, ns, plural, "py1", got)
check(replaced["spec"]["tags"] == ["a", "b"] and replaced["metadata"]["generation"] == 2, "replace")
patched = custom.patch_namespaced_custom_object(group, version, ns, plural, "py1", {"spec": {"size": 7}})
check(patched["spec"]["size"] == 7, "merge patch")
listed = custom.list_namespaced_custom_object(group, version, ns, plural, label_selector="app=py")
check([item["metadata"]["name"] for item in listed["items"]] == ["py1"], "list with a label selector")
custom.delete_namespaced_custom_object(group, version, ns, plural, "py1")
events = []
for event in watch.stream(custom.list_namespaced_custom_object, group, version, ns, plural,
                          resource_version=start, timeout_seconds=10):
    events.append((event["type"], event["object"]["metadata"]["name"]))
    if event["type"] == "DELETED":
        watch.stop()
check(events == [("ADDED", "py1"), ("MODIFIED", "py1"), ("MODIFIED", "py1"), ("DELETED", "py1")],
      f"watch saw every change in order: {events}")

# The dynamic client finds the kind through discovery.
dynamic = DynamicClient(api)
widgets = dynamic.resources.get(api_version="acc.example.com/v1", kind="Widget")
check(widgets.namespaced and "scale" in [s for s in widgets.subresources], "dynamic discovery")
widgets.create(body=widget("dyn1"), namespace=ns)
check(widgets.get(name="dyn1", namespace=ns).spec.size == 3, "dynamic get sees the default")
widgets.delete(name="dyn1", namespace=ns)

# A Kopf operator, run as its own process against Berth.
operator = subprocess.Popen([sys.executable, "-m", "kopf", "run", "--standalone", "--namespace", ns,
                             os.path.join(os.path.dirname(__file__), "crd_operator.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    custom.create_namespaced_custom_object(group, version, ns, plural, widget("op1"))
    seen = wait_for(lambda: custom.get_namespaced_custom_object(group, version, ns, plural, "op1")
                    .get("status", {}).get("phase"), "the operator's create handler")
    check(seen == "Seen by the operator: op1", f"the create handler's status: {seen}")
    finalizers = custom.get_namespaced_custom_object(group, version, ns, plural, "op1")["metadata"].get("finalizers", [])
    check("kopf.zalando.org/KopfFinalizerMarker" in finalizers, f"Kopf's finalizer: {finalizers}")
    custom.delete_namespaced_custom_object(group, version, ns, plural, "op1")

    def gone():
        try:
            custom.get_namespaced_custom_object(group, version, ns, plural, "op1")
            return False
        except kubernetes.client.ApiException as error:
            return error.status == 404
    wait_for(gone, "the widget to go once the operator's finalizer is removed")
    recorded = core.read_namespaced_config_map("deleted-op1", ns)
    check(recorded.data == {"widget": "op1"}, "the delete handler ran before the widget went")
finally:
    operator.terminate()
    try:
        output, _ = operator.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        operator.kill()
        output, _ = operator.communicate()
    if os.environ.get("E2E_VERBOSE"):
        print(output)
