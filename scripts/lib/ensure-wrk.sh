# Sourced by the benchmarks that drive Berth with wrk: installs it
# (Debian's package) when missing.
if ! command -v wrk >/dev/null; then
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
