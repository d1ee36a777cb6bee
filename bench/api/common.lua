-- Shared by the W1-W3 wrk scripts: arguments, request headers, thread ids and
-- the one-line report that scripts/bench-api reads. The scripts speak only the
-- Kubernetes API, so they run unchanged against any API server:
--   wrk ... -s bench/api/wN-*.lua BASE_URL -- TOKEN NAMESPACE [EXTRA]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Sets token, namespace, extra, headers and collection: the namespace's
-- configmaps, or, when NAMESPACE starts with "/", that collection path itself
-- (/apis/events.k8s.io/v1/namespaces/conv/events).
function read_args(args)
  token, namespace, extra = args[1], args[2] or "default", args[3]
  assert(token, "usage: wrk -s SCRIPT BASE_URL -- TOKEN [NAMESPACE|COLLECTION] [EXTRA]")
  -- BENCH_ACCEPT=application/vnd.kubernetes.protobuf asks for protobuf answers.
  headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json" }
  local base = wrk.path:gsub("/$", "")
  if namespace:sub(1, 1) == "/" then
    collection = base .. namespace
  else
    collection = base .. "/api/v1/namespaces/" .. namespace .. "/configmaps"
  end
end

-- One line of key=value pairs; latencies in milliseconds.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local completed = 0
  for _, thread in ipairs(threads) do completed = completed + (thread:get("completed") or 0) end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d socket_errors=%d completed=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    completed))
end
