#!/usr/bin/env bash
# Hostile clients (e2e/hostile.py) against a berth serve of this scenario's
# own, with a short --request-timeout and a plain-HTTP port to reach.
set -euo pipefail
cd "$(dirname "$0")/.."
source e2e/lib.sh
python=$1 work=$2
insecure_port=$(free_port)
start_berth "$work/hostile" --request-timeout 3s --insecure-port "$insecure_port"
trap stop_berth EXIT
BERTH_PID=$BERTH_PID BERTH_INSECURE_PORT=$insecure_port "$python" e2e/hostile.py
stop_berth
