#!/usr/bin/env bash
# Scheduler macro benchmark, as Kubernetes' scheduler_perf "SchedulingBasic", through the binaries
# users run, each a process of its own: `kpf server --disable scheduler,controllers` on the
# embedded store and on a private Debian etcd, `kpf scheduler --kubeconfig`. Per store and node
# count (1,000 and 5,000): nodes, 5,000 warm-up pods scheduled and deleted, 1,000 pods created and
# scheduled, then 10,000 pods created by 16 concurrent creators; pods bound per second (seen through
# a watch on the apiserver), the scheduling attempt p50/p99 from the scheduler's /metrics, CPU and
# RSS of each process; per store, the apiserver's ceiling (a binder doing no scheduling). Then a
# ReplicationController scaled 0 -> 10,000 with `kpf controller-manager` + `kpf scheduler`:
# seconds until all pods exist and until all are bound. No root needed; only 127.0.0.1.
# Writes bench/results/scheduler-<date>.md/.svg and scheduler-latest.md/.svg.
# Usage: flock /tmp/kpf-build.lock bench/scheduler/run.sh [flags passed to the bench:
#   --stores embedded,etcd --nodes 1000,5000 --warmup-pods 5000 --init-pods 1000 --pods 10000 --creators 16 --ceiling 1
#   --rc-replicas 10000 (0 skips) --rc-nodes 1000 --rc-stores embedded --timeout-s 600]
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -x /usr/bin/etcd ]] || scripts/install-deps.sh
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
./kpf version >/dev/null
kpf=$PWD/.kpf/bin/kpf.dll
work=$(mktemp -d)
pid=
# The bench stops its children (SIGTERM, then a kill) and etcd in finally blocks, SIGTERM included;
# their data dirs live under $work (TMPDIR), so they go with it even if the bench itself was killed.
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/scheduler-$stamp"
TMPDIR="$work" timeout --signal=TERM 3000 dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll scheduler --kpf "$kpf" "$@" > "$work/result.json" &
pid=$!
wait "$pid"
pid=
python3 bench/scheduler/report.py "$work/result.json" "$out" "bench/scheduler/run.sh $*"
cp "$out.md" bench/results/scheduler-latest.md
cp "$out.svg" bench/results/scheduler-latest.svg
cat "$out.md"
