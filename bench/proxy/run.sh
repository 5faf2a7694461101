#!/usr/bin/env bash
# Macro benchmark of the userspace L4 proxy, side by side with its peers, in one run:
#   direct       wrk → nginx                                  (the ceiling)
#   kpf          wrk → `kpf proxy` → nginx                    (ours)
#   haproxy      wrk → HAProxy (mode tcp, same thread count) → nginx
#   dnat         wrk → kernel DNAT (iptables nat OUTPUT) → nginx
# under three loads: keep-alive small requests, a new connection per request, and bulk (100 MB).
# Everything runs inside a network namespace this script creates and always deletes; all
# addresses are in 198.18.0.0/15 (RFC 2544 benchmarking) and live on that namespace's loopback.
# Writes bench/results/proxy-<date>.md and .svg, and copies them to proxy-latest.md/.svg.
#
# Usage: bench/proxy/run.sh [options]   (as root; see --help)
# Take the build lock so measurements do not overlap builds on this 2-core machine:
#   flock /tmp/kpf-build.lock bench/proxy/run.sh --quick
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

usage() {
  cat <<'EOF'
Usage: bench/proxy/run.sh [options]
  --quick              3 s per run, 1 s warm-up (default: 10 s, 2 s warm-up)
  --duration S         seconds per measured run
  --warmup S           seconds of unmeasured load before each measured run (0 = none)
  --reps N             interleaved repetitions of every variant (default 1)
  --threads N          threads of our proxy and HAProxy nbthread (default 1)
  --nginx-workers N    nginx worker_processes (default: same as --threads)
  --wrk-threads N      wrk -t (default 1)
  --conns N            wrk -c for the keep-alive and close loads (default 64)
  --bulk-conns N       wrk -c for the bulk load (default 1: one stream, so p50/p99 are times per file)
  --bulk-mb N          size of the bulk file in MB (default 100)
  --variants LIST      comma list of direct,kpf,haproxy,dnat (default: all)
  --loads LIST         comma list of keepalive,close,bulk (default: all)
  --haproxy-splice M   all (option splice-request + splice-response; default: doubles its bulk
                       throughput here) | auto (option splice-auto) | off
  --conntrack-all      keep the DNAT rule (hence conntrack) loaded for every variant, as on a
                       real node, instead of only while the DNAT variant runs
  --no-build           do not build kpf first; use <repo>/.kpf/bin/kpf.dll as it is
  --kpf-dll PATH       run this kpf.dll instead of <repo>/.kpf/bin/kpf.dll (implies --no-build)
  --out DIR            results directory (default <repo>/bench/results)
  --keep DIR           also copy the raw material there (runs.tsv, wrk outputs, configs, logs)
EOF
}

duration=10 warmup=2 reps=1 threads=1 nginx_workers="" wrk_threads=1 conns=64 bulk_conns=1
bulk_mb=100 variants="direct,kpf,haproxy,dnat" loads="keepalive,close,bulk" haproxy_splice=all
conntrack_all=0 build=1 kpf_dll="$repo/.kpf/bin/kpf.dll" out="$repo/bench/results" keep=""
while (($#)); do
  case "$1" in
    --quick) duration=3 warmup=1 ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --reps) reps="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --nginx-workers) nginx_workers="$2"; shift ;;
    --wrk-threads) wrk_threads="$2"; shift ;;
    --conns) conns="$2"; shift ;;
    --bulk-conns) bulk_conns="$2"; shift ;;
    --bulk-mb) bulk_mb="$2"; shift ;;
    --variants) variants="$2"; shift ;;
    --loads) loads="$2"; shift ;;
    --haproxy-splice) haproxy_splice="$2"; shift ;;
    --conntrack-all) conntrack_all=1 ;;
    --no-build) build=0 ;;
    --kpf-dll) kpf_dll="$(realpath "$2")"; build=0; shift ;;
    --out) out="$2"; shift ;;
    --keep) keep="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
