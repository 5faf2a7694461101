#!/usr/bin/env bash
# Memory of the userspace L4 proxy at scale, side by side with HAProxy configured the same way, in
# one run. Target of the issue: proxy RSS <= 60 MB with 1,000 service ports and 10,000 idle
# connections. For each proxy in turn (the same addresses, one at a time):
#   1. start it with 1,000 service ports (clusterIP 198.18.1-4.x:80, each to its own single
#      endpoint, nginx 198.18.0.2:8080) and let it settle      -> sample "ports idle"
#   2. open the connections (hold.py), one HTTP GET each through the proxy, then idle
#                                                                -> sample "+ N idle connections"
#   3. close them                                                -> sample "after close"
# A sample is VmRSS/VmHWM (/proc/PID/status), Rss/Anonymous (/proc/PID/smaps_rollup), RssFile,
# RssShmem and the open fds. Everything runs inside a network namespace this script creates and
# always deletes; all addresses are in 198.18.0.0/15 and local to that namespace
# (`ip route add local 198.18.0.0/16 dev lo`). Writes bench/results/proxy-rss-<date>.md and copies
# it to proxy-rss-latest.md.
#
# Usage: bench/proxy/rss.sh [options]   (as root; see --help)
#   flock /tmp/kpf-build.lock bench/proxy/rss.sh
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/proxy/rss.sh [options]
  --ports N         service ports (Services), one clusterIP each (default 1000)
  --conns N         idle connections to hold (default 10000; fewer when the open-file limit
                    cannot be raised enough: each proxied connection takes 2 fds in the proxy)
  --threads N       kpf --threads and HAProxy nbthread (default 1)
  --settle S        seconds to wait before each sample (default 3)
  --variants LIST   comma list of kpf,haproxy (default both)
  --build           build kpf first (./kpf version); by default <repo>/.kpf/bin/kpf.dll is used
                    as it is, and built only when it does not exist
  --kpf-dll PATH    run this kpf.dll (or a native kpf binary) instead of <repo>/.kpf/bin/kpf.dll
  --kpf-env LIST    environment for kpf, space-separated VAR=VALUE (runtime knobs to try, e.g.
                    'DOTNET_GCgen0size=0x400000'); shown in the report
  --out DIR         results directory (default <repo>/bench/results)
  --keep DIR        also copy the raw material there (samples, configs, logs)
EOF
}

ports=1000 conns=10000 threads=1 settle=3 variants="kpf,haproxy" build=0
kpf_dll="$repo/.kpf/bin/kpf.dll" kpf_env="" out="$repo/bench/results" keep=""
while (($#)); do
  case "$1" in
    --ports) ports="$2"; shift ;;
    --conns) conns="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --settle) settle="$2"; shift ;;
    --variants) variants="$2"; shift ;;
    --build) build=1 ;;
    --kpf-dll) kpf_dll="$(realpath "$2")"; shift ;;
    --kpf-env) kpf_env="$2"; shift ;;
    --out) out="$2"; shift ;;
    --keep) keep="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rss.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for n in "$ports" "$conns" "$threads" "$settle"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "rss.sh: '$n' is not a whole number" >&2; exit 2; }
done
((ports >= 1 && ports <= 25000 && threads >= 1)) || { echo "rss.sh: --ports 1..25000, --threads >= 1" >&2; exit 2; }
IFS=, read -r -a variant_list <<<"$variants"
for v in "${variant_list[@]}"; do
  case "$v" in kpf|haproxy) ;; *) echo "rss.sh: unknown variant $v" >&2; exit 2 ;; esac
done
[[ $(id -u) -eq 0 ]] || { echo "rss.sh: needs root (network namespaces)" >&2; exit 1; }
has_variant() { [[ ",$variants," == *",$1,"* ]]; }

