# shellcheck shell=bash
# Shell functions shared by bench/proxy/run.sh and bench/proxy/rss.sh (sourced, not run).
# The scripts own the globals these use: repo (checkout root), tmp (scratch dir), ns (network
# namespace), pids (processes to stop on exit), backend_ip/backend_port (nginx), keep (optional).

log() { printf '== %s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# bench_require CMD...: installs the benchmark packages when one of the commands is missing, and
# stops the system nginx that Debian's package starts.
bench_require() {
  local cmd pid
  for cmd in "$@"; do
    if ! command -v "$cmd" >/dev/null 2>&1; then
      log "installing benchmark packages ($cmd missing)"
      "$repo/scripts/install-deps.sh" --bench >&2 || die "install-deps.sh --bench failed"
      break
    fi
  done
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing"
  done
  # The system nginx listens on port 80 of the machine; it plays no part here (ours runs inside
  # the namespace) but it is a stray process competing for the 2 cores.
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl is-active --quiet nginx 2>/dev/null && { log "stopping the system nginx service"; systemctl stop nginx; }
    systemctl is-enabled --quiet nginx 2>/dev/null && systemctl disable --quiet nginx
  elif [[ -s /run/nginx.pid ]]; then
    pid=$(cat /run/nginx.pid)
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == nginx ]]; then
      log "stopping the system nginx daemon (pid $pid, from the Debian package)"
      kill -QUIT "$pid" 2>/dev/null || true
    fi
    command -v update-rc.d >/dev/null 2>&1 && update-rc.d nginx disable >/dev/null 2>&1
  fi
  return 0
}

# bench_start: the scratch dir and the exit trap (which stops every process in `pids`, anything
# left in the namespace, deletes the namespace and the scratch dir). A script may define
# bench_on_exit to save material from $tmp first.
bench_start() {
  tmp="$(mktemp -d /tmp/kpf-bench.XXXXXX)"
  ns="kpf-bench-$$"
  pids=() ns_created=0
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local status=$? pid i left
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.3
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  # Anything still in the namespace was started by this script (its nginx workers, say).
  if ((ns_created)); then
    left=$(ip netns pids "$ns" 2>/dev/null)
    [[ -n "$left" ]] && kill -KILL $left 2>/dev/null
  fi
  declare -F bench_on_exit >/dev/null && bench_on_exit
  ((ns_created)) && ip netns del "$ns" 2>/dev/null
  rm -rf "$tmp"
  exit "$status"
}

# stop_proc PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 5); reaps it and drops it
# from `pids` so that the exit trap never signals a recycled pid.
stop_proc() {
  local pid="$1" limit="${2:-5}" start=$SECONDS p keep_pids=()
  kill -TERM "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null && ((SECONDS - start < limit)); do sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for p in "${pids[@]}"; do [[ "$p" != "$pid" ]] && keep_pids+=("$p"); done
  pids=("${keep_pids[@]}")
  return 0
}

# bench_netns: creates the namespace with its loopback up and its own TCP settings (these sysctls
# are per namespace; the machine's are untouched): a wide ephemeral port range and TIME-WAIT reuse
# so that connection churn measures the proxies, not port exhaustion; deep accept queues.
bench_netns() {
  ip netns add "$ns" || die "cannot create network namespace $ns"
  ns_created=1
  nsx ip link set lo up
  nsx sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1 \
    net.core.somaxconn=8192 net.ipv4.tcp_max_syn_backlog=8192 || die "namespace sysctls failed"
}

# Runs a command in the namespace. Background processes must call `ip netns exec` directly instead
# (a backgrounded function is a subshell, and $! would be that shell rather than the daemon).
nsx() { ip netns exec "$ns" "$@"; }

# bench_nofile WANT: raises this shell's (hence its children's) open-file limit to WANT, or to the
# hard limit when the kernel refuses more (raising the hard limit needs CAP_SYS_RESOURCE).
# Call it directly, not in $(...); `ulimit -n` tells the limit in effect afterwards.
bench_nofile() {
  local want="$1"
  if (($(ulimit -Hn) < want)); then ulimit -Hn "$want" 2>/dev/null; fi
  ulimit -n "$(ulimit -Hn)" 2>/dev/null
  return 0
}

# wait_ready NAME URL PID SECONDS: polls until URL answers 200, the process dies or time is up.
wait_ready() {
  local name="$1" url="$2" pid="$3" limit="$4" start=$SECONDS
  while ((SECONDS - start < limit)); do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it answered"; return 1
    fi
    [[ "$(nsx curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null)" == 200 ]] && return 0
    sleep 0.2
  done
  echo "$name did not answer $url within ${limit}s"; return 1
}

