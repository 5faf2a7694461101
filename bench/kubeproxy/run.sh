#!/usr/bin/env bash
# Network programming benchmark of kpf proxy fed by the apiserver (root): an apiserver child on
# the embedded store holds 1,000 Services × 5 endpoints; a proxy child (the agent of
# `kpf proxy --master`) serves them in kernel and userspace mode; 1,000 Endpoints updates at 50/s,
# each stamped with endpoints.kubernetes.io/last-change-trigger-time, and the proxy reports each
# change's time from that stamp to the end of the sync that applied it (rules included); the
# proxy's CPU and RSS beside. Then 10,000 Services in the apiserver and the RSS of the real
# `kpf proxy --master URL --proxy-mode kernel` (kpf.dll under dotnet) serving them.
# Everything runs in a network namespace of its own (the rules go there), deleted on exit.
# Writes bench/results/kubeproxy-<date>.md/.svg and kubeproxy-latest.md/.svg.
# Usage: flock /tmp/kpf-build.lock bench/kubeproxy/run.sh [flags passed to the bench:
#   --services 1000 --endpoints 5 --changes 1000 --rate 50 --scale-services 10000
#   --runs kernel:0,userspace:0,kernel:1000   (mode:min-sync-period in ms, one run each)]
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $(id -u) -eq 0 ]] || { echo "needs root (network namespaces, nf_tables)" >&2; exit 1; }
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
dotnet build controlplane/KubeProxyFast.Cli -c Release -nologo -v quiet >/dev/null
kpf=$PWD/controlplane/KubeProxyFast.Cli/bin/Release/net10.0/kpf.dll
# The Native AOT build too when there is one (scripts/publish-aot.sh): the RSS a node would see.
[[ -x .kpf/aot/kpf ]] && kpf="$kpf,$PWD/.kpf/aot/kpf"
work=$(mktemp -d)
ns="kpf-npbench-$$"
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/kubeproxy-$stamp"
TMPDIR="$work" timeout --signal=TERM 900 ip netns exec "$ns" \
  dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll kube-proxy-programming --kpf "$kpf" "$@" > "$work/result.json" &
pid=$!
wait "$pid"
pid=
python3 bench/kubeproxy/report.py "$work/result.json" "$out" "bench/kubeproxy/run.sh $*"
cp "$out.md" bench/results/kubeproxy-latest.md
cp "$out.svg" bench/results/kubeproxy-latest.svg
cat "$out.md"
