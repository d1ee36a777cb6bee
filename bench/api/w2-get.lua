-- W2: get one ConfigMap by name.
--   wrk -s bench/api/w2-get.lua BASE_URL -- TOKEN NAMESPACE NAME
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  read_args(args)
  assert(extra, "W2 needs the name of an existing ConfigMap")
  get = wrk.format("GET", collection .. "/" .. extra, headers)
end

function request()
  return get
end
