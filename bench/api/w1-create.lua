-- W1: create ConfigMaps with unique names and a 1 KiB value.
--   wrk -s bench/api/w1-create.lua BASE_URL -- TOKEN NAMESPACE
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  read_args(args)
  headers["Content-Type"] = "application/json"
  value = string.rep("x", 1024)
  prefix = string.format("w1-%d-%d-%d-", os.time(), math.random(1e6), id)
  sent = 0
end

function request()
  sent = sent + 1
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"' .. prefix .. sent ..
    '"},"data":{"value":"' .. value .. '"}}'
  return wrk.format("POST", collection, headers, body)
end