nginx_workers="${nginx_workers:-$threads}"
for n in "$duration" "$warmup" "$reps" "$threads" "$nginx_workers" "$wrk_threads" "$conns" "$bulk_conns" "$bulk_mb"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "run.sh: '$n' is not a whole number" >&2; exit 2; }
done
((duration > 0 && reps > 0 && threads > 0)) || { echo "run.sh: duration, reps and threads must be > 0" >&2; exit 2; }
case "$haproxy_splice" in auto|all|off) ;; *) echo "run.sh: --haproxy-splice auto|all|off" >&2; exit 2 ;; esac
IFS=, read -r -a variant_list <<<"$variants"
IFS=, read -r -a load_list <<<"$loads"
for v in "${variant_list[@]}"; do
  case "$v" in direct|kpf|haproxy|dnat) ;; *) echo "run.sh: unknown variant $v" >&2; exit 2 ;; esac
done
for l in "${load_list[@]}"; do
  case "$l" in keepalive|close|bulk) ;; *) echo "run.sh: unknown load $l" >&2; exit 2 ;; esac
done
[[ $(id -u) -eq 0 ]] || { echo "run.sh: needs root (network namespaces, iptables inside them)" >&2; exit 1; }

has_variant() { [[ ",$variants," == *",$1,"* ]]; }

# Addresses, all on the namespace's loopback. One per variant so that no rule or listener of one
# can touch another's traffic.
backend_ip=198.18.0.2 backend_port=8080
haproxy_ip=198.18.0.3
kpf_ip=198.18.0.10
dnat_ip=198.18.0.20
declare -A target=(
  [direct]="$backend_ip:$backend_port" [kpf]="$kpf_ip:80"
  [haproxy]="$haproxy_ip:80" [dnat]="$dnat_ip:80")

# ---- packages ---------------------------------------------------------------------------------
bench_require haproxy nginx wrk curl iptables nft ip timeout python3

