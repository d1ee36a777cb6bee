-- W3: list every ConfigMap in a namespace, whole (PAGE 0) or in pages of PAGE
-- following the continue token; "completed" counts whole lists read.
--   wrk -t N -c N -s bench/api/w3-list.lua BASE_URL -- TOKEN NAMESPACE [PAGE]
-- (one connection per thread: each thread walks its own pages in order)
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  read_args(args)
  page = tonumber(extra or "0")
  continue = nil
  completed = 0
end

function request()
  local path = collection
  if page > 0 then
    path = path .. "?limit=" .. page
    if continue then path = path .. "&continue=" .. continue end
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  continue = nil
  if status == 200 and page > 0 then
    -- Tokens are base64url: no quotes or escapes inside.
    local token = body:match('"continue":"([^"]+)"')
    if token then continue = token end
  end
  if status == 200 and not continue then
    completed = completed + 1
    wrk.thread:set("completed", completed)
  end
end
