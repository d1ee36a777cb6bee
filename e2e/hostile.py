"""Hostile clients against a running `berth serve` (started by e2e/hostile.sh
with --request-timeout 3s and a plain-HTTP port): slow and stalled
connections, oversized headers, short bodies, HTTP/1.0, abandoned and stalled
watches, a YAML alias bomb. Each answer is kube-apiserver's, and the server is
unharmed: its memory (RSS of BERTH_PID) stays bounded and a watch on the same
HTTP/2 connection survives the bad streams beside it."""
import base64
import os
import re
import socket
import ssl
import tempfile
import threading
import time

import h2.config
import h2.connection
import h2.events
import yaml

kubeconfig = yaml.safe_load(open(os.environ["KUBECONFIG"]))
cluster = kubeconfig["clusters"][0]["cluster"]
host, port = re.match(r"https://([^:]+):(\d+)", cluster["server"]).groups()
port = int(port)
insecure_port = int(os.environ["BERTH_INSECURE_PORT"])
token = kubeconfig["users"][0]["user"]["token"]
pid = int(os.environ["BERTH_PID"])
ca_file = tempfile.NamedTemporaryFile(suffix=".pem", delete=False)
ca_file.write(base64.b64decode(cluster["certificate-authority-data"]))
ca_file.close()
namespace = "hostile"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAIL: {what}")


def rss():
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1)) * 1024


def tls_socket(alpn, receive_buffer=None):
    raw = socket.socket()
    if receive_buffer:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    raw.connect((host, port))
    context = ssl.create_default_context(cafile=ca_file.name)
    context.set_alpn_protocols([alpn])
    return context.wrap_socket(raw, server_hostname=host)


def read_until_closed(sock, limit=10):
    """Everything the server sends until it closes the connection; None when it does not within `limit` s."""
    sock.settimeout(limit)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data
            data += chunk
    except (socket.timeout, TimeoutError):
        return None
    except (ConnectionResetError, ssl.SSLError):
        return data


def http1_exchange(sock, request):
    """Sends a raw HTTP/1 request; returns (status line, headers, body) of the answer. The
    server may answer and close before it has read the whole request (431): a failed send
    is not the test's answer, the reply is. (Sending and reading stay in one thread: an SSL
    socket must not be used from two at once.)"""
    try:
        sock.sendall(request)
    except OSError:
        pass
    sock.settimeout(15)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        check(chunk, f"the connection closed before an answer to {request[:60]!r}")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines[1:])}
    if "content-length" in headers:
        while len(body) < int(headers["content-length"]):
            body += sock.recv(65536)
    return lines[0], headers, body


