#!/usr/bin/env bash
# Netfilter sync benchmark (root): for N services × 5 endpoints, in a fresh network namespace
# each, times our full sync over netlink (kernel mode) and the incremental sync of one changed
# service, then loads the equivalent rules with iptables-restore (our iptables rendering of the
# same snapshot) and with nft -f (what nft lists back of our table), side by side in one run.
# Writes bench/results/netfilter-<date>.md/.svg and netfilter-latest.md/.svg.
# Usage: bench/netfilter/run.sh [--sizes "1000 10000 50000"] [--nft-max 10000] [--ipt-max 10000] [--peer-timeout 600]
#   --nft-max / --ipt-max: largest N loaded with nft -f / iptables-restore (both grow faster than
#   linearly: at 10k each takes minutes here); --peer-timeout: seconds a peer may take
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes="1000 10000 50000"
nft_max=10000
ipt_max=10000
peer_timeout=600
while (($#)); do
  case "$1" in
    --ipt-max) ipt_max="$2"; shift 2 ;;
    --peer-timeout) peer_timeout="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --nft-max) nft_max="$2"; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 1 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "needs root (network namespaces)" >&2; exit 1; }
scripts/install-deps.sh
dotnet build bench/KubeProxyFast.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet bench/KubeProxyFast.Bench/bin/Release/net10.0/KubeProxyFast.Bench.dll"
work=$(mktemp -d)
ns="kpf-nfbench-$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
out="bench/results/netfilter-$stamp"
: > "$work/rows.jsonl"

# Seconds (3 decimals) a command takes inside a fresh namespace; "timeout" past $2 s.
time_in_ns() {
  local limit=$1; shift
  ip netns add "$ns"
  local start end status=0
  start=$(date +%s.%N)
  timeout "$limit" ip netns exec "$ns" "$@" || status=$?
  end=$(date +%s.%N)
  ip netns del "$ns"
  if ((status == 124)); then echo "over ${limit} s"; elif ((status != 0)); then echo "failed"; else echo "$end - $start" | bc -l | xargs printf '%.3f'; fi
}

for n in $sizes; do
  echo "== $n services × 5 endpoints"
  nft_file="$work/rules-$n.nft"
  ipt_file="$work/rules-$n.iptables"
  ours=$($bench netfilter-sync --services "$n" --endpoints 5 --nft-out "$nft_file" --iptables-out "$ipt_file")
  echo "kpf: $ours"
  if ((n <= ipt_max)); then
    ipt=$(time_in_ns "$peer_timeout" iptables-restore --noflush "$ipt_file")
  else
    ipt="not run"
  fi
  echo "iptables-restore: $ipt s"
  if ((n <= nft_max)); then
    nft=$(time_in_ns "$peer_timeout" nft -f "$nft_file")
  else
    nft="not run"
  fi
  echo "nft -f: $nft"
  echo "$ours" | python3 -c "import json,sys; d=json.load(sys.stdin); d['iptables_restore_s']='$ipt'; d['nft_f_s']='$nft'; print(json.dumps(d))" >> "$work/rows.jsonl"
done
python3 bench/netfilter/report.py "$work/rows.jsonl" "$out" 
cp "$out.md" bench/results/netfilter-latest.md
cp "$out.svg" bench/results/netfilter-latest.svg
cat "$out.md"
