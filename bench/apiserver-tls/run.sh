#!/usr/bin/env bash
# Secured apiserver benchmark, one run on one in-process server (embedded store): pod creates/s
# over HTTPS as a client-certificate user bound through RBAC (not system:masters) beside the same
# server's plain-HTTP loopback listener; the latency HTTPS + authentication + authorization adds to
# a sequential GET (p50/p99); TLS handshakes/s of new clients (a new connection per request).
# Writes bench/results/apiserver-tls-<date>.md/.svg and apiserver-tls-latest.md/.svg.
# Usage: flock /tmp/kpf-build.lock bench/apiserver-tls/run.sh [--creates N --concurrency C --latency-requests N --handshake-seconds S]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/apiserver-tls-$stamp"
TMPDIR="$work" timeout --signal=TERM 900 dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll apiserver-tls "$@" > "$work/result.json"
python3 bench/apiserver-tls/report.py "$work/result.json" "$out"
cp "$out.md" bench/results/apiserver-tls-latest.md
cp "$out.svg" bench/results/apiserver-tls-latest.svg
cat "$out.md"