def request_bytes(method, path, headers=(), body=b"", version="HTTP/1.1", authorized=True):
    lines = [f"{method} {path} {version}", f"Host: {host}"]
    if authorized:
        lines.append(f"Authorization: Bearer {token}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class H2Client:
    """One HTTP/2 connection (the h2 package over TLS), read by a thread of its own."""

    def __init__(self):
        self.sock = tls_socket("h2")
        check(self.sock.selected_alpn_protocol() == "h2", "the server did not negotiate h2")
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.lock = threading.Condition()
        self.streams = {}
        self.goaway = None
        self.closed_at = None
        # Pure-Python Huffman coding of a megabyte header takes minutes; plain literals are as valid.
        encode = self.conn.encoder.encode
        self.conn.encoder.encode = lambda headers, huffman=True: encode(headers, huffman=False)
        with self.lock:
            self.conn.initiate_connection()
            self.sock.sendall(self.conn.data_to_send())
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.goaway = self.goaway or "closed"
                    self.closed_at = time.monotonic()
                    self.lock.notify_all()
                    return
                if self.goaway:
                    continue  # h2 takes nothing after GOAWAY (not even the server's PING): wait for the close
                for event in self.conn.receive_data(data):
                    stream = self.streams.get(getattr(event, "stream_id", None))
                    if isinstance(event, h2.events.ResponseReceived):
                        stream["headers"] = event.headers
                    elif isinstance(event, h2.events.DataReceived):
                        stream["data"] += event.data
                        self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    elif isinstance(event, h2.events.StreamEnded):
                        stream["ended"] = True
                    elif isinstance(event, h2.events.StreamReset):
                        stream["reset"] = event.error_code
                    elif isinstance(event, h2.events.ConnectionTerminated):
                        self.goaway = f"GOAWAY {event.error_code}"
                self.sock.sendall(self.conn.data_to_send())
                self.lock.notify_all()

    def request(self, method, path, headers=(), body=None, declared_length=None):
        with self.lock:
            stream_id = self.conn.get_next_available_stream_id()
            self.streams[stream_id] = {"headers": None, "data": b"", "ended": False, "reset": None}
            fields = [(":method", method), (":path", path), (":scheme", "https"), (":authority", host),
                      ("authorization", f"Bearer {token}")] + list(headers)
            if body is not None:
                fields.append(("content-length", str(declared_length if declared_length is not None else len(body))))
            self.conn.send_headers(stream_id, fields, end_stream=body is None)
            self.sock.sendall(self.conn.data_to_send())
        if body is not None:
            self.send_body(stream_id, body)
        return stream_id

    def send_body(self, stream_id, body):
        """Sends the body as flow control allows, then ends the stream."""
        offset = 0
        with self.lock:
            while offset < len(body):
                window = min(self.conn.local_flow_control_window(stream_id), self.conn.max_outbound_frame_size)
                if window <= 0:
                    check(self.goaway is None, f"the connection ended while sending a body ({self.goaway})")
                    self.lock.wait(0.2)
                    continue
                self.conn.send_data(stream_id, body[offset:offset + window])
                offset += window
                self.sock.sendall(self.conn.data_to_send())
            self.conn.end_stream(stream_id)
            self.sock.sendall(self.conn.data_to_send())

    def wait(self, stream_id, condition, what, limit=15):
        deadline = time.monotonic() + limit
        with self.lock:
            while not condition(self.streams[stream_id]):
                check(self.goaway is None, f"{what}: the connection ended ({self.goaway})")
                check(time.monotonic() < deadline, f"{what}: no answer in {limit} s")
                self.lock.wait(0.2)
            return self.streams[stream_id]

    def answer(self, stream_id, what):
        stream = self.wait(stream_id, lambda s: s["ended"] or s["reset"] is not None, what)
        check(stream["reset"] is None, f"{what}: the stream was reset ({stream['reset']}), not answered")
        headers = dict(stream["headers"])
        return int(headers[":status"]), headers, stream["data"]


# --- Slow connections, run beside the rest: each must be closed by the server
# 32 s after it opened (kube's ReadHeaderTimeout), and not long before.
slow_results = {}


def slow(name, connect):
    started = time.monotonic()
    sock = connect()
    data = read_until_closed(sock, limit=50)
    slow_results[name] = (data is not None, time.monotonic() - started)


def partial_tls():
    sock = tls_socket("http/1.1")
    sock.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n")
    return sock


def partial_plain():
    sock = socket.create_connection((host, insecure_port))
    sock.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n")
    return sock


def idle_http2():
    """An HTTP/2 connection left idle after one request: GOAWAY at kube's 90 s idle
    timeout and, as this client never answers the server's PING, closed 10 s later."""
    idle = H2Client()
    idle.answer(idle.request("GET", "/version"), "idle /version")
    started = time.monotonic()
    while idle.closed_at is None and time.monotonic() < started + 130:
        time.sleep(0.5)
    slow_results["is an idle HTTP/2 connection"] = (idle.closed_at is not None,
                                                    (idle.closed_at or time.monotonic()) - started)


slow_threads = [threading.Thread(target=idle_http2)] + [threading.Thread(target=slow, args=args) for args in [
    ("never starts TLS", lambda: socket.create_connection((host, port))),
    ("stops inside its headers (TLS)", partial_tls),
    ("stops inside its headers (plain)", partial_plain),
]]
for thread in slow_threads:
    thread.start()

# --- HTTP/1.0: the answer is HTTP/1.0 and the connection closes after it,
# unless keep-alive was asked for.
sock = socket.create_connection((host, insecure_port))
sock.sendall(b"GET /version HTTP/1.0\r\n\r\n")
answer = read_until_closed(sock, limit=10)
check(answer is not None, "an HTTP/1.0 connection stayed open after its answer")
check(answer.startswith(b"HTTP/1.0 200"), f"HTTP/1.0 was answered {answer[:40]!r}")
sock = socket.create_connection((host, insecure_port))
for _ in range(2):
    status, headers, _ = http1_exchange(sock, b"GET /version HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    check(status.startswith("HTTP/1.0 200") and headers.get("connection") == "keep-alive",
          f"HTTP/1.0 keep-alive was answered {status} {headers}")
sock.close()
print("hostile: HTTP/1.0 closes unless keep-alive")

# --- HTTP/2: a watch, and beside it on the same connection oversized headers,
# a 1 MB warning, a short body. Only the bad streams fail.
client = H2Client()
status, _, _ = client.answer(client.request("GET", "/version"), "GET /version")
check(status == 200, f"/version over h2 answered {status}")
namespace_body = f'{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"{namespace}"}}}}'.encode()
status, _, _ = client.answer(client.request("POST", "/api/v1/namespaces", [("content-type", "application/json")],
                                            namespace_body), "namespace")
check(status == 201, f"creating the namespace answered {status}")
configmaps = f"/api/v1/namespaces/{namespace}/configmaps"
watch = client.request("GET", f"{configmaps}?watch=true&timeoutSeconds=120")
client.wait(watch, lambda s: s["headers"] is not None, "the watch")

status, _, _ = client.answer(client.request("GET", "/version", [("x-big", "a" * 100_000)]), "100 KB header")
check(status == 200, f"a 100 KB header block was answered {status}")
status, _, body = client.answer(client.request("GET", "/version", [("x-big", "a" * 1_500_000)]), "1.5 MB header")
check(status == 431, f"a 1.5 MB header block was answered {status}: {body[:100]!r}")

warned = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"warned"},"' + b"u" * 1_000_000 + b'":"x"}'
status, headers, _ = client.answer(client.request("POST", configmaps, [("content-type", "application/json")], warned),
                                   "1 MB unknown field")
