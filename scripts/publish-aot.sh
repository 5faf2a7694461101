#!/usr/bin/env bash
# Builds kpf ahead of time (Native AOT) into .kpf/aot/kpf: a single native executable that needs
# no .NET runtime and holds about a third of the memory of the JIT build (see
# bench/results/proxy-rss-latest.md). Native AOT links with the system C toolchain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" --aot >&2
dotnet publish "$root/controlplane/KubeProxyFast.Cli" -c Release -r linux-x64 -p:PublishAot=true \
  -warnaserror -nologo -v quiet -o "$root/.kpf/aot" >&2
echo "$root/.kpf/aot/kpf"
