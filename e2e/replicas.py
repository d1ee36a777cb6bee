"""Two berth replicas over a three-member etcd cluster (started by
e2e/replicas.sh), with the Python `kubernetes` client: they behave as one API
server; no acknowledged write is lost when the etcd leader is killed or a
replica is; watchers on both replicas end with exactly the final state; and
with every etcd member down for 30 s the replicas answer 503 and then serve
again by themselves."""
import base64
import json
import os
import signal
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request

import yaml
from kubernetes import client, watch
from kubernetes.client.rest import ApiException

work = os.environ["REPLICAS_WORK"]
endpoints = os.environ["REPLICAS_ENDPOINTS"]
ports = os.environ["REPLICAS_PORTS"].split()
namespace = "replicas"


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAIL: {what}")


def api(port):
    # The kubeconfig's CA and token, at this replica's port. (load_kube_config
    # reloads the file before each call and would put its server back.)
    kubeconfig = yaml.safe_load(open(f"{work}/berth/kubeconfig"))
    with open(f"{work}/ca.crt", "wb") as ca:
        ca.write(base64.b64decode(kubeconfig["clusters"][0]["cluster"]["certificate-authority-data"]))
    configuration = client.Configuration()
    configuration.host = f"https://127.0.0.1:{port}"
    configuration.ssl_ca_cert = f"{work}/ca.crt"
    configuration.api_key = {"authorization": "Bearer " + kubeconfig["users"][0]["user"]["token"]}
    # One attempt per call: a retry would blur which answer a write got.
    configuration.retries = False
    return client.CoreV1Api(client.ApiClient(configuration))


a, b = api(ports[0]), api(ports[1])

# One truth: what one replica writes, the other serves, at the same resourceVersion.
a.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
created = a.create_namespaced_config_map(namespace, client.V1ConfigMap(
    metadata=client.V1ObjectMeta(name="shared"), data={"v": "1"}))
read = b.read_namespaced_config_map("shared", namespace)
check(read.metadata.resource_version == created.metadata.resource_version and read.data == {"v": "1"},
      f"replica 2 read {read.metadata.resource_version} {read.data}")
listed = b.list_namespaced_config_map(namespace)
check(int(listed.metadata.resource_version) >= int(created.metadata.resource_version),
      "a list through replica 2 is at or after the write through replica 1")