check(status == 201, f"a 1 MB unknown field was answered {status}")
warning = headers.get("warning", "")
check(0 < len(warning) < 4096, f"the warning for a 1 MB unknown field is {len(warning)} bytes")

short = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"short"}}'
status, _, body = client.answer(client.request("POST", configmaps, [("content-type", "application/json")], short,
                                               declared_length=len(short) + 100), "short body")
check(status == 400 and b"unexpected EOF" in body, f"a body shorter than its Content-Length was answered {status}: {body!r}")

after = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after-hostile"}}'
status, _, _ = client.answer(client.request("POST", configmaps, [("content-type", "application/json")], after), "after")
check(status == 201, f"a create after the hostile streams was answered {status}")
client.wait(watch, lambda s: b'"name":"after-hostile"' in s["data"], "the watch beside the hostile streams")
check(client.goaway is None, f"the HTTP/2 connection ended: {client.goaway}")
print("hostile: on HTTP/2, 431 and 400 end their own stream; the watch beside them goes on")

# --- HTTP/1.1: 431 for a header block over 1 MiB; a short body is 400 when
# the client closes its side, 504 at --request-timeout when it just stops.
sock = tls_socket("http/1.1")
status, _, _ = http1_exchange(sock, request_bytes("GET", "/version", [("X-Big", "a" * 100_000)]))
check(status.startswith("HTTP/1.1 200"), f"a 100 KB header block over HTTP/1.1 was answered {status}")
sock = tls_socket("http/1.1")
status, _, body = http1_exchange(sock, request_bytes("GET", "/version", [("X-Big", "a" * 1_500_000)]))
check(status.startswith("HTTP/1.1 431"), f"a 1.5 MB header block over HTTP/1.1 was answered {status}")
sock = socket.create_connection((host, insecure_port))
sock.sendall(request_bytes("POST", configmaps, [("Content-Type", "application/json"),
                                                ("Content-Length", str(len(short) + 100))], short))
sock.shutdown(socket.SHUT_WR)
status, _, body = http1_exchange(sock, b"")
check(status.startswith("HTTP/1.1 400") and b"unexpected EOF" in body, f"a half-closed short body was answered {status}: {body!r}")
sock = tls_socket("http/1.1")
started = time.monotonic()
status, _, body = http1_exchange(sock, request_bytes("POST", configmaps, [("Content-Type", "application/json"),
                                                                          ("Content-Length", str(len(short) + 100))], short))
elapsed = time.monotonic() - started
check(status.startswith("HTTP/1.1 504") and b"request did not complete within requested timeout" in body,
      f"a stalled body was answered {status}: {body!r}")
