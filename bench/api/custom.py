"""The custom kind the CRD benchmarks use: BenchItem (bench.example.com/v1),
a schema of 20 fields, and a spec of about 1 KiB, so that its figures stand
beside ConfigMaps with a 1 KiB value. Shared by crds.py and fill.py;
w1-create.lua (with "custom") builds the same spec."""

GROUP = "bench.example.com"
FIELDS = 20


def crd(plural="benchitems", kind="BenchItem", fields=FIELDS, group=GROUP):
    properties = {f"f{index:02d}": {"type": "string", "maxLength": 256} for index in range(1, fields)}
    properties["size"] = {"type": "integer", "minimum": 0, "default": 1}
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {"group": group, "scope": "Namespaced",
                 "names": {"plural": plural, "singular": plural[:-1], "kind": kind},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                   "spec": {"type": "object", "properties": properties}}}}}]},
    }


def collection(namespace):
    return f"/apis/{GROUP}/v1/namespaces/{namespace}/benchitems"


def spec():
    # 19 strings of 52 characters and an integer: about 1 KiB of JSON.
    return {**{f"f{index:02d}": "x" * 52 for index in range(1, FIELDS)}, "size": 3}


def item(name):
    return {"apiVersion": f"{GROUP}/v1", "kind": "BenchItem", "metadata": {"name": name}, "spec": spec()}
