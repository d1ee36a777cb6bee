"""An extension API server for the aggregation scenario, as one built on
k8s.io/apiserver behaves toward kube-apiserver: HTTPS that trusts only the
request-header CA Berth publishes in kube-system/extension-apiserver-
authentication (a connection without Berth's front-proxy certificate fails
its handshake), a certificate whose common name must be one of the allowed
names, and the user taken from X-Remote-User / X-Remote-Group. It serves
metrics.acc.example.com/v1beta1 Pings, each saying who asked, and its own
discovery and OpenAPI. Every request is appended to --log as a JSON line.

Usage: extension_server.py --port P --cert CRT --key KEY --auth-configmap JSON --log FILE
"""
import argparse
import json
import ssl
import threading
import http.server

GROUP, VERSION = "metrics.acc.example.com", "v1beta1"
BASE = f"/apis/{GROUP}/{VERSION}"
GVK = [{"group": GROUP, "version": VERSION, "kind": "Ping"}]

parser = argparse.ArgumentParser()
for flag in ("--port", "--cert", "--key", "--auth-configmap", "--log"):
    parser.add_argument(flag, required=True)
args = parser.parse_args()
data = json.load(open(args.auth_configmap))["data"]
allowed = json.loads(data["requestheader-allowed-names"])
user_headers = json.loads(data["requestheader-username-headers"])
group_headers = json.loads(data["requestheader-group-headers"])
pings = {"p1": {"kind": "Ping", "apiVersion": f"{GROUP}/{VERSION}", "metadata": {"name": "p1", "namespace": "default"}}}
lock = threading.Lock()

RESOURCES = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{GROUP}/{VERSION}",
             "resources": [{"name": "pings", "singularName": "ping", "namespaced": True, "kind": "Ping",
                            "verbs": ["create", "get", "list"]}]}
PING_SCHEMA = {"type": "object", "description": "A Ping says who asked.",
               "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                              "metadata": {"type": "object"},
                              "seenUser": {"type": "string", "description": "The user the aggregator named."},
                              "seenGroups": {"type": "array", "items": {"type": "string"},
                                             "description": "The groups the aggregator named."}},
               "x-kubernetes-group-version-kind": GVK}
OPENAPI_V2 = {"swagger": "2.0", "info": {"title": "acc-ext", "version": VERSION},
              "paths": {f"{BASE}/namespaces/{{namespace}}/pings": {"get": {"operationId": "listPings",
                        "responses": {"200": {"description": "OK"}}}}},
              "definitions": {"com.example.acc.metrics.v1beta1.Ping": PING_SCHEMA}}
# As k8s.io/apiserver publishes them: each operation names its kind, which
# is how kubectl explain finds a resource's schema.
OPERATION_GVK = {"group": GROUP, "version": VERSION, "kind": "Ping"}
OPENAPI_V3 = {"openapi": "3.0.0", "info": {"title": "acc-ext", "version": VERSION},
              "paths": {f"{BASE}/namespaces/{{namespace}}/pings": {"get": {
                            "operationId": "listPings", "responses": {"200": {"description": "OK"}},
                            "x-kubernetes-action": "list", "x-kubernetes-group-version-kind": OPERATION_GVK}},
                        f"{BASE}/namespaces/{{namespace}}/pings/{{name}}": {"get": {
                            "operationId": "readPing", "responses": {"200": {"description": "OK"}},
                            "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": OPERATION_GVK}}},
              "components": {"schemas": {"com.example.acc.metrics.v1beta1.Ping": PING_SCHEMA}}}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def identity(self):
        certificate = self.connection.getpeercert()
        common_name = dict(pair[0] for pair in certificate["subject"]).get("commonName", "")
        user = next((self.headers[h] for h in user_headers if self.headers.get(h)), "")
        groups = [g for h in group_headers for g in self.headers.get_all(h) or []]
        return common_name, user, groups

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def handle_any(self):
        common_name, user, groups = self.identity()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock, open(args.log, "a") as log:
            log.write(json.dumps({"method": self.command, "path": self.path, "cn": common_name, "user": user,
                                  "groups": groups, "authorization": "Authorization" in self.headers}) + "\n")
        if common_name not in allowed:
            return self.answer(401, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 401,
                                     "reason": "Unauthorized", "message": f"{common_name} is not an allowed name"})
        path = self.path.split("?")[0]
        if path == BASE:
            return self.answer(200, RESOURCES)
        if path == "/apis":
            return self.answer(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": GROUP, "versions": [{"groupVersion": f"{GROUP}/{VERSION}", "version": VERSION}],
                 "preferredVersion": {"groupVersion": f"{GROUP}/{VERSION}", "version": VERSION}}]})
        if path == "/openapi/v2":
            return self.answer(200, OPENAPI_V2)
        if path == "/openapi/v3":
            return self.answer(200, {"paths": {f"apis/{GROUP}/{VERSION}": {
                "serverRelativeURL": f"/openapi/v3/apis/{GROUP}/{VERSION}?hash=ACC1"}}})
        if path == f"/openapi/v3/apis/{GROUP}/{VERSION}":
            return self.answer(200, OPENAPI_V3)
        prefix = f"{BASE}/namespaces/default/pings"
        if path == prefix and self.command == "GET":
            items = [dict(p, seenUser=user, seenGroups=groups) for p in pings.values()]
            return self.answer(200, {"kind": "PingList", "apiVersion": f"{GROUP}/{VERSION}", "metadata": {},
                                     "items": items})
        if path == prefix and self.command == "POST":
            ping = json.loads(body)
            ping.update(seenUser=user, seenGroups=groups)
            pings[ping["metadata"]["name"]] = ping
            return self.answer(201, ping)
        if path.startswith(prefix + "/") and self.command == "GET" and path[len(prefix) + 1:] in pings:
            return self.answer(200, dict(pings[path[len(prefix) + 1:]], seenUser=user, seenGroups=groups))
        return self.answer(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404,
                                 "reason": "NotFound", "message": "not found"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(args.cert, args.key)
# Only the front-proxy CA Berth publishes; a client without its certificate is refused.
context.verify_mode = ssl.CERT_REQUIRED
context.load_verify_locations(cadata=data["requestheader-client-ca-file"])
server = http.server.ThreadingHTTPServer(("0.0.0.0", int(args.port)), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("serving", flush=True)
server.serve_forever()