# A CRD made through replica 1 is served by replica 2 (its own CRD
# controller follows the watch), within a few seconds.
crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "notes.replicas.example.com"},
       "spec": {"group": "replicas.example.com", "scope": "Namespaced",
                "names": {"plural": "notes", "singular": "note", "kind": "Note"},
                "versions": [{"name": "v1", "served": True, "storage": True,
                              "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                  "spec": {"type": "object", "properties": {"text": {"type": "string"}}}}}}}]}}
client.ApiextensionsV1Api(a.api_client).create_custom_resource_definition(crd)
made = time.monotonic()
notes_b = client.CustomObjectsApi(b.api_client)
note = {"apiVersion": "replicas.example.com/v1", "kind": "Note", "metadata": {"name": "n1"}, "spec": {"text": "hi"}}
while True:
    try:
        notes_b.create_namespaced_custom_object("replicas.example.com", "v1", namespace, "notes", note)
        break
    except client.ApiException as error:
        check(error.status == 404 and time.monotonic() - made < 5, f"replica 2 serves the CRD within 5 s ({error.status})")
        time.sleep(0.02)
print(f"replicas: a CRD made through replica 1 was served by replica 2 after {(time.monotonic() - made) * 1000:.0f} ms")
read_note = client.CustomObjectsApi(a.api_client).get_namespaced_custom_object("replicas.example.com", "v1", namespace, "notes", "n1")
check(read_note["spec"] == {"text": "hi"}, "replica 1 reads the note written through replica 2")

# A watch on replica 2 sees a write through replica 1, at that write's resourceVersion.
events = []
watcher = watch.Watch()
thread = threading.Thread(target=lambda: events.extend(
    (e["type"], e["object"].metadata.resource_version) for e in watcher.stream(
        b.list_namespaced_config_map, namespace, resource_version=created.metadata.resource_version, timeout_seconds=3)))
thread.start()
time.sleep(0.5)
patched = a.patch_namespaced_config_map("shared", namespace, {"data": {"v": "2"}})
thread.join()
check(("MODIFIED", patched.metadata.resource_version) in events, f"replica 2's watch saw {events}")

# Optimistic concurrency across replicas: two updates from one resourceVersion, exactly one wins.
base = a.read_namespaced_config_map("shared", namespace)
outcomes = []


def update(replica, value):
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="shared", resource_version=base.metadata.resource_version),
                              data={"v": value})
    try:
        replica.replace_namespaced_config_map("shared", namespace, body)
        outcomes.append(200)
    except ApiException as error:
        outcomes.append(error.status)


racers = [threading.Thread(target=update, args=(a, "from-1")), threading.Thread(target=update, args=(b, "from-2"))]
for racer in racers:
    racer.start()
for racer in racers:
    racer.join()
check(sorted(outcomes) == [200, 409], f"two updates from one resourceVersion answered {outcomes}")
print("replicas: one truth across replicas (reads, resourceVersions, watch, optimistic concurrency)")


def etcd_status():
    out = subprocess.run(["etcdctl", "--endpoints", endpoints, "endpoint", "status", "-w", "json"],
                         env={**os.environ, "ETCDCTL_API": "3"}, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def leader():
    for member in etcd_status():
        if member["Status"]["leader"] == member["Status"]["header"]["member_id"]:
            url = member["Endpoint"]
            for name in ("e1", "e2", "e3"):
                if url in os.environ[f"REPLICAS_RESTART_{name}"]:
                    return name
    return None


unverified = ssl._create_unverified_context()


def readyz(port):
    try:
        return urllib.request.urlopen(f"https://127.0.0.1:{port}/readyz", context=unverified, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception:
        return None


class Load:
    """Writers through both replicas, each creating new ConfigMaps and
    patching its own, recording every answer."""

    def __init__(self, replicas, prefix, replica_may_vanish=False):
        # While a replica is killed, its clients see refused connections; otherwise
        # every answer must be the server's: a 2xx, or a 5xx with a Status.
        self.replicas, self.prefix, self.replica_may_vanish = replicas, prefix, replica_may_vanish
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.attempts = {}  # name -> [(value, acknowledged)]
        self.errors = {}  # status or exception name -> count
        self.acked_times = []
        self.wrong = []  # answers a client must never get, whatever the fault
        # How long a write may take before it counts as unanswered. A write
        # in flight at an etcd member when the leader dies is held by that
        # member for its request timeout (7 s: 5 s and two election
        # timeouts) before Berth tries the next member, and a write can take
        # two etcd requests; Berth bounds each by its own 10 s deadline.
        self.patience = 25

    def record(self, name, value, acknowledged, error=None):
        with self.lock:
            self.attempts.setdefault(name, []).append((value, acknowledged))
            if acknowledged:
                self.acked_times.append(time.monotonic())
            else:
                self.errors[error] = self.errors.get(error, 0) + 1

    def writer(self, index, replica):
        own, sequence = [], 0
        while not self.stop.is_set():
            sequence += 1
            if sequence % 3 == 1 or not own:
                name, call = f"{self.prefix}-{index}-{sequence}", "create"
            else:
                name, call = own[sequence % len(own)], "patch"
            sent = time.monotonic()
            try:
                if call == "create":
                    replica.create_namespaced_config_map(namespace, client.V1ConfigMap(
                        metadata=client.V1ObjectMeta(name=name), data={"v": str(sequence)}), _request_timeout=self.patience)
                    own.append(name)
                else:
                    replica.patch_namespaced_config_map(name, namespace, {"data": {"v": str(sequence)}},
                                                        _request_timeout=self.patience)
                self.record(name, sequence, True)
            except ApiException as error:
                if error.status == 0:  # the client's name for a TLS failure: no answer at all
                    self.no_answer(call, name, sequence, "SSLError", sent)
                    continue
                if not (error.status >= 500 or error.status == 409 and call == "create"):
                    with self.lock:
                        self.wrong.append(f"{call} {name} got {error.status}: {error.body}")
                if error.status == 409:
                    own.append(name)  # an earlier attempt that timed out had created it
                self.record(name, sequence, False, error.status)
            except Exception as error:  # no answer: a refused connection, or none in time
                self.no_answer(call, name, sequence, type(error).__name__, sent)

    def no_answer(self, call, name, sequence, error, sent):
        if not self.replica_may_vanish:
            # When, within the run, it was sent and how long it went unanswered,
            # to set beside the fault's time and the replicas' logs.
            with self.lock:
                self.wrong.append(f"{call} {name}: no answer ({error}) to the request sent "
                                  f"{sent - self.started:.1f} s into the run, after {time.monotonic() - sent:.1f} s")
        self.record(name, sequence, False, error)
        time.sleep(0.05)

    def run(self, seconds, fault):
        threads = [threading.Thread(target=self.writer, args=(i, self.replicas[i % len(self.replicas)]))
                   for i in range(4)]
        self.started = started = time.monotonic()
        for thread in threads:
            thread.start()
        fault()
        time.sleep(max(0, seconds - (time.monotonic() - started)))
        self.stop.set()
        for thread in threads:
            thread.join()
        self.seconds = time.monotonic() - started

    def verify(self, reader):
        """Every acknowledged write is there with its last acknowledged value,
        or a later one whose answer was lost."""
        check(not self.wrong, f"answers other than a 2xx or a 5xx Status: {self.wrong[:3]}")
        stored = {item.metadata.name: int(item.data["v"])
                  for item in reader.list_namespaced_config_map(namespace).items if item.metadata.name.startswith(self.prefix)}
        acked = verified = 0
        for name, attempts in self.attempts.items():
            acknowledged = [value for value, ok in attempts if ok]
            if not acknowledged:
                continue
            acked += len(acknowledged)
            last = acknowledged[-1]
            later = [value for value, ok in attempts if not ok and value > last]
            check(name in stored, f"{name} was acknowledged and is gone")
            check(stored[name] == last or stored[name] in later,
                  f"{name} holds {stored[name]}; last acknowledged {last}, unanswered later {later}")
            verified += len(acknowledged)
        times = sorted(self.acked_times)
        gap = max((later - earlier for earlier, later in zip(times, times[1:])), default=0)
        return acked, verified, gap


def kill_leader_and_restart():
    name = leader()
    check(name is not None, "no etcd leader to kill")
    pid = int(open(f"{work}/{name}.pid").read())

    def fault():
        time.sleep(3)
        os.kill(pid, signal.SIGKILL)
        time.sleep(4)
        restarted = subprocess.Popen(os.environ[f"REPLICAS_RESTART_{name}"].split(), stdout=subprocess.DEVNULL,
                                     stderr=open(f"{work}/{name}.log", "a"))
        open(f"{work}/{name}.pid", "w").write(f"{restarted.pid}\n")
    threading.Thread(target=fault).start()
    return name


class Follower(threading.Thread):
    """A client that follows Kubernetes' list-then-watch rule through one
    replica: list, watch from the list's resourceVersion, watch again from
    the last event's when a watch ends, and list again after a 410 or an
    ERROR event (or when the replica cannot be reached)."""

    def __init__(self, replica, prefix):
        super().__init__(daemon=True)
        self.replica, self.prefix = replica, prefix
        self.state, self.relists, self.stop = {}, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                listed = self.replica.list_namespaced_config_map(namespace, _request_timeout=5)
                self.state = {item.metadata.name: item.data["v"] for item in listed.items
                              if item.metadata.name.startswith(self.prefix)}
                self.relists += 1
                version = listed.metadata.resource_version
                while not self.stop.is_set():
                    for event in watch.Watch().stream(self.replica.list_namespaced_config_map, namespace,
                                                      resource_version=version, timeout_seconds=2, _request_timeout=10):
                        if event["type"] == "ERROR":
                            raise ApiException(status=event["raw_object"].get("code", 500))
                        item = event["object"]
                        version = item.metadata.resource_version
                        if not item.metadata.name.startswith(self.prefix):
                            continue
                        if event["type"] == "DELETED":
                            self.state.pop(item.metadata.name, None)
                        else:
                            self.state[item.metadata.name] = item.data["v"]
            except Exception:
                time.sleep(0.2)


followers = [Follower(a, "leader"), Follower(b, "leader")]
for follower in followers:
    follower.start()
load = Load([a, b], "leader")
killed = []
load.run(14, lambda: killed.append(kill_leader_and_restart()))
for _ in range(100):
    if len(etcd_status()) == 3:
        break
    time.sleep(0.2)
check(len(etcd_status()) == 3, "the killed member did not come back")
acked, verified, gap = load.verify(a)
print(f"replicas: etcd leader {killed[0]} killed -9 under load and restarted: {len(load.acked_times)} writes "
      f"acknowledged in {load.seconds:.1f} s ({len(load.acked_times) / load.seconds:.0f}/s through both replicas), "
      f"{verified} verified, errors {load.errors}, longest gap between acknowledged writes {gap:.2f} s")
check(verified == acked > 0, "every acknowledged write verified")

# Both followers end with exactly the final state.
final = {item.metadata.name: item.data["v"] for item in a.list_namespaced_config_map(namespace).items
         if item.metadata.name.startswith("leader")}
for _ in range(100):
    if all(follower.state == final for follower in followers):
        break
    time.sleep(0.1)
for follower in followers:
    follower.stop.set()
for index, follower in enumerate(followers):
    missing = {name for name in final if follower.state.get(name) != final[name]}
    check(follower.state == final, f"the watcher on replica {index + 1} ended with {len(missing)} objects differing")
print(f"replicas: watchers following list-then-watch on both replicas ended with the final {len(final)} objects "
      f"(lists: {[follower.relists for follower in followers]})")

# Every etcd member down for 30 s: the replicas stay up and answer 503 with a
# Status, /readyz fails, and they serve again once etcd is back, unrestarted.
members = ["e1", "e2", "e3"]
for name in members:
    os.kill(int(open(f"{work}/{name}.pid").read()), signal.SIGKILL)
down = time.monotonic()
answers = {}
while time.monotonic() - down < 30:
    for index, replica in enumerate((a, b)):
        try:
            replica.read_namespaced_config_map("shared", namespace, _request_timeout=15)
            answers["200"] = answers.get("200", 0) + 1
        except ApiException as error:
            body = json.loads(error.body) if error.body else {}
            key = f"{error.status} {body.get('kind')} {body.get('reason')}"
            answers[key] = answers.get(key, 0) + 1
    time.sleep(1)
check([readyz(port) for port in ports] == [500, 500], "/readyz fails on both replicas while etcd is down")
check(set(answers) == {"503 Status ServiceUnavailable"}, f"reads while etcd was down got {answers}")
for name in members:
    restarted = subprocess.Popen(os.environ[f"REPLICAS_RESTART_{name}"].split(), stdout=subprocess.DEVNULL,
                                 stderr=open(f"{work}/{name}.log", "a"))
    open(f"{work}/{name}.pid", "w").write(f"{restarted.pid}\n")
back = time.monotonic()
served = False
while time.monotonic() - back < 60 and not served:
    try:
        served = all(replica.read_namespaced_config_map("shared", namespace, _request_timeout=5) for replica in (a, b))
    except Exception:
        time.sleep(0.5)
check(served and [readyz(port) for port in ports] == [200, 200], "both replicas serve again once etcd is back")
print(f"replicas: etcd down for 30 s: {sum(answers.values())} reads answered {answers}; "
      f"both replicas served again {time.monotonic() - back:.1f} s after etcd restarted, without a restart")

# A replica killed -9 mid-load: the other keeps serving, nothing acknowledged is lost.
berth2 = int(open(f"{work}/berth-2.pid").read())
load = Load([a, b], "replica", replica_may_vanish=True)
load.run(6, lambda: threading.Timer(2, os.kill, (berth2, signal.SIGKILL)).start())
after_kill = [t for t in load.acked_times if t > min(load.acked_times) + 3]
check(after_kill, "replica 1 kept acknowledging writes after replica 2 was killed")
acked, verified, gap = load.verify(a)
print(f"replicas: replica 2 killed -9 under load: {len(load.acked_times)} writes acknowledged, {verified} verified, "
      f"errors {load.errors}, longest gap {gap:.2f} s")
check(verified == acked > 0, "every acknowledged write verified")
print("replicas scenario passed")
