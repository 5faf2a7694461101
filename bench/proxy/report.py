#!/usr/bin/env python3
"""Turns run.sh's raw results (runs.tsv, rss.tsv, meta.txt) into the markdown report and chart.

Each (load, variant) is summarised by the median over its repetitions, with min–max shown when
there is more than one; ratios are medians divided by the peer's median under the same load.
"""
import argparse
import csv
import os
import statistics

import chart

LOADS = {
    "keepalive": ("keep-alive, 13 B", "req/s"),
    "close": ("new connection per request, 13 B", "req/s"),
    "bulk": ("bulk, 100 MB file", "Gbit/s"),
}
VARIANTS = [  # key, label, chart colour
    ("direct", "direct (wrk → nginx)", "#9e9e9e"),
    ("kpf", "kpf proxy (ours)", "#1f77b4"),
    ("haproxy", "HAProxy mode tcp", "#ff7f0e"),
    ("dnat", "kernel DNAT (iptables)", "#2ca02c"),
]
LABEL = {k: label for k, label, _ in VARIANTS}
NOISY = 10  # % of the machine's CPU taken by other work during a run that makes it suspect


def read_tsv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            meta[key] = value
    return meta


def metric(load, row):
    """req/s, or Gbit/s (decimal, body + headers as wrk counts them) for the bulk load."""
    seconds = int(row["duration_us"]) / 1e6
    if load == "bulk":
        return int(row["bytes"]) * 8 / seconds / 1e9
    return int(row["requests"]) / seconds


# The proxy's CPU time per unit of work: µs per request, or ms per GB moved in the bulk load.
CPU_UNIT = {"keepalive": "µs/request", "close": "µs/request", "bulk": "ms/GB"}


def cpu_per_unit(load, row):
    """proxy_cpu_pct is a share of one core, so pct/100 CPU-seconds are spent per second of run."""
    cpu_seconds_per_second = float(row["proxy_cpu_pct"]) / 100
    if load == "bulk":
        return cpu_seconds_per_second * 1e3 / (metric(load, row) / 8)
    return cpu_seconds_per_second * 1e6 / metric(load, row)


def summarise(runs):
    """{(load, variant): {value, lo, hi, p50, p99, errors, reps, values} | {na: reason}}"""
    cells = {}
    for row in runs:
        key = (row["load"], row["variant"])
        cell = cells.setdefault(key, {"rows": [], "reasons": []})
        if row["status"] == "ok":
            cell["rows"].append(row)
        if row["reason"]:
            cell["reasons"].append(row["reason"])
    summary = {}
    for (load, variant), cell in cells.items():
        rows = cell["rows"]
        if not rows:
            summary[(load, variant)] = {"na": cell["reasons"][0] if cell["reasons"] else "no result"}
            continue
        values = [metric(load, r) for r in rows]
        summary[(load, variant)] = {
            "value": statistics.median(values), "lo": min(values), "hi": max(values),
            "values": values,
            "p50": statistics.median(int(r["p50_us"]) for r in rows),
            "p99": statistics.median(int(r["p99_us"]) for r in rows),
            "errors": sum(int(r["errors"]) for r in rows),
            "cpu_others": max(float(r["cpu_others_pct"] or 0) for r in rows),
            "cpu_ours": statistics.median(float(r["cpu_ours_pct"] or 0) for r in rows),
            "proxy_cpu": (statistics.median(float(r["proxy_cpu_pct"]) for r in rows)
                          if all(r["proxy_cpu_pct"] for r in rows) else None),
            "proxy_cpu_per_unit": (statistics.median(cpu_per_unit(load, r) for r in rows)
                                   if all(r["proxy_cpu_pct"] for r in rows) else None),
            "reasons": sorted(set(cell["reasons"])),
        }
    return summary


def md_cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def fmt_value(load, v):
    return f"{v:.2f}" if load == "bulk" else f"{v:,.0f}"


def fmt_latency(us):
    if us < 1000:
        return f"{us:.0f} µs"
    if us < 1_000_000:
        return f"{us / 1000:.2f} ms"
    return f"{us / 1e6:.2f} s"


def ratio(cell, peer):
    if not cell or "na" in cell or not peer or "na" in peer or peer["value"] <= 0:
        return "–"
    return f"{cell['value'] / peer['value']:.2f}×"


