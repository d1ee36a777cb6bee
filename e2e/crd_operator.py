"""A small real operator, written with Kopf, that e2e/crds.py runs against
Berth: it marks each new Widget as seen in its status phase, and when a Widget is
deleted (Kopf holds it with its finalizer until this handler has run) it
records the deletion in a ConfigMap."""
import kopf
import kubernetes

kubernetes.config.load_kube_config()


# Only the widgets e2e/crds.py makes: the others carry no finalizer of its.
@kopf.on.create("acc.example.com", "v1", "widgets", labels={"app": "py"})
def created(name, patch, **_):
    # A field the CRD's schema has: anything else in status would be pruned.
    patch.status["phase"] = f"Seen by the operator: {name}"


@kopf.on.delete("acc.example.com", "v1", "widgets", labels={"app": "py"})
def deleted(name, namespace, **_):
    kubernetes.client.CoreV1Api().create_namespaced_config_map(
        namespace, {"metadata": {"name": f"deleted-{name}"}, "data": {"widget": name}})
