#!/usr/bin/env python3
"""Markdown table and SVG chart of bench/scheduler/run.sh's JSON (scheduler_perf SchedulingBasic, RC 0 -> N)."""
import json, math, platform, subprocess, sys

r = json.load(open(sys.argv[1]))
out, command = sys.argv[2], sys.argv[3]
MB = 1e6
TARGET = 1000          # the issue's: pods/s at 1,000 nodes on this machine, apiserver and store included
K8S_THRESHOLD = 680    # scheduler_perf SchedulingBasic 5000Nodes_10000Pods, Kubernetes CI


def pct(samples, q):
    s = sorted(samples)
    return s[max(0, math.ceil(q * len(s)) - 1)] if s else float("nan")


def ms(v):
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f} ms"


def mem(m):
    return f"{m['vmrss_bytes'] / MB:.0f} MB ({m['vmhwm_bytes'] / MB:.0f})"


runs = [run for run in r["runs"] if not run.get("ceiling")]
ceilings = [run for run in r["runs"] if run.get("ceiling")]
first = r["runs"][0] if r["runs"] else r["rc"][0]
lines = [
    "# Scheduler: scheduler_perf SchedulingBasic through the apiserver",
    "",
    "As Kubernetes' scheduler_perf `SchedulingBasic` (`test/integration/scheduler_perf/misc/performance-config.yaml`), with its "
    "templates: nodes of 4 cpu, 32 Gi, 110 pods, Ready; pods of one `pause` container requesting 100m cpu and 500 Mi. "
    "The binaries users run, each a process of its own: `kpf server --disable scheduler,controllers` on the embedded store "
    "or on a private Debian etcd 3.4 (another process), and `kpf scheduler --kubeconfig …`. "
    f"Per run: the nodes; {first.get('warmup_pods', 0):,} pods scheduled and deleted (fresh processes still JIT-compile: "
    "after 1,000 pods the tiered compiler took 30% of the apiserver's samples), then "
    f"{first.get('init_pods', 0):,} pods created and scheduled (the cluster's existing pods; not measured), then "
    f"{first.get('pods', 0):,} pods POSTed by {first.get('creators', 0)} concurrent creators as fast as the apiserver takes them. "
    "**pods/s** = measured pods ÷ (first create sent → last pod seen bound through a watch on the apiserver): end to end, "
    "apiserver and store included. *per-second* = pods seen bound in each whole second (scheduler_perf's SchedulingThroughput "
    "samples). Attempt p50/p99 from the scheduler's `scheduler_scheduling_attempt_duration_seconds{result=\"scheduled\"}` "
    "(bucket-interpolated as `histogram_quantile`). CPU over the measured phase (/proc/PID/stat), as a share of one core; "
    "RSS = VmRSS (VmHWM) after the run.",
    "",
    f"Targets: ≥ {TARGET:,} pods/s at 1,000 nodes on this 2-core machine; Kubernetes' CI threshold for "
    f"SchedulingBasic 5000Nodes_10000Pods is {K8S_THRESHOLD} pods/s (on far larger machines, scheduler alone on its cores).",
    "",
    "| store | nodes | pods/s | per-second avg / p50 / p90 / p99 | creates/s | attempt p50 | attempt p99 | scheduler CPU (µs/pod) | scheduler RSS | server CPU (µs/pod) | etcd CPU | machine busy | target |",
    "|---|---:|---:|---|---:|---:|---:|---|---|---:|---:|---:|---|",
]
for run in runs:
    c = run["cpu"]
    ps = run["per_second"]
    avg = sum(ps) / len(ps) if ps else float("nan")
    if run["nodes"] == 1000:
        ok = "✅ ≥ 1,000" if run["pods_per_s"] >= TARGET else "❌ < 1,000"
    elif run["nodes"] == 5000:
        ok = f"{'✅' if run['pods_per_s'] >= K8S_THRESHOLD else '❌'} vs k8s {K8S_THRESHOLD}"
    else:
        ok = ""
    etcd = f"{c['etcd_cores'] * 100:.0f}%" if "etcd_cores" in c else "—"
    lines.append(
        f"| {run['store']} | {run['nodes']:,} | **{run['pods_per_s']:,.0f}** | {avg:,.0f} / {pct(ps, .5):,} / {pct(ps, .9):,} / {pct(ps, .99):,} | "
        f"{run['creates_per_s']:,.0f} | {ms(run['attempt_p50_ms'])} | {ms(run['attempt_p99_ms'])} | "
        f"{c['scheduler_cores'] * 100:.0f}% ({run['scheduler_cpu_us_per_pod']:.0f} µs) | {mem(run['scheduler_memory'])} | "
        f"{c['server_cores'] * 100:.0f}% ({run['server_cpu_us_per_pod']:.0f} µs) | {etcd} | {c['machine_busy_share'] * 100:.0f}% | {ok} |")

