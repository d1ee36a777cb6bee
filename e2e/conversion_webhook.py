"""A CRD conversion webhook for e2e/crds.sh: HTTPS on a free loopback port
with the certificate and key given, converting Gadgets between v1
(spec.colour) and v2 (spec.color). Prints its port, then serves until
killed.

    conversion_webhook.py CERT KEY"""
import http.server
import json
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        review = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        request = review["request"]
        desired = request["desiredAPIVersion"]
        converted = []
        for item in request["objects"]:
            spec = item.get("spec", {})
            colour = spec.get("colour", spec.get("color"))
            item["spec"] = {"color": colour} if desired.endswith("/v2") else {"colour": colour}
            item["apiVersion"] = desired
            converted.append(item)
        body = json.dumps({"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
                           "response": {"uid": request["uid"], "convertedObjects": converted,
                                        "result": {"status": "Success"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