def loads_in(runs):
    seen = []
    for row in runs:
        if row["load"] not in seen:
            seen.append(row["load"])
    return seen


def variants_in(runs):
    present = {row["variant"] for row in runs}
    return [k for k, _, _ in VARIANTS if k in present]


def markdown(meta, runs, rss, summary, svg_name):
    loads, variants = loads_in(runs), variants_in(runs)
    reps = int(meta.get("reps", "1"))
    lines = [
        f"# Userspace L4 proxy — macro benchmark, {meta['date']}",
        "",
        f"**Machine:** {meta['nproc']} cores ({meta['cpu']}), {meta['memory']}, {meta['kernel']}; "
        f"load average {meta['loadavg_start']} at start, {meta.get('loadavg_end', '?')} at end.  ",
        f"**Software:** nginx {meta['nginx']}, HAProxy {meta['haproxy']}, wrk {meta['wrk']}, "
        f".NET SDK {meta['dotnet']}, kpf {meta['kpf']}, commit {meta['commit']}.  ",
        f"**Setup:** one network namespace, every hop over its loopback. Each run "
        f"{meta['duration']} s after a {meta['warmup']} s warm-up, {reps} interleaved "
        f"repetition{'s' if reps > 1 else ''} (order rotated per repetition). "
        f"Proxy threads: kpf `--threads {meta['threads']}`, HAProxy `nbthread {meta['threads']}` "
        f"(splice: {meta['haproxy_splice']}); nginx {meta['nginx_workers']} worker(s). "
        f"wrk `-t{meta['wrk_threads']} -c{meta['conns']}` (bulk `-c{meta['bulk_conns']}`, "
        f"{meta['bulk_mb']} MB file). Conntrack "
        f"{'loaded for every variant' if meta.get('conntrack_all') == '1' else 'loaded only during the DNAT runs'}.",
        "",
        "| load | variant | req/s or Gbit/s | × HAProxy | × kernel DNAT | × direct | p50 | p99 | errors "
        "| proxy CPU | CPU ours / others |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for load in loads:
        name, unit = LOADS[load]
        peers = {k: summary.get((load, k)) for k in ("haproxy", "dnat", "direct")}
        for variant in variants:
            cell = summary.get((load, variant))
            if cell is None:
                continue
            if "na" in cell:
                lines.append(f"| {name} | {LABEL[variant]} | n/a (see notes) | | | | | | | | |")
                continue
            value = f"{fmt_value(load, cell['value'])} {unit}"
            if reps > 1:
                value += f" ({fmt_value(load, cell['lo'])}–{fmt_value(load, cell['hi'])})"
            lines.append(
                f"| {name} | {LABEL[variant]} | {value} | {ratio(cell, peers['haproxy'])} | "
                f"{ratio(cell, peers['dnat'])} | {ratio(cell, peers['direct'])} | "
                f"{fmt_latency(cell['p50'])} | {fmt_latency(cell['p99'])} | {cell['errors']} | "
                f"{'–' if cell['proxy_cpu'] is None else format(cell['proxy_cpu'], '.0f') + '%'} | "
                f"{cell['cpu_ours']:.0f}% / {cell['cpu_others']:.0f}%{' ⚠' if cell['cpu_others'] >= NOISY else ''} |")

    if rss:
        lines += ["", "Proxy memory at the end of each load (`/proc/<pid>/status`; one process each, "
                  "started once for the whole run):", "",
                  "| after load | process | VmRSS | VmHWM (peak) |", "|---|---|---:|---:|"]
        for row in rss:
            lines.append(f"| {LOADS[row['load']][0]} | {LABEL[row['variant']]} (`{row['comm']}`) | "
                         f"{int(row['vm_rss_kb']) / 1024:.1f} MiB | {int(row['vm_hwm_kb']) / 1024:.1f} MiB |")

    proxies = [v for v in variants if any(summary.get((l, v), {}).get("proxy_cpu_per_unit") for l in loads)]
    if proxies:
        compared = {"kpf", "haproxy"} <= set(proxies)
        lines += ["", "Proxy CPU per unit of work (the proxy's user + system time divided by the work it "
                  "relayed, median over repetitions; lower is better):", "",
                  "| load | " + " | ".join(LABEL[v] for v in proxies) + (" | kpf ÷ HAProxy |" if compared else " |"),
                  "|---|" + "---:|" * (len(proxies) + compared)]
        for load in loads:
            per_unit = {v: summary.get((load, v), {}).get("proxy_cpu_per_unit") for v in proxies}
            row = f"| {LOADS[load][0]} | " + " | ".join(
                "–" if per_unit[v] is None else f"{per_unit[v]:.1f} {CPU_UNIT[load]}" for v in proxies)
            if compared:
                row += f" | {per_unit['kpf'] / per_unit['haproxy']:.2f}" if per_unit["kpf"] and per_unit["haproxy"] else " | –"
            lines.append(row + " |")

    notes = []
    for variant in variants:
        reason = meta.get(f"na_{variant}")
        if reason:
            notes.append(f"- {LABEL[variant]} did not run: {md_cell(reason)}")
    for (load, variant), cell in summary.items():
        if "na" in cell and not meta.get(f"na_{variant}"):
            notes.append(f"- {LOADS[load][0]}, {LABEL[variant]}: no result: {md_cell(cell['na'])}")
        for reason in cell.get("reasons", []):
            notes.append(f"- {LOADS[load][0]}, {LABEL[variant]}: {md_cell(reason)}")
    loadavg = [f"{LOADS[l][0]} {meta[f'loadavg_before_{l}']}" for l in loads if f"loadavg_before_{l}" in meta]
    if loadavg:
        notes.append("- Load average before each load (other work on the machine shows here): "
                     + "; ".join(loadavg) + ".")
    notes.append("- *proxy CPU* is the proxy process's user + system time as a share of one core "
                 "(median); kernel DNAT's work is spent in wrk's and nginx's contexts.")
    notes.append(f"- *CPU ours / others* is a share of all {meta['nproc']} cores during the measured runs: *ours* is "
                 "wrk + nginx + the proxy (median over repetitions), *others* is everything else "
                 f"on the machine (worst repetition); ⚠ marks ≥ {NOISY}% — such a result was "
                 "measured against competing work and should be re-run.")
    notes.append("- Latency is wrk's: from writing a request to the end of its response, so the "
                 "new-connection load excludes the TCP handshake; bulk latency is the time per file.")
    lines += ["", "Notes:", ""] + notes

    if reps > 1:
        lines += ["", "All repetitions:", "", "| load | variant | " +
                  " | ".join(f"#{i}" for i in range(1, reps + 1)) + " |",
                  "|---|---|" + "---:|" * reps]
        for load in loads:
            for variant in variants:
                cell = summary.get((load, variant))
                if cell and "na" not in cell:
                    values = [fmt_value(load, v) for v in cell["values"]]
                    lines.append(f"| {LOADS[load][0]} | {LABEL[variant]} | " + " | ".join(values) + " |")

    lines += ["", f"![throughput relative to direct]({svg_name})", ""]
    return "\n".join(lines)


def svg(meta, runs, summary):
    groups = []
    for load in loads_in(runs):
        direct = summary.get((load, "direct"))
        bars = {}
        for variant in variants_in(runs):
            cell = summary.get((load, variant))
            if direct and "na" not in direct and cell and "na" not in cell and direct["value"] > 0:
                d = direct["value"]
                bars[variant] = (cell["value"] / d, cell["lo"] / d, cell["hi"] / d)
        groups.append((LOADS[load][0], bars))
    series = [(k, label, colour) for k, label, colour in VARIANTS if k in variants_in(runs)]
    subtitle = (f"{meta['date']} · {meta['nproc']} cores · {meta['kernel']} · "
                f"{meta['threads']} proxy thread(s) · "
                + ("one run each" if meta["reps"] == "1" else f"median of {meta['reps']}, whiskers min–max"))
    return chart.render("Throughput relative to direct wrk → nginx (higher is better)",
                        subtitle, groups, series)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("runs", "rss", "meta", "md", "svg"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    runs, rss, meta = read_tsv(args.runs), read_tsv(args.rss), read_meta(args.meta)
    summary = summarise(runs)
    with open(args.md, "w") as f:
        f.write(markdown(meta, runs, rss, summary, os.path.basename(args.svg)))
    with open(args.svg, "w") as f:
        f.write(svg(meta, runs, summary))


if __name__ == "__main__":
    main()