if ceilings:
    lines += [
        "",
        "**Apiserver ceiling** — the same load with no scheduler: a binder in the benchmark process binds each pod it sees added "
        "to the next node in turn, 16 binds in flight. Creates, bindings and watch events through the apiserver and store as above, "
        "no scheduling work: the most any scheduler could reach here.",
        "",
        "| store | nodes | pods/s | creates/s | server CPU (µs/pod) | etcd CPU | bench process CPU | machine busy |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for run in ceilings:
        c = run["cpu"]
        etcd = f"{c['etcd_cores'] * 100:.0f}%" if "etcd_cores" in c else "—"
        lines.append(f"| {run['store']} | {run['nodes']:,} | **{run['pods_per_s']:,.0f}** | {run['creates_per_s']:,.0f} | "
                     f"{c['server_cores'] * 100:.0f}% ({run['server_cpu_us_per_pod']:.0f} µs) | {etcd} | {c['bench_cores'] * 100:.0f}% | "
                     f"{c['machine_busy_share'] * 100:.0f}% |")

if runs:
    lines += ["", "Attempts counted by the scheduler during the measured phase (`scheduler_schedule_attempts_total`):", "",
              "| store | nodes | scheduled | unschedulable | error | server RSS | bench process CPU |", "|---|---:|---:|---:|---:|---|---:|"]
    for run in runs:
        a = run["attempts_by_result"]
        lines.append(f"| {run['store']} | {run['nodes']:,} | {a['scheduled']:,.0f} | {a['unschedulable']:,.0f} | {a['error']:,.0f} | "
                     f"{mem(run['server_memory'])} | {run['cpu']['bench_cores'] * 100:.0f}% |")

if r["rc"]:
    lines += [
        "",
        "## ReplicationController scaled 0 → N",
        "",
        "`kpf server --disable scheduler,controllers` + `kpf controller-manager --kubeconfig …` + `kpf scheduler --kubeconfig …`, "
        "one process each; an RC of 0 replicas (the perf pod as template) is PATCHed to N; times from the PATCH to the last pod "
        "seen created, and to the last seen bound, through a watch on the apiserver.",
        "",
        "| store | nodes | replicas | all exist | all bound | created/s | bound/s | controller-manager CPU | scheduler CPU | server CPU | controller-manager RSS | scheduler RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for rc in r["rc"]:
        c = rc["cpu"]
        lines.append(f"| {rc['store']} | {rc['nodes']:,} | {rc['replicas']:,} | {rc['all_exist_s']:.1f} s | {rc['all_bound_s']:.1f} s | "
                     f"{rc['pods_created_per_s']:,.0f} | {rc['pods_bound_per_s']:,.0f} | {c['controller_manager_cores'] * 100:.0f}% | "
                     f"{c['scheduler_cores'] * 100:.0f}% | {c['server_cores'] * 100:.0f}% | {mem(rc['controller_manager_memory'])} | {mem(rc['scheduler_memory'])} |")

lines += [
    "",
    "No kube-scheduler binary exists on this machine (Debian 12 ships only kubectl; no kubernetes server package), so no "
    "side-by-side run: the comparison is with Kubernetes' published scheduler_perf threshold.",
    "",
    f"Command: `{command}` (under `flock /tmp/kpf-build.lock`). Creators, watch, apiserver, store and scheduler share the machine's cores.",
    f"Machine: {subprocess.getoutput('nproc')} cores, kernel {platform.release()}, load average {open('/proc/loadavg').read().split()[0:3]}.",
]
open(out + ".md", "w").write("\n".join(lines) + "\n")

# Chart: pods/s per run (bars, with the target and Kubernetes' threshold), then the per-second throughput over time.
width, left, bar_h = 780, 170, 22
bars = runs + ceilings
top = max([TARGET * 1.3] + [run["pods_per_s"] for run in bars])
scale = (width - left - 60) / top
svg_h = 50 + len(bars) * (bar_h + 8) + 40
series_h = 200 if runs else 0
height = svg_h + series_h + (40 if runs else 0)
colors = ["#2b7bb9", "#e08a2c", "#3a9b4a", "#9b3a8c", "#666"]
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="10" y="20" font-size="14">Pods scheduled per second, end to end (SchedulingBasic, {first.get("pods", 0):,} pods)</text>']
y = 40
for i, run in enumerate(bars):
    w = run["pods_per_s"] * scale
    label = f'{run["store"]}, {run["nodes"]:,} nodes' + (", ceiling" if run.get("ceiling") else "")
    fill = "#bbb" if run.get("ceiling") else colors[i % len(colors)]
    svg.append(f'<text x="10" y="{y + bar_h - 6}">{label}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}"/>')
    svg.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 6}">{run["pods_per_s"]:,.0f}</text>')
    y += bar_h + 8
for value, label, color in ((TARGET, f"target {TARGET:,} (1,000 nodes)", "#c00"), (K8S_THRESHOLD, f"k8s CI {K8S_THRESHOLD} (5,000 nodes)", "#888")):
    x = left + value * scale
    svg.append(f'<line x1="{x:.1f}" y1="32" x2="{x:.1f}" y2="{y}" stroke="{color}" stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{x + 3:.1f}" y="{y + 14 if color == "#c00" else y + 28}" fill="{color}">{label}</text>')
if runs:
    base = svg_h + series_h
    longest = max(len(run["per_second"]) for run in runs) or 1
    peak = max([1] + [max(run["per_second"] or [0]) for run in runs])
    xs = (width - left - 60) / longest
    ys = (series_h - 20) / peak
    svg.append(f'<text x="10" y="{svg_h + 10}">pods bound per second, over the measured phase (peak {peak:,})</text>')
    svg.append(f'<line x1="{left}" y1="{base}" x2="{width - 60}" y2="{base}" stroke="#000"/>')
    svg.append(f'<text x="{left}" y="{base + 14}">0 s</text><text x="{width - 80}" y="{base + 14}">{longest} s</text>')
    for i, run in enumerate(runs):
        pts = " ".join(f"{left + (j + 0.5) * xs:.1f},{base - v * ys:.1f}" for j, v in enumerate(run["per_second"]))
        svg.append(f'<polyline points="{pts}" fill="none" stroke="{colors[i % len(colors)]}" stroke-width="1.5"/>')
svg.append('</svg>')
open(out + ".svg", "w").write("\n".join(svg) + "\n")
