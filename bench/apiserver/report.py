#!/usr/bin/env python3
"""Markdown table and SVG chart of the JSON object `KubeProxyFast.Bench apiserver` prints."""
import json, os, platform, subprocess, sys

r = json.load(open(sys.argv[1]))
out = sys.argv[2]
MB = 1_000_000  # the 300 MB target read strictly: 300,000,000 bytes

def lat(s):
    return f"p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms"

def mem(m):
    return f"VmRSS {m['vmrss_bytes'] / MB:.0f} MB, VmHWM {m['vmhwm_bytes'] / MB:.0f} MB"

def verdict(ok):
    return "✅" if ok else "❌"

raw1, rawc = r["raw_c1"], r["raw_concurrent"]
ec, mc, wc = r["etcd_creates"], r["embedded_creates"], r["etcd_wrk_creates"]
w = r["watch"]
rw = r["raw_watch"]
n = ec["count"]
rows = [
    ("raw etcd puts, concurrency 1 (create-if-absent txn, 1 KB)", f"{raw1['per_s']:,.0f}/s ({lat(raw1)})", "≈1.5k/s (PLATFORM.md)", f"{raw1['per_s'] / 1500:.0%} of 1.5k"),
    (f"raw etcd puts, concurrency {rawc['concurrency']}", f"{rawc['per_s']:,.0f}/s ({lat(rawc)})", "≈8.5k/s (PLATFORM.md)", f"{rawc['per_s'] / 8500:.0%} of 8.5k"),
    (f"pod creates via apiserver on etcd, concurrency {ec['concurrency']}, {n:,} pods", f"{ec['per_s']:,.0f}/s ({lat(ec)}); apiserver CPU {ec['apiserver_cpu_us_per_create']:.0f} µs per create", "≥ 50% of raw concurrent puts",
     f"{verdict(ec['per_s'] >= 0.5 * rawc['per_s'])} {ec['per_s'] / rawc['per_s']:.0%} of raw"),
    (f"pod creates via apiserver on etcd, wrk -t1 -c{wc['connections']} as the client (generateName), {wc['count']:,} pods after as long a warm-up",
     f"{wc['per_s']:,.0f}/s (p50 {wc['p50_ms']:.2f} ms, p99 {wc['p99_ms']:.2f} ms); apiserver CPU {wc['apiserver_cpu_us_per_create']:.0f} µs per create",
     "≥ 50% of raw concurrent puts", f"{verdict(wc['per_s'] >= 0.5 * rawc['per_s'])} {wc['per_s'] / rawc['per_s']:.0%} of raw"),
    (f"pod creates via apiserver on embedded store, concurrency {mc['concurrency']}, {mc['count']:,} pods", f"{mc['per_s']:,.0f}/s ({lat(mc)}); apiserver CPU {mc['apiserver_cpu_us_per_create']:.0f} µs per create (store included)", "— (comparison)",
     f"{mc['per_s'] / ec['per_s']:.1f}× the etcd apiserver, {mc['per_s'] / rawc['per_s']:.0%} of raw etcd"),
    (f"watch delivery, {w['watchers']} watchers × {w['events']} creates at {w['rate_per_s']}/s: send → receive", f"{lat(w['from_send'])}, max {w['from_send']['max_ms']:.2f} ms ({w['from_send']['samples']:,} events, {w['missing']} missing)",
     "p99 ≤ 10 ms", f"{verdict(w['from_send']['p99_ms'] <= 10 and w['missing'] == 0)} {w['from_send']['p99_ms'] / 10:.0%} of budget"),
    ("watch delivery: writer's 201 → receive (negative: event first)", f"{lat(w['from_ack'])}, max {w['from_ack']['max_ms']:.2f} ms", "—", "—"),
    ("watch delivery added by the apiserver: etcd watch in the bench saw the change → apiserver watcher received it",
     f"{lat(w['from_etcd'])}, max {w['from_etcd']['max_ms']:.2f} ms ({w['from_etcd']['samples']:,} events)", "p99 ≤ 10 ms",
     f"{verdict(w['from_etcd']['p99_ms'] <= 10)} {w['from_etcd']['p99_ms'] / 10:.0%} of budget"),
    (f"peer: raw etcd watches, {rw['watchers']} dotnet-etcd watchers × {rw['events']} puts at the same rate: send → receive",
     f"{lat(rw['from_send'])}, max {rw['from_send']['max_ms']:.2f} ms ({rw['missing']} missing)", "— (the floor on this etcd)",
     f"apiserver p99 {w['from_send']['p99_ms'] / rw['from_send']['p99_ms']:.1f}× etcd's"),
]
def list_row(l, label, store):
    if "error" in l:
        return (f"LIST {n:,} pods, {label}, on {store}", f"❌ failed: `{l['error'][:160].replace('|', '/')}`", "≤ 150 ms", "—")
    note = "" if "Table" not in label or l["kind"] == "Table" else f"; ⚠ answered {l['kind']}, not Table"
    paging = f", {l['pages']} pages" if l["pages"] > 1 else ""
    return (f"LIST {n:,} pods, {label}, on {store}",
            f"median {l['median_ms']:.0f} ms (min {l['min_ms']:.0f}, max {l['max_ms']:.0f}; {l['runs']} runs after 1 warm-up), {l['bytes'] / MB:.1f} MB{paging}{note}",
            "≤ 150 ms", f"{verdict(l['median_ms'] <= 150)} {l['median_ms'] / 150:.0%} of budget")

