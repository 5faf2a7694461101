#!/usr/bin/env bash
# Apiserver protobuf benchmark: one `kpf server` child process on the embedded store; pod creates/s
# in JSON and in protobuf (client-go's enveloped bodies), LIST of the 10,000 pods in JSON and in
# protobuf, with the apiserver's CPU per request; then the BenchmarkDotNet micro-benchmark of the
# transcoder against System.Text.Json and the generated classes for one Pod.
# Writes bench/results/apiserver-protobuf-<date>.md and apiserver-protobuf-latest.md.
# Usage: flock /tmp/kpf-build.lock bench/apiserver-protobuf/run.sh [--creates 5000 --concurrency 32 --list-runs 7] [--no-micro]
set -euo pipefail
cd "$(dirname "$0")/../.."
micro=1
args=()
for a in "$@"; do if [[ $a == --no-micro ]]; then micro=0; else args+=("$a"); fi; done
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/apiserver-protobuf-$stamp.md"
bench=bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll
TMPDIR="$work" timeout --signal=TERM 900 dotnet "$bench" apiserver-protobuf "${args[@]}" > "$work/report.md" &
pid=$!
wait "$pid"
pid=
cp "$work/report.md" "$out"
if [[ $micro == 1 ]]; then
  (cd bench/KubeProxyFast.Bench && dotnet bin/Release/net10.0/KubeProxyFast.Bench.dll --filter '*ProtobufBenchmarks*' --job short >/dev/null)
  { echo; echo "## One Pod: transcoder against System.Text.Json and the generated classes"; echo;
    echo "BenchmarkDotNet, MemoryDiagnoser, short job (\`dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll --filter '*ProtobufBenchmarks*' --job short\`):"; echo;
    sed -n '/^|/,$p' bench/results/micro/results/KubeProxyFast.Bench.Api.ProtobufBenchmarks-report-github.md; } >> "$out"
fi
cp "$out" bench/results/apiserver-protobuf-latest.md
cat "$out"
