#!/usr/bin/env bash
# Installs what KubeProxyFast's build, tests and benchmarks need on Debian, skipping whatever is
# already there, so it is cheap to run before every build. Usage: scripts/install-deps.sh [--bench|--aot]
set -euo pipefail

# Packages the test suite uses: etcd for the store tests, nftables/iptables/iproute2 for the
# netfilter and network-namespace tests, kubectl (kubernetes-client) and the official Python client
# (python3-kubernetes) as judges of the apiserver. The kubelet drives containerd (with runc and the CNI
# plugins) and builds its sandbox image from busybox-static; its tests pull from a real registry
# (docker-registry) that skopeo fills.
packages=(etcd-server etcd-client nftables iptables iproute2 conntrack curl ca-certificates python3-kubernetes
  containerd runc containernetworking-plugins busybox-static docker-registry skopeo)
# The macro benchmarks add the peers they are measured against, and the load generator.
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(haproxy nginx-light wrk socat)
fi
# Native AOT (scripts/publish-aot.sh) compiles and links with the C toolchain.
if [[ "${1:-}" == "--aot" ]]; then
  packages+=(clang zlib1g-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's kubectl conflicts with other kubectl packages; any kubectl on PATH will do.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian);" \
       "install the dotnet-sdk-10.0 package from Microsoft's Debian repository and run this again" >&2
  exit 1
fi