for store in ("etcd", "embedded"):
    for kind, label in (("json", "JSON"), ("table", "`Accept: …as=Table` (kubectl get)")):
        rows.append(list_row(r[f"{store}_list_{kind}"], label, store))
        rows.append(list_row(r[f"{store}_list_{kind}_paged"], label + ", `limit=500` + continue (kubectl's chunks)", store))
for key, label in (("etcd_memory", f"after {n:,} creates and the LISTs"), ("watch_memory", f"with the {w['watchers']} watches open after the watch run ({n + w['events']:,} pods)"),
                   ("etcd_memory_after_watch", "after the watches closed"),
                   ("embedded_memory", f"embedded store, after {mc['count']:,} creates and the LISTs (store in process)")):
    m = w["memory"] if key == "watch_memory" else r[key]
    rows.append((f"apiserver process RSS, {label}", mem(m), "≤ 300 MB", f"{verdict(m['vmhwm_bytes'] <= 300 * MB)} VmHWM {m['vmhwm_bytes'] / (300 * MB):.0%} of budget"))

rp = r["embedded_replay"]
history = rp["updates"] * rp["object_bytes"]
# What the replays add; the store's own history is in the RSS before them. Before the fix each replay put the whole history in its response pipe.
grown = max(0, rp["peak_vmrss_bytes"] - rp["before"]["vmrss_bytes"])
rows.append((f"apiserver process RSS, embedded store, {rp['watchers']} watches replaying the history of a {rp['object_bytes'] // 1024} KB object "
             f"({rp['updates']} updates, {history / MB:.0f} MB of history, {rp['watchers'] * history / MB:,.0f} MB streamed)",
             f"peak VmRSS {rp['peak_vmrss_bytes'] / MB:.0f} MB (VmRSS {rp['before']['vmrss_bytes'] / MB:.0f} MB before the watches, "
             f"{rp['after']['vmrss_bytes'] / MB:.0f} MB after they closed); {rp['events_received']:,} events in {rp['seconds']:.1f} s",
             "replays add ≤ 50 MB",
             # A server that ended the watches early would stream little and pass on memory: the row counts only when every replay was read whole.
             f"{verdict(grown <= 50 * MB)} +{grown / MB:.0f} MB, {grown / (50 * MB):.0%} of budget"
             if rp["events_received"] == rp["watchers"] * rp["updates"]
             else f"❌ incomplete: {rp['events_received']:,} of {rp['watchers'] * rp['updates']:,} events received"))

