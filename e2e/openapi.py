"""The OpenAPI documents a running Berth publishes are valid and complete:
/openapi/v2 is valid Swagger 2.0 and every /openapi/v3 group-version document
valid OpenAPI 3.0 (openapi-spec-validator from PyPI), every served kind has
its definition, and `kubectl explain --recursive` walks every built-in kind
to its last field. Run by e2e/run with KUBECONFIG set."""
import json
import subprocess
import sys

from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV2SpecValidator, OpenAPIV30SpecValidator


def kubectl(*args):
    done = subprocess.run(["kubectl", *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: kubectl {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def raw(path):
    return json.loads(kubectl("get", "--raw", path))


v2 = raw("/openapi/v2")
validate(v2, cls=OpenAPIV2SpecValidator)
index = raw("/openapi/v3")["paths"]
for group_version, entry in sorted(index.items()):
    validate(raw(entry["serverRelativeURL"]), cls=OpenAPIV30SpecValidator)
print(f"openapi: /openapi/v2 and {len(index)} v3 documents are valid")

# Every served kind has its definition, named as upstream names it.
kinds = {(gvk["group"], gvk["version"], gvk["kind"])
         for schema in v2["definitions"].values()
         for gvk in schema.get("x-kubernetes-group-version-kind", [])}
resources = kubectl("api-resources", "-o", "wide", "--no-headers").splitlines()
explained = 0
for line in resources:
    fields = line.split()
    name, kind = fields[0], None
    group_version = next(f for f in fields if "/" in f or f == "v1")
    # NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS [CATEGORIES]
    kind = fields[fields.index(group_version) + 2]
    group, _, version = group_version.rpartition("/")
    if (group, version, kind) not in kinds:
        sys.exit(f"FAIL: /openapi/v2 has no definition for {group_version} {kind}")
    # Every version the resource is served at, each to its last field.
    versions = [v["groupVersion"] for v in raw(f"/apis/{group}")["versions"]] if group else raw("/api")["versions"]
    for api_version in versions:
        listed = raw(f"/apis/{api_version}" if group else f"/api/{api_version}")["resources"]
        if any(r["name"] == name for r in listed):
            out = kubectl("explain", name, "--recursive", f"--api-version={api_version}")
            if f"KIND:       {kind}" not in out or "FIELDS:" not in out:
                sys.exit(f"FAIL: kubectl explain {name} --api-version={api_version}:\n{out}")
            explained += 1
# Deep paths, through references and lists.
for path, needle in [("pods.spec.containers.livenessProbe.httpGet.port", "IntOrString"),
                     ("hpa.spec.metrics.containerResource.target.averageUtilization", "integer"),
                     ("events.series.lastObservedTime", "MicroTime"),
                     ("leases.spec.renewTime", "MicroTime")]:
    out = kubectl("explain", path)
    if needle not in out:
        sys.exit(f"FAIL: kubectl explain {path} does not mention {needle}:\n{out}")
print(f"openapi: kubectl explain --recursive walked {explained} kinds at each served version")