check(2.5 < elapsed < 10, f"a stalled body was answered after {elapsed:.1f} s with --request-timeout 3s")
print("hostile: on HTTP/1.1, 431 over 1 MiB of headers, 400 for a short body, 504 for a stalled one")


# --- Abandoned watches are dropped when their client goes.
def open_watches():
    status, _, body = http1_exchange(tls_socket("http/1.1"), request_bytes("GET", "/metrics"))
    total = 0
    for line in body.decode().splitlines():
        if line.startswith("apiserver_longrunning_requests{") and 'verb="WATCH"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


before = rss()
for _ in range(300):
    sock = tls_socket("http/1.1")
    sock.sendall(request_bytes("GET", f"{configmaps}?watch=true"))
    sock.settimeout(10)
    check(sock.recv(4096).startswith(b"HTTP/1.1 200"), "a watch did not start")
    sock.close()
deadline = time.monotonic() + 15
while open_watches() > 1 and time.monotonic() < deadline:  # the h2 watch above is still open
    time.sleep(0.2)
check(open_watches() == 1, f"{open_watches() - 1} of 300 abandoned watches are still open")
print(f"hostile: 300 abandoned watches closed at once; RSS {before >> 20} -> {rss() >> 20} MiB")

# --- Watchers that do not read: each is ended once it is too far behind,
# and the server's memory stays bounded.
stalled = []
for _ in range(20):
    sock = tls_socket("http/1.1", receive_buffer=8192)
    sock.sendall(request_bytes("GET", f"{configmaps}?watch=true&labelSelector=big%3Dtrue"))
    sock.settimeout(10)
    check(sock.recv(1024).startswith(b"HTTP/1.1 200"), "a stalled watch did not start")
    stalled.append(sock)
before = rss()
value = "x" * 500_000
for index in range(60):
    body = (f'{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"big-{index}","labels":{{"big":"true"}}}},'
            f'"data":{{"v":"{value}"}}}}').encode()
    status, _, _ = client.answer(client.request("POST", configmaps, [("content-type", "application/json")], body), "big")
    check(status == 201, f"creating big-{index} answered {status}")
time.sleep(2)
grown = rss() - before
# Unbounded, each watcher would hold all 30 MB of events (600 MB in all).
check(grown < 200 << 20, f"20 watchers that do not read grew the server by {grown >> 20} MiB for 30 MB of events")
for sock in stalled:
    received = read_until_closed(sock, limit=20)
    check(received is not None and received.endswith(b"0\r\n\r\n"), "a watcher too far behind was not ended")
    events = received.count(b'"type":"ADDED"')
    check(events < 60, f"a watcher that did not read was sent all {events} events")
print(f"hostile: 20 stalled watchers ended when too far behind; RSS grew {grown >> 20} MiB")

# --- A YAML alias bomb, four at once: 400 at once, no memory taken.
bomb = open(os.path.join(os.path.dirname(__file__), "../Tests/APIServerTests/Fixtures/hostile/request-yaml-aliases.yaml"),
            "rb").read()
before = rss()
answers = []


def send_bomb():
    answers.append(http1_exchange(tls_socket("http/1.1"),
                                  request_bytes("POST", configmaps, [("Content-Type", "application/yaml"),
                                                                     ("Content-Length", str(len(bomb)))], bomb)))


bombs = [threading.Thread(target=send_bomb) for _ in range(4)]
for thread in bombs:
    thread.start()
for thread in bombs:
    thread.join(30)
check(len(answers) == 4 and all(a[0].startswith("HTTP/1.1 400") and b"excessive aliasing" in a[2] for a in answers),
      f"YAML alias bombs were answered {[a[0] for a in answers]}")
check(rss() - before < 100 << 20, f"four alias bombs grew the server by {(rss() - before) >> 20} MiB")
print("hostile: YAML alias bombs refused at once")

for thread in slow_threads:
    thread.join(140)
expected_close = {"is an idle HTTP/2 connection": (95, 115)}
for name, (closed, after) in sorted(slow_results.items()):
    low, high = expected_close.get(name, (25, 45))
    check(closed and low < after < high,
          f"a connection that {name} was {'closed after %.0f s' % after if closed else 'never closed'}")
print(f"hostile: slow connections closed after {', '.join('%.0f s' % t for _, t in slow_results.values())}")
status, _, _ = client.answer(client.request("GET", "/version"), "final /version")
check(status == 200 and client.goaway is None, "the HTTP/2 connection did not survive the scenario")