etcd_version = subprocess.getoutput("/usr/bin/etcd --version | head -1")
lines = [
    "# Apiserver on etcd: creates, watch latency, LIST and RSS",
    "",
    "One run, `bench/apiserver/run.sh`: a real etcd on free loopback ports (temp data dir), the",
    "apiserver in a child process (`KubeProxyFast.Bench apiserver-host`), the load from the bench",
    "process over HttpClient (HTTP/1.1, one connection per request in flight); all on one 2-core",
    "machine, so client, apiserver and etcd share the cores. Creates POST a small nginx pod; 5,000",
    "warm-up creates in another namespace come first (5,000 warm-up puts for the raw peer). A second",
    "create run uses wrk (one C thread, 32 connections, generateName) after 10 s of wrk warm-up: a",
    "client that leaves the apiserver and etcd the cores, and the steady state. Watch latency: each create carries its",
    "Stopwatch send time in an annotation, compared on receipt by every watcher. RSS from",
    "/proc/PID/status of the apiserver process; MB = 10⁶ bytes. Replays: on the embedded store, one",
    "Event with a large message updated many times, then watches from its first revision that all",
    "read every change at once; VmRSS sampled every 20 ms while they run.",
    "",
    "| measure | result | target | ratio |",
    "|---|---|---|---|",
] + [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows] + [
    "",
    f"Machine: {os.cpu_count()} cores, kernel {platform.release()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} after the run; "
    f"{etcd_version}; .NET {subprocess.getoutput('dotnet --version')}.",
]
open(out + ".md", "w").write("\n".join(lines) + "\n")

# Two panels of horizontal bars: throughput in ops/s, and latency/memory figures as a share of their target.
through = [("raw etcd puts, c=1", raw1["per_s"]), (f"raw etcd puts, c={rawc['concurrency']}", rawc["per_s"]),
           ("pod creates, apiserver on etcd", ec["per_s"]), ("pod creates on etcd, wrk client", wc["per_s"]), ("pod creates, apiserver on embedded", mc["per_s"])]
budget = [("watch p99 send → receive (10 ms)", w["from_send"]["p99_ms"] / 10), ("watch p99 etcd → apiserver watcher (10 ms)", w["from_etcd"]["p99_ms"] / 10), ("raw etcd watch p99 (same budget)", rw["from_send"]["p99_ms"] / 10)]
for key, name in (("etcd_list_json", "LIST JSON on etcd"), ("etcd_list_json_paged", "LIST JSON on etcd, pages of 500"),
                  ("embedded_list_json", "LIST JSON on embedded"), ("embedded_list_table_paged", "LIST Table on embedded, pages")):
    budget.append((f"{name} (150 ms)", None if "error" in r[key] else r[key]["median_ms"] / 150))
budget.append(("VmHWM on etcd (300 MB)", r["etcd_memory_after_watch"]["vmhwm_bytes"] / (300 * MB)))
budget.append(("RSS added by replays of large objects (50 MB)", grown / (50 * MB)))
width, bar, left = 760, 18, 290
span = width - left - 140
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{80 + (len(through) + len(budget)) * bar + 60}" font-family="sans-serif" font-size="12">',
       '<text x="10" y="20" font-size="14">Throughput (ops/s, linear)</text>']
y = 32
top = max(v for _, v in through)
for name, v in through:
    svg.append(f'<text x="10" y="{y + bar - 5}">{name}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{v / top * span:.1f}" height="{bar - 3}" fill="#2b7bb9"/>')
    svg.append(f'<text x="{left + v / top * span + 4:.1f}" y="{y + bar - 5}">{v:,.0f}/s</text>')
    y += bar
y += 30
svg.append(f'<text x="10" y="{y - 8}" font-size="14">Share of target (lower is better; the line is the target)</text>')
scale = max(1.0, max(v for _, v in budget if v is not None))
for name, v in budget:
    svg.append(f'<text x="10" y="{y + bar - 5}">{name}</text>')
    if v is None:
        svg.append(f'<text x="{left + 4}" y="{y + bar - 5}" fill="#c00">failed (see the table)</text>')
        y += bar
        continue
    svg.append(f'<rect x="{left}" y="{y}" width="{v / scale * span:.1f}" height="{bar - 3}" fill="{"#2b7bb9" if v <= 1 else "#e08a2c"}"/>')
    svg.append(f'<text x="{left + v / scale * span + 4:.1f}" y="{y + bar - 5}">{v:.0%}</text>')
    y += bar
line = left + span / scale
svg.append(f'<line x1="{line:.1f}" y1="{y - len(budget) * bar - 4}" x2="{line:.1f}" y2="{y + 2}" stroke="#333" stroke-dasharray="4,3"/>')
svg.append("</svg>")
open(out + ".svg", "w").write("\n".join(svg) + "\n")
