-- GET one path, with the token: the floor of an API server's request path
-- (scripts/bench-aggregation times /version beside the proxy).
--   wrk -s bench/api/get-path.lua BASE_URL -- TOKEN PATH
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  read_args(args)
  get = wrk.format("GET", wrk.path:gsub("/$", "") .. args[2], headers)
end

function request()
  return get
end