# ---- scratch dir, namespace, cleanup ------------------------------------------------------------
bench_start
bench_on_exit() {
  if [[ -n "$keep" ]]; then
    mkdir -p "$keep" && cp -r "$tmp"/*.{tsv,txt,conf,cfg,yaml,log} "$tmp/nginx" "$keep"/ 2>/dev/null
  fi
  return 0
}

declare -A na=()   # variant -> reason it could not run
declare -A proc_pid=()

# Build and probe kpf before anything runs, so that the build does not share the CPU with the
# peers and a kpf without a usable `proxy` command is known (and reported) up front.
kpf_version="n/a"
if has_variant kpf; then
  kpf_prepare "$build" "$kpf_dll"
  [[ -n "$kpf_na" ]] && na[kpf]="$kpf_na"
fi

bench_nofile 20000   # HAProxy's maxconn 7000 needs ~17.5k fds
bench_netns
for a in "$backend_ip" "$haproxy_ip" "$kpf_ip" "$dnat_ip"; do nsx ip addr add "$a/32" dev lo; done

# ---- backend: nginx ---------------------------------------------------------------------------
mkdir -p "$tmp/www"
head -c "$((bulk_mb * 1000 * 1000))" /dev/zero >"$tmp/www/big.bin"
bench_nginx "$nginx_workers" 9000


# ---- HAProxy ----------------------------------------------------------------------------------
if has_variant haproxy; then
  case "$haproxy_splice" in
    auto) splice_opt="option splice-auto" ;;
    all) splice_opt=$'option splice-request\n  option splice-response' ;;
    off) splice_opt="# no splicing" ;;
  esac
  cat >"$tmp/haproxy.cfg" <<EOF
# The strong peer: plain TCP forwarding with the same thread count as ours.
global
  nbthread $threads
  # The fd hard limit is 20000 here; HAProxy wants 2 fds per connection plus, with splicing,
  # 2 per pipe (maxpipes defaults to maxconn/4): 8000 connections already ask for 20014.
  maxconn 7000
  log stdout format raw local0 err   # alerts only; no per-connection logging (none in defaults)
defaults
  mode tcp
  maxconn 7000
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  $splice_opt
frontend bench
  bind $haproxy_ip:80
  default_backend nginx
backend nginx
  server nginx $backend_ip:$backend_port
EOF
  ip netns exec "$ns" haproxy -f "$tmp/haproxy.cfg" -db >"$tmp/haproxy.log" 2>&1 &
  pids+=($!)
  proc_pid[haproxy]=$!
  if why=$(wait_ready haproxy "http://$haproxy_ip/hello" "${proc_pid[haproxy]}" 10); then
    log "HAProxy ready on $haproxy_ip:80 (nbthread $threads, splice $haproxy_splice)"
  else
    na[haproxy]="$why: $(tail -2 "$tmp/haproxy.log" | tr '\n' ' ')"
    log "HAProxy n/a: ${na[haproxy]}"
  fi
fi

# ---- our proxy ----------------------------------------------------------------------------------
if has_variant kpf && [[ -z "${na[kpf]:-}" ]]; then
  # Standalone mode: a Service without selector plus its Endpoints, as a user would apply them.
  kpf_service_yaml bench "$kpf_ip" 80 "$backend_ip" "$backend_port" >"$tmp/services.yaml"
  ip netns exec "$ns" $(kpf_launcher "$kpf_dll") "$kpf_dll" proxy --config "$tmp/services.yaml" --threads "$threads" >"$tmp/kpf.log" 2>&1 &
  pids+=($!)
  proc_pid[kpf]=$!
  if why=$(wait_ready kpf "http://$kpf_ip/hello" "${proc_pid[kpf]}" 30); then
    log "kpf proxy ready on $kpf_ip:80 (--threads $threads)"
  else
    na[kpf]="$why: $(grep -m2 -iE 'unrecognized|error|exception|fail' "$tmp/kpf.log" | tr '\n' ' ' || tail -2 "$tmp/kpf.log" | tr '\n' ' ')"
  fi
fi
has_variant kpf && [[ -n "${na[kpf]:-}" ]] && log "kpf n/a: ${na[kpf]}"

# ---- kernel DNAT --------------------------------------------------------------------------------
# The rule (and with it conntrack, which iptables-nft's nat table switches on for the whole
# namespace) is only present while the DNAT variant runs, unless --conntrack-all.
dnat_rule=(OUTPUT -d "$dnat_ip" -p tcp --dport 80 -j DNAT --to-destination "$backend_ip:$backend_port")
dnat_on() { nsx iptables -t nat -C "${dnat_rule[@]}" 2>/dev/null || nsx iptables -t nat -A "${dnat_rule[@]}"; }
dnat_off() {
  ((conntrack_all)) && return 0
  nsx iptables -t nat -D "${dnat_rule[@]}" 2>/dev/null
  nsx nft delete table ip nat 2>/dev/null   # unregisters the hooks, so conntrack goes idle again
  return 0
}
if has_variant dnat; then
  if dnat_on && why=$(wait_ready dnat "http://$dnat_ip/hello" "" 5); then
    log "kernel DNAT ready: $dnat_ip:80 -> $backend_ip:$backend_port"
  else
    na[dnat]="${why:-iptables -t nat failed in the namespace}"
    log "dnat n/a: ${na[dnat]}"
  fi
  dnat_off
fi
((conntrack_all)) && { dnat_on || die "cannot load the DNAT rule for --conntrack-all"; }

# ---- measurement -------------------------------------------------------------------------------
stamp=$(date +%Y%m%d-%H%M%S)
runs="$tmp/runs.tsv" rss="$tmp/rss.tsv" meta="$tmp/meta.txt"
printf 'load\tvariant\trep\tstatus\treason\trequests\tduration_us\tbytes\tp50_us\tp90_us\tp99_us\tmax_us\terrors\tcpu_ours_pct\tcpu_others_pct\tsteal_pct\tproxy_cpu_pct\n' >"$runs"
printf 'load\tvariant\tpid\tcomm\tvm_rss_kb\tvm_hwm_kb\n' >"$rss"

{
  bench_machine_meta
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}' | sed 's/^debian\///')"
  echo "duration=$duration"
  echo "warmup=$warmup"
  echo "reps=$reps"
  echo "threads=$threads"
  echo "nginx_workers=$nginx_workers"
  echo "wrk_threads=$wrk_threads"
  echo "conns=$conns"
  echo "bulk_conns=$bulk_conns"
  echo "bulk_mb=$bulk_mb"
  echo "haproxy_splice=$haproxy_splice"
  echo "conntrack_all=$conntrack_all"
  echo "variants=$variants"
  echo "loads=$loads"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$meta"
for v in "${!na[@]}"; do echo "na_$v=${na[$v]}" >>"$meta"; done

# run_one LOAD VARIANT REP: a warm-up, then one measured wrk run; appends a row to runs.tsv.
run_one() {
  local load="$1" variant="$2" rep="$3" path conns_now args=() f
  if [[ -n "${na[$variant]:-}" ]]; then
    printf '%s\t%s\t%s\tna\t%s\t\t\t\t\t\t\t\t\t\t\t\t\n' "$load" "$variant" "$rep" "${na[$variant]}" >>"$runs"
    return
  fi
  case "$load" in
    keepalive) path=/hello conns_now=$conns ;;
    close) path=/hello conns_now=$conns args=(-H "Connection: close") ;;
    bulk) path=/big conns_now=$bulk_conns args=(--timeout 120s) ;;
  esac
  local url="http://${target[$variant]}$path"
  [[ "$variant" == dnat ]] && dnat_on
  if ((warmup > 0)); then
    nsx timeout $((warmup + 60)) wrk -t"$wrk_threads" -c"$conns_now" -d"${warmup}s" "${args[@]}" "$url" >/dev/null 2>&1
  fi
  f="$tmp/wrk-$load-$variant-$rep.txt"
  local before after proxy_before proxy_after
  proxy_before=$(proc_ticks "${proc_pid[$variant]:-}")
  cpu_sample before
  nsx timeout $((duration + 120)) wrk -t"$wrk_threads" -c"$conns_now" -d"${duration}s" --latency \
    "${args[@]}" -s "$here/report.lua" "$url" >"$f" 2>&1
  proxy_after=$(proc_ticks "${proc_pid[$variant]:-}")
  cpu_sample after; [[ -n "${KPF_BENCH_DEBUG:-}" ]] && log "cpu before [$before] after [$after]"
  local cpu
  cpu=$(awk -v b="$before" -v a="$after" -v n="$(nproc)" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    secs = y[5] - x[5]; cap = secs * hz * n; if (cap <= 0) cap = 1
    ours = (y[3] - x[3]) + (y[4] - x[4]); others = (y[1] - x[1]) - ours; if (others < 0) others = 0
    printf "%.1f %.1f %.1f", 100 * ours / cap, 100 * others / cap, 100 * (y[2] - x[2]) / cap }')
  [[ "$variant" == dnat ]] && dnat_off
  local line
  line=$(grep -m1 '^KPF_RESULT ' "$f")
  if [[ -z "$line" ]]; then
    printf '%s\t%s\t%s\tfailed\twrk gave no result: %s\t\t\t\t\t\t\t\t\t\t\t\t\n' "$load" "$variant" "$rep" \
      "$(tail -1 "$f")" >>"$runs"
    log "$load/$variant#$rep: wrk failed: $(tail -1 "$f")"
    return
  fi
  declare -A r=()
  local kv
  for kv in ${line#KPF_RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  local errors=$((r[err_connect] + r[err_read] + r[err_write] + r[err_status] + r[err_timeout]))
  local status=ok reason=""
  if [[ -n "${proc_pid[$variant]:-}" ]] && ! kill -0 "${proc_pid[$variant]}" 2>/dev/null; then
    status=failed reason="$variant died during the run"
    na[$variant]="$reason"
  fi
  ((errors)) && reason="${reason:+$reason; }errors: connect ${r[err_connect]}, read ${r[err_read]}, write ${r[err_write]}, status ${r[err_status]}, timeout ${r[err_timeout]}"
  local cpu_ours cpu_others steal proxy_cpu=""
  read -r cpu_ours cpu_others steal <<<"$cpu"
  # The proxy's own CPU, as a share of ONE core: what its throughput costs.
  [[ -n "$proxy_before" && -n "$proxy_after" ]] && proxy_cpu=$(bc_div1 "$((proxy_after - proxy_before))" \
    "$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " "); print y[5] - x[5] }')" \
    "$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 100 / hz }')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$load" "$variant" "$rep" "$status" "$reason" \
    "${r[requests]}" "${r[duration_us]}" "${r[bytes]}" "${r[p50_us]}" "${r[p90_us]}" "${r[p99_us]}" \
    "${r[max_us]}" "$errors" "$cpu_ours" "$cpu_others" "$steal" "$proxy_cpu" >>"$runs"
  log "$(printf '%-9s %-7s #%s %10.0f req/s %7.2f Gbit/s p50 %6s us p99 %7s us errors %s cpu ours %s%% others %s%% proxy %s%%' \
    "$load" "$variant" "$rep" "$(bc_div "${r[requests]}" "${r[duration_us]}" 1000000)" \
    "$(bc_div "${r[bytes]}" "${r[duration_us]}" 0.008)" "${r[p50_us]}" "${r[p99_us]}" "$errors" "$cpu_ours" \
    "$cpu_others" "${proxy_cpu:--}")"
}
# cpu_sample: "busy steal ours_children ours_ns uptime" in clock ticks (uptime in seconds).
# busy = user+nice+system+irq+softirq+steal of the whole machine (a task's tick-sampled stime
# includes the softirq ticks taken in its context, loopback's receive path); ours = CPU of the processes in the namespace (nginx, proxies) plus the
# reaped children of this shell (wrk, through timeout). busy - ours = CPU that other work on
# the machine took during the run: the noise indicator printed with every result.
# Called as `cpu_sample VAR` (not in $(...)): `times` must run in this shell to see its children.
cpu_sample() {
  local var="$1" pid ns_ticks=0 t
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}')
    ns_ticks=$((ns_ticks + ${t:-0}))
  done
  local children
  times >"$tmp/times"
  children=$(awk -v hz="$(getconf CLK_TCK)" 'NR == 2 {
    n = split($0, f, " "); s = 0
    for (i = 1; i <= n; i++) { split(f[i], m, "m"); s += m[1] * 60 + m[2] }
    printf "%d", s * hz }' "$tmp/times")
  printf -v "$var" '%s' "$(awk -v c="$children" -v n="$ns_ticks" -v up="$(cut -d' ' -f1 /proc/uptime)" \
    '/^cpu / { printf "%d %d %d %d %s", $2 + $3 + $4 + $7 + $8 + $9, $9, c, n, up }' /proc/stat)"
}

# proc_ticks PID: utime+stime of a process (all its threads), in clock ticks; empty without PID.
proc_ticks() {
  [[ -n "$1" && -r "/proc/$1/stat" ]] || return 0
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# bc_div A B K: A / B * K as a float, with awk (no bc on a minimal Debian); bc_div1 rounds to 0.1.
bc_div() { awk -v a="$1" -v b="$2" -v k="$3" 'BEGIN { printf "%.3f", (b > 0 ? a / b * k : 0) }'; }
bc_div1() { awk -v a="$1" -v b="$2" -v k="$3" 'BEGIN { printf "%.1f", (b > 0 ? a / b * k : 0) }'; }

rss_of() { # rss_of LOAD VARIANT: VmRSS/VmHWM of a proxy process, in kB
  local pid="${proc_pid[$2]:-}"
  [[ -n "$pid" && -r "/proc/$pid/status" ]] || return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$pid" "$(cat "/proc/$pid/comm")" \
    "$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")" "$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")" >>"$rss"
}

# Variants of one load run back to back; each repetition rotates the order so that no variant
# always runs first (warm caches) or last (TIME-WAIT sockets left by the others).
for load in "${load_list[@]}"; do
  echo "loadavg_before_$load=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$meta"
  for ((rep = 1; rep <= reps; rep++)); do
    n=${#variant_list[@]}
    for ((i = 0; i < n; i++)); do
      run_one "$load" "${variant_list[$(((i + rep - 1) % n))]}" "$rep"
    done
  done
  for v in kpf haproxy; do has_variant "$v" && [[ -z "${na[$v]:-}" ]] && rss_of "$load" "$v"; done
done
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$meta"

# ---- report -------------------------------------------------------------------------------------
mkdir -p "$out"
md="$out/proxy-$stamp.md" svg="$out/proxy-$stamp.svg"
python3 -B "$here/report.py" --runs "$runs" --rss "$rss" --meta "$meta" --md "$md" --svg "$svg" \
  || die "report.py failed"
cp "$md" "$out/proxy-latest.md"
cp "$svg" "$out/proxy-latest.svg"
log "wrote $md and $svg (copied to proxy-latest.*)"
cat "$md"
