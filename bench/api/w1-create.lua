-- W1: create objects with unique names: ConfigMaps with a 1 KiB value, or
-- with EXTRA "custom", BenchItems (bench/api/custom.py) whose spec of 20
-- fields is about 1 KiB, or with EXTRA "secret", Secrets with a 1 KiB
-- value, posted to the COLLECTION given.
--   wrk -s bench/api/w1-create.lua BASE_URL -- TOKEN NAMESPACE
--   wrk -s bench/api/w1-create.lua BASE_URL -- TOKEN COLLECTION custom|secret
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  read_args(args)
  headers["Content-Type"] = "application/json"
  if extra == "custom" then
    local fields = {}
    for index = 1, 19 do
      table.insert(fields, string.format('"f%02d":"%s"', index, string.rep("x", 52)))
    end
    head = '{"apiVersion":"bench.example.com/v1","kind":"BenchItem","metadata":{"name":"'
    tail = '"},"spec":{' .. table.concat(fields, ",") .. ',"size":3}}'
  elseif extra == "secret" then
    head = '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"'
    tail = '"},"stringData":{"value":"' .. string.rep("x", 1024) .. '"}}'
  else
    head = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"'
    tail = '"},"data":{"value":"' .. string.rep("x", 1024) .. '"}}'
  end
  prefix = string.format("w1-%d-%d-%d-", os.time(), math.random(1e6), id)
  sent = 0
end

function request()
  sent = sent + 1
  return wrk.format("POST", collection, headers, head .. prefix .. sent .. tail)
end