backend_ip=198.18.0.2 backend_port=8080
bench_require haproxy nginx curl ip ss timeout python3
bench_start
bench_on_exit() {
  [[ -n "$keep" ]] && mkdir -p "$keep" && cp -r "$tmp"/*.{tsv,txt,cfg,yaml,log,conf} "$tmp/nginx" "$keep"/ 2>/dev/null
  return 0
}

# kpf: the existing build unless --build (a build under the caller's lock is theirs to schedule).
declare -A na=()
kpf_version="n/a"
if has_variant kpf; then
  [[ -f "$kpf_dll" ]] || build=1
  kpf_prepare "$build" "$kpf_dll"
  [[ -n "$kpf_na" ]] && na[kpf]="$kpf_na"
fi
# Say which build ran: the dll's time, and whether sources changed after it (as ./kpf checks).
kpf_build_note=""
if [[ -f "$kpf_dll" ]]; then
  kpf_build_note="kpf.dll built $(date -u -r "$kpf_dll" +%FT%TZ)"
  newer=$(find "$repo/controlplane" "$repo/dataplane" -newer "$kpf_dll" \( -name '*.cs' -o -name '*.csproj' \) \
    -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null | wc -l)
  ((newer)) && kpf_build_note="$kpf_build_note; $newer source files changed since (rebuild with --build)"
fi

# ---- file descriptors ---------------------------------------------------------------------------
# The proxy holds 2 fds per connection (client side, backend side) plus one per listener. Ask for
# enough; if the kernel refuses to raise the hard limit (no CAP_SYS_RESOURCE), run as many
# connections as fit, a whole number per service port, and say so in the report.
requested=$conns
bench_nofile $((2 * conns + ports + 1024))
nofile=$(ulimit -n)
fit=$(((nofile - ports - 512) / 2))
fd_note=""
if ((conns > fit)); then
  conns=$((fit / ports * ports))
  ((conns > 0)) || conns=$fit
  fd_note="RLIMIT_NOFILE is $nofile and could not be raised (the hard limit needs CAP_SYS_RESOURCE): the proxy holds 2 fds per connection + 1 per port, so $conns connections (not $requested) fit"
  log "$fd_note"
fi
log "open-file limit $nofile; $ports ports, $conns connections"

# ---- namespace, backend --------------------------------------------------------------------------
bench_netns
nsx ip addr add "$backend_ip/32" dev lo
nsx ip route add local 198.18.0.0/16 dev lo || die "cannot add the local route in the namespace"
bench_nginx "$threads" $((conns + 1024))

# Service i (0-based) is 198.18.(1 + i/250).(1 + i%250):80, its endpoint nginx.
for ((i = 0; i < ports; i++)); do echo "198.18.$((1 + i / 250)).$((1 + i % 250))"; done >"$tmp/addrs.txt"
{
  i=0
  while read -r ip; do
    ((i)) && echo ---
    kpf_service_yaml "svc-$i" "$ip" 80 "$backend_ip" "$backend_port"
    i=$((i + 1))
  done <"$tmp/addrs.txt"
} >"$tmp/services.yaml"
# HAProxy's equivalent: one `listen` per service port, each with its own server (its endpoint), so
# that both proxies hold 1,000 listeners and 1,000 endpoint sets. No splice: the connections carry
# a few bytes and then stay idle; maxconn covers every connection with room to spare.
{
  cat <<EOF
global
  nbthread $threads
  maxconn $((conns + 64))
  log stdout format raw local0 err   # alerts only; no per-connection logging
defaults
  mode tcp
  timeout connect 5s
  timeout client 10m
  timeout server 10m
EOF
  i=0
  while read -r ip; do
    printf 'listen svc-%d\n  bind %s:80\n  server ep %s:%s\n' "$i" "$ip" "$backend_ip" "$backend_port"
    i=$((i + 1))
  done <"$tmp/addrs.txt"
} >"$tmp/haproxy.cfg"

# ---- measurement -------------------------------------------------------------------------------
stamp=$(date +%Y%m%d-%H%M%S)
samples="$tmp/samples.tsv" meta="$tmp/meta.txt"
printf 'variant\tstate\tpid\tconns_ok\tconns_failed\tfds\tthreads\tvm_rss_kb\tvm_hwm_kb\trss_anon_kb\trss_file_kb\trss_shmem_kb\tsmaps_rss_kb\tsmaps_pss_kb\tsmaps_anon_kb\n' >"$samples"
{
  bench_machine_meta
  echo "ports=$ports"
  echo "conns_requested=$requested"
  echo "conns=$conns"
  echo "threads=$threads"
  echo "settle=$settle"
  echo "kpf_env=$kpf_env"
  echo "kpf_build=$kpf_build_note"
  echo "nofile=$nofile"
  echo "fd_note=$fd_note"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$meta"

# sample VARIANT STATE PID OK FAILED: one row of samples.tsv.
sample() {
  local pid="$3" st="/proc/$3/status" sm="/proc/$3/smaps_rollup"
  [[ -r "$st" ]] || return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$pid" "$4" "$5" \
    "$(ls "/proc/$pid/fd" | wc -l)" \
    "$(awk '/^Threads:/ {print $2}' "$st")" \
    "$(awk '/^VmRSS:/ {print $2}' "$st")" "$(awk '/^VmHWM:/ {print $2}' "$st")" \
    "$(awk '/^RssAnon:/ {print $2}' "$st")" "$(awk '/^RssFile:/ {print $2}' "$st")" \
    "$(awk '/^RssShmem:/ {print $2}' "$st")" \
    "$(awk '/^Rss:/ {print $2}' "$sm")" "$(awk '/^Pss:/ {print $2}' "$sm")" \
    "$(awk '/^Anonymous:/ {print $2}' "$sm")" >>"$samples"
  log "$(printf '%-8s %-10s VmRSS %6d kB  VmHWM %6d kB  fds %5d' "$1" "$2" \
    "$(awk '/^VmRSS:/ {print $2}' "$st")" "$(awk '/^VmHWM:/ {print $2}' "$st")" "$(ls "/proc/$pid/fd" | wc -l)")"
}

# top_maps VARIANT PID: Rss per mapped object (/proc/PID/smaps summed by path; anonymous mappings
# as "[anonymous]"), largest first, to maps-VARIANT.tsv: where the resident memory lives.
top_maps() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / {
         name = (NF >= 6) ? $6 : "[anonymous]"; for (i = 7; i <= NF; i++) name = name " " $i; next }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) if (rss[n] > 0) printf "%s\t%d\n", n, rss[n] }' "/proc/$2/smaps" 2>/dev/null \
    | sort -t$'\t' -k2,2nr >"$tmp/maps-$1.tsv"
}

listeners() { nsx ss -Hltn 'sport = :80' | wc -l; }

# measure VARIANT CMD...: starts the proxy in the namespace, samples it idle, with the connections
# held, and after they are closed; then stops it.
measure() {
  local variant="$1"; shift
  local pid start=$SECONDS ok=0 failed=0 status
  ip netns exec "$ns" "$@" >"$tmp/$variant.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  while (($(listeners) < ports)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      na[$variant]="exited at startup: $(grep -m2 -iE 'alert|error|exception|fail|cannot' "$tmp/$variant.log" | tr '\n' ' ')"
      log "$variant n/a: ${na[$variant]}"; wait "$pid" 2>/dev/null; return
    fi
    if ((SECONDS - start > 60)); then
      na[$variant]="only $(listeners) of $ports listeners after 60 s"
      log "$variant n/a: ${na[$variant]}"; stop_proc "$pid"; return
    fi
    sleep 0.2
  done
  echo "startup_$variant=$((SECONDS - start))" >>"$meta"
  log "$variant listening on $ports ports (pid $pid) after ~$((SECONDS - start)) s"
  sleep "$settle"
  sample "$variant" idle "$pid" 0 0

  rm -f "$tmp/hold-$variant.status"
  ip netns exec "$ns" python3 -B "$here/hold.py" --addrs "$tmp/addrs.txt" --conns "$conns" \
    --budget 60 --hold 300 --status "$tmp/hold-$variant.status" >"$tmp/hold-$variant.log" 2>&1 &
  local client=$!
  pids+=("$client")
  start=$SECONDS
  while [[ ! -s "$tmp/hold-$variant.status" ]] && kill -0 "$client" 2>/dev/null && ((SECONDS - start < 90)); do sleep 0.5; done
  status=$(cat "$tmp/hold-$variant.status" 2>/dev/null)
  [[ -n "$status" ]] || status="ok=0 failed=$conns seconds=0 first_error='client: $(tail -1 "$tmp/hold-$variant.log")'"
  ok=$(sed -E 's/.*ok=([0-9]+).*/\1/' <<<"$status")
  failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$status")
  echo "client_$variant=$status" >>"$meta"
  log "$variant: client $status"
  sleep "$settle"
  kill -0 "$pid" 2>/dev/null || { na[$variant]="died with the connections open"; log "$variant died"; return; }
  sample "$variant" conns "$pid" "$ok" "$failed"
  top_maps "$variant" "$pid"

  local idle_fds
  idle_fds=$(awk -F'\t' -v v="$variant" '$1 == v && $2 == "idle" {print $6}' "$samples")
  stop_proc "$client"
  start=$SECONDS
  while (($(ls "/proc/$pid/fd" | wc -l) > idle_fds + 16)) && ((SECONDS - start < 15)); do sleep 0.2; done
  sleep "$settle"
  sample "$variant" closed "$pid" 0 0
  stop_proc "$pid" 10
}

if has_variant kpf && [[ -z "${na[kpf]:-}" ]]; then
  read -r -a env_list <<<"$kpf_env"
  measure kpf env "${env_list[@]}" $(kpf_launcher "$kpf_dll") "$kpf_dll" proxy --config "$tmp/services.yaml" --threads "$threads"
fi
if has_variant haproxy; then
  measure haproxy haproxy -f "$tmp/haproxy.cfg" -db
fi
for v in "${!na[@]}"; do echo "na_$v=${na[$v]}" >>"$meta"; done
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$meta"

# ---- report -------------------------------------------------------------------------------------
mkdir -p "$out"
md="$out/proxy-rss-$stamp.md"
python3 -B "$here/rss_report.py" --samples "$samples" --meta "$meta" --maps-dir "$tmp" --md "$md" \
  || die "rss_report.py failed"
cp "$md" "$out/proxy-rss-latest.md"
log "wrote $md (copied to proxy-rss-latest.md)"
cat "$md"
