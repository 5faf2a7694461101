#!/usr/bin/env bash
# Apiserver macro benchmark: against a real etcd (/usr/bin/etcd on free loopback ports, temp data
# dir), raw etcd puts (concurrency 1 and 32), pod creates/s through the apiserver (a child process)
# at concurrency 32, LIST of 10,000 pods (JSON and as=Table), watch delivery latency with 100
# watchers, the apiserver's RSS holding them; then creates and LISTs on the embedded store.
# Writes bench/results/apiserver-<date>.md/.svg and apiserver-latest.md/.svg.
# Usage: flock /tmp/kpf-build.lock bench/apiserver/run.sh [flags passed to the bench, e.g. --creates 5000 --watchers 50]
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -x /usr/bin/etcd ]] || scripts/install-deps.sh
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
pid=
# The bench stops etcd and its apiservers in finally blocks (SIGTERM included); their data dirs
# live under $work (TMPDIR), so they go with it even if the bench itself was killed.
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/apiserver-$stamp"
TMPDIR="$work" timeout --signal=TERM 600 dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll apiserver "$@" > "$work/result.json" &
pid=$!
wait "$pid"
pid=
python3 bench/apiserver/report.py "$work/result.json" "$out"
cp "$out.md" bench/results/apiserver-latest.md
cp "$out.svg" bench/results/apiserver-latest.svg
cat "$out.md"
