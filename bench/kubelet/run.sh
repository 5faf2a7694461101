#!/usr/bin/env bash
# Kubelet pod startup benchmark (issue 16): `kpf server` + `kpf kubelet` with its embedded containerd
# in a private network namespace (KubeletNode, everything torn down at the end). Pod startup latency
# as Kubernetes defines it (created -> seen Running through a watch, image present): 5 pods/s for
# 60 s and bursts of 30, 3 rounds each, p50/p99; the same bursts through `ctr run`; the latency the
# kubelet adds (bound -> RunPodSandbox called, StartContainer returned -> Running seen, from
# containerd's log); kubelet and containerd RSS and CPU with 30 pods running. Root needed.
# Writes bench/results/kubelet-<date>.md/.svg and kubelet-latest.md/.svg.
# Usage: flock /tmp/kpf-build.lock bench/kubelet/run.sh [--rate 5 --seconds 60 --burst 30 --rounds 3 --steady-pods 30 --measure-seconds 60]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/kubelet-$stamp"
timeout --signal=TERM 3000 dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll kubelet-startup "$@" --out "$out"
cp "$out.md" bench/results/kubelet-latest.md
cp "$out.svg" bench/results/kubelet-latest.svg
cat "$out.md"
