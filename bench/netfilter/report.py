#!/usr/bin/env python3
"""Markdown table and SVG chart of bench/netfilter/run.sh rows (one JSON object per line)."""
import json, platform, subprocess, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out = sys.argv[2]

def secs(v):
    try:
        return float(v)
    except ValueError:
        return None

lines = [
    "# Netfilter sync: kpf over netlink vs iptables-restore and nft -f",
    "",
    "N services × 5 endpoints, kernel mode (DNAT), each load in a fresh network namespace, one run.",
    "kpf full = render + one netlink batch + the kernel's answer, replacing the table (first, cold:",
    "the process's first sync, JIT included); incremental = one service's endpoint",
    "replaced (median of 21, max in brackets). Peers load the same rules: iptables-restore our",
    "iptables rendering of the snapshot, nft -f what `nft list table ip kpf` printed of our table.",
    "",
    "| N | kpf full sync (first, cold) | iptables-restore | nft -f | kpf ÷ iptables-restore | kpf ÷ nft -f | kpf incremental (1 service) | kpf peak RSS | batch |",
    "|---|---|---|---|---|---|---|---|---|",
]
for r in rows:
    full = r["full_ms"] / 1000
    ipt, nft = secs(r["iptables_restore_s"]), secs(r["nft_f_s"])
    lines.append(
        f"| {r['services']:,} | {r['full_ms']:.0f} ms, kernel {r['full_kernel_ms']:.0f} ms ({r['cold_full_ms']:.0f} ms) | {r['iptables_restore_s']}{' s' if ipt else ''} | {r['nft_f_s']}{' s' if nft else ''} | "
        f"{(f'{ipt / full:.1f}× faster' if ipt else '—')} | {(f'{nft / full:.0f}× faster' if nft else '—')} | "
        f"{r['incremental_ms']:.2f} ms, kernel {r['incremental_kernel_ms']:.2f} ms (max {r['incremental_max_ms']:.2f}; {r['incremental_messages']} messages) | "
        f"{r['peak_rss_kb'] / 1024:.0f} MiB | {r['full_messages']:,} msgs, {r['full_bytes'] / 1e6:.1f} MB |")
lines += ["", f"Machine: {subprocess.getoutput('nproc')} cores, kernel {platform.release()}, "
          f"{subprocess.getoutput('nft --version')}, {subprocess.getoutput('iptables --version')}."]
open(out + ".md", "w").write("\n".join(lines) + "\n")

# Log-scale horizontal bars: seconds per variant per N.
variants = [("kpf", lambda r: r["full_ms"] / 1000, "#2b7bb9"),
            ("iptables-restore", lambda r: secs(r["iptables_restore_s"]), "#e08a2c"),
            ("nft -f", lambda r: secs(r["nft_f_s"]), "#999999")]
import math
width, bar, gap, left = 760, 16, 10, 150
height = 40 + len(rows) * (len(variants) * bar + gap * 2) + 30
lo, hi = math.log10(0.01), math.log10(1000)
def x(v): return left + (math.log10(max(v, 0.01)) - lo) / (hi - lo) * (width - left - 20)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="10" y="20" font-size="14">Full sync time, N services × 5 endpoints (log scale, seconds)</text>']
y = 40
for r in rows:
    svg.append(f'<text x="10" y="{y + bar * 1.5}">{r["services"]:,} services</text>')
    for name, get, color in variants:
        v = get(r)
        if v is not None:
            svg.append(f'<rect x="{left}" y="{y}" width="{x(v) - left:.1f}" height="{bar - 2}" fill="{color}"/>')
            svg.append(f'<text x="{x(v) + 4:.1f}" y="{y + bar - 4}">{name} {v:.3f} s</text>')
        else:
            svg.append(f'<text x="{left + 4}" y="{y + bar - 4}" fill="#666">{name}: not run</text>')
        y += bar
    y += gap * 2
svg.append("</svg>")
open(out + ".svg", "w").write("\n".join(svg) + "\n")
