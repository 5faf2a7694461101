#!/usr/bin/env python3
"""Markdown table and SVG chart of bench/kubeproxy/run.sh's JSON (network programming latency, proxy CPU and RSS)."""
import json, platform, subprocess, sys

r = json.load(open(sys.argv[1]))
out, command = sys.argv[2], sys.argv[3]
MB = 1e6
TARGET_P99_MS, TARGET_RSS = 50, 100 * MB

def mb(v):
    return f"{v / MB:.1f} MB"

lines = [
    "# kpf proxy fed by the apiserver: network programming latency",
    "",
    f"The apiserver (a child process, embedded store) holds {r['services']:,} Services × {r['endpoints_per_service']} endpoints "
    f"(created in {r['create_s']:.1f} s); the proxy (a child process running the agent of `kpf proxy --master`) serves them. "
    f"{r['changes']:,} Endpoints updates at {r['rate_per_s']}/s, each moving one endpoint, stamped with "
    "`endpoints.kubernetes.io/last-change-trigger-time` = the moment before its PUT was sent. Latency = from that stamp to the "
    "end of the proxy's sync that applied the change — in kernel mode the nf_tables batch answered by the kernel, in userspace "
    "mode the engine's endpoint set swapped (and the redirect rules synced) — as the proxy's "
    "`kpf_proxy_network_programming_duration_seconds` observes it, reported per change rather than bucketed. "
    "Direct observation by the proxy itself, same clock as the writer (one machine).",
    "",
    f"Targets: p99 ≤ {TARGET_P99_MS} ms; RSS ≤ 100 MB with 10,000 Services.",
    "",
    "`--min-sync-period` is kube-proxy's: with its default, 1 s, a change that arrives after a sync waits for the next allowed one "
    "(a burst of 2 aside), so p50 ≈ 0.5 s and p99 ≈ 1 s at this rate by design; the 50 ms target is for `--min-sync-period 0s`, "
    "where every change is synced as it comes and changes arriving during a sync are merged into the next.",
    "",
    "| mode | --min-sync-period | service ports | p50 | p99 | max | samples | proxy CPU (share of one core) | CPU per change | RSS before → after (peak) | p99 target |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]
for run in r["runs"]:
    lat = run["latency"]
    before, after = run["memory_before"], run["memory_after"]
    ok = "✅" if lat["p99_ms"] <= TARGET_P99_MS and lat["samples"] >= r["changes"] else "❌"
    lines.append(
        f"| {run['mode']} | {run['min_sync_period_ms'] / 1000:g} s | {run['service_ports']:,} | {lat['p50_ms']:.1f} ms | {lat['p99_ms']:.1f} ms | "
        f"{lat['max_ms']:.1f} ms | {lat['samples']:,} | {run['proxy_cpu_s']:.2f} s ({run['proxy_cpu_share'] * 100:.0f}%) | "
        f"{run['proxy_cpu_us_per_change']:.0f} µs | {mb(before['vmrss_bytes'])} → {mb(after['vmrss_bytes'])} ({mb(after['vmhwm_bytes'])}) | {ok} |")

if "scale" in r:
    lines += [
        "",
        f"**Scale**: {r['scale'][0]['services']:,} Services × {r['endpoints_per_service']} endpoints in the apiserver, served by the real "
        "`kpf proxy --master URL --proxy-mode kernel --metrics-bind-address ''` (ready when it logs that it serves them; RSS 5 s later):",
        "",
        "| kpf build | first sync (list + rules) after start | RSS at ready | RSS 5 s later | peak (VmHWM) | target ≤ 100 MB |",
        "|---|---|---|---|---|---|",
    ]
    for s in r["scale"]:
        ok = "✅" if s["memory_settled"]["vmrss_bytes"] <= TARGET_RSS else "❌"
        lines.append(f"| {s['build']} | {s['first_sync_s']:.1f} s | {mb(s['memory_at_ready']['vmrss_bytes'])} | "
                     f"{mb(s['memory_settled']['vmrss_bytes'])} | {mb(s['memory_settled']['vmhwm_bytes'])} | {ok} |")

lines += [
    "",
    f"Command: `{command}` (as root, under `flock /tmp/kpf-build.lock`). Client, apiserver and proxy share the machine's cores.",
    f"Machine: {subprocess.getoutput('nproc')} cores, kernel {platform.release()}, load average {open('/proc/loadavg').read().split()[0:3]}.",
]
open(out + ".md", "w").write("\n".join(lines) + "\n")

# Bars: p50 and p99 per run against the target (log scale would hide the target line; linear up to the largest p99 or 2x target).
runs = r["runs"]
label = lambda run: f"{run['mode']}, min-sync {run['min_sync_period_ms'] / 1000:g} s"
top = max([TARGET_P99_MS * 2] + [run["latency"]["p99_ms"] for run in runs])
width, bar_h, left = 760, 18, 190
height = 60 + len(runs) * (2 * bar_h + 16)
scale = (width - left - 40) / top
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="10" y="20" font-size="14">Network programming latency, {r["changes"]:,} Endpoints changes at {r["rate_per_s"]}/s, '
       f'{r["services"]:,} Services × {r["endpoints_per_service"]}</text>']
y = 40
for run in runs:
    svg.append(f'<text x="10" y="{y + bar_h + 4}">{label(run)}</text>')
    for name, value, color in (("p50", run["latency"]["p50_ms"], "#2b7bb9"), ("p99", run["latency"]["p99_ms"], "#e08a2c")):
        w = max(1, value * scale)
        svg.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{color}"/>')
        svg.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 5}">{name} {value:.1f} ms</text>')
        y += bar_h
    y += 16
tx = left + TARGET_P99_MS * scale
svg.append(f'<line x1="{tx:.1f}" y1="32" x2="{tx:.1f}" y2="{height - 10}" stroke="#c00" stroke-dasharray="4 3"/>')
svg.append(f'<text x="{tx + 3:.1f}" y="{height - 12}" fill="#c00">target p99 {TARGET_P99_MS} ms</text>')
svg.append('</svg>')
open(out + ".svg", "w").write("\n".join(svg) + "\n")