# bench_nginx WORKERS WORKER_CONNECTIONS: starts the backend on $backend_ip:$backend_port, serving
# /hello (13 bytes) and /big ($tmp/www/big.bin, when the script created it); dies if it does not
# answer. Sets nginx_pid.
bench_nginx() {
  local workers="$1" worker_conns="$2" body
  mkdir -p "$tmp/nginx/logs" "$tmp/www"
  cat >"$tmp/nginx.conf" <<EOF
# Backend for every variant: fast paths only, so that it is never the bottleneck we measure.
user root;
worker_processes $workers;
worker_rlimit_nofile $(ulimit -n);
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections $worker_conns; multi_accept on; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 100000000;   # keep-alive runs never reconnect
  keepalive_timeout 300s;
  open_file_cache max=16;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen $backend_ip:$backend_port backlog=8192 reuseport;
    root $tmp/www;
    location = /hello { default_type text/plain; return 200 "hello, world\n"; }
    location = /big { default_type application/octet-stream; try_files /big.bin =404; }
  }
}
EOF
  ip netns exec "$ns" nginx -p "$tmp/nginx" -c "$tmp/nginx.conf" -g 'daemon off;' >"$tmp/nginx/stdout.log" 2>&1 &
  pids+=($!)
  nginx_pid=$!
  local why
  why=$(wait_ready nginx "http://$backend_ip:$backend_port/hello" "$nginx_pid" 10) \
    || die "$why: $(tail -3 "$tmp/nginx/error.log" "$tmp/nginx/stdout.log" 2>/dev/null)"
  body=$(nsx curl -s "http://$backend_ip:$backend_port/hello")
  [[ "$body" == "hello, world" && $(nsx curl -s "http://$backend_ip:$backend_port/hello" | wc -c) -eq 13 ]] \
    || die "nginx /hello does not serve the 13-byte body"
  log "nginx ready on $backend_ip:$backend_port ($workers workers)"
}

# kpf_prepare BUILD DLL: builds kpf first when BUILD is 1 (./kpf version), then checks that DLL
# exists and has `proxy --config`. Sets kpf_version, and kpf_na to the reason it cannot run ("" if
# it can). Call it before the measurements so that a build never shares the CPU with them.
kpf_prepare() {
  local build="$1" dll="$2"
  kpf_version="n/a" kpf_na=""
  if ((build)); then
    log "building kpf (./kpf version)"
    if ! "$repo/kpf" version >"$tmp/kpf-build.log" 2>&1; then
      kpf_na="build failed: $(grep -m1 -E 'error|Error' "$tmp/kpf-build.log" || tail -1 "$tmp/kpf-build.log")"
      return 0
    fi
  fi
  if [[ ! -f "$dll" ]]; then
    kpf_na="not built: $dll does not exist (run ./kpf --help)"
    return 0
  fi
  kpf_version=$($(kpf_launcher "$dll") "$dll" version 2>/dev/null | awk 'NR == 1 {print $3}')
  timeout 30 $(kpf_launcher "$dll") "$dll" proxy --help >"$tmp/kpf-help.log" 2>&1
  if ! grep -q -- '--config' "$tmp/kpf-help.log"; then
    kpf_na="kpf $kpf_version has no 'proxy --config' command yet ('kpf proxy --help' lists no --config)"
  fi
  return 0
}

# kpf_service_yaml NAME CLUSTER_IP PORT TARGET_IP TARGET_PORT: one Service without selector and
# its Endpoints, as a user would apply them for `kpf proxy --config` (standalone mode). Separate
# several with a `---` line.
kpf_service_yaml() {
  cat <<EOF
apiVersion: v1
kind: Service
metadata:
  name: $1
  namespace: default
spec:
  type: ClusterIP
  clusterIP: $2
  ports:
  - name: http
    protocol: TCP
    port: $3
    targetPort: $5
---
apiVersion: v1
kind: Endpoints
metadata:
  name: $1
  namespace: default
subsets:
- addresses:
  - ip: $4
  ports:
  - name: http
    protocol: TCP
    port: $5
EOF
}

# bench_machine_meta: key=value lines on the machine and the software versions, for the reports.
bench_machine_meta() {
  local commit
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]] && commit="$commit (dirty)"
  echo "date=$(date -u +%FT%TZ)"
  echo "nproc=$(nproc)"
  echo "kernel=$(uname -sr)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "commit=$commit"
  echo "nginx=$(nginx -v 2>&1 | sed 's/.*nginx\///')"
  echo "haproxy=$(haproxy -v | head -1 | awk '{print $3}')"
  echo "dotnet=$(dotnet --version 2>/dev/null || echo none)"
  echo "kpf=${kpf_version:-n/a}"
}

# How to start kpf: a kpf.dll runs under `dotnet`; a native (Native AOT) kpf binary runs as is.
kpf_launcher() {
  if [[ "$1" == *.dll ]]; then echo dotnet; fi
}
