#!/usr/bin/env python3
"""Turns rss.sh's raw samples (samples.tsv, meta.txt) into the markdown report.

Sizes: /proc reports kB that are KiB; the tables show MiB (1 MiB = 1,024 KiB). The target check
compares with 60 MB = 60,000,000 bytes (58.6 MiB), the stricter reading of "60 MB".
"""
import argparse
import os

from report import md_cell, read_meta, read_tsv

LABEL = {"kpf": "kpf proxy (ours)", "haproxy": "HAProxy mode tcp"}
TARGET_BYTES = 60_000_000
TARGET_CONNS = 10_000


def mib(kb):
    return f"{int(kb) / 1024:.1f}"


def maps_section(maps_dir, variants, conns, top=10):
    """The largest mappings of each proxy with the connections held, from /proc/PID/smaps."""
    out = []
    for v in variants:
        path = os.path.join(maps_dir or "", f"maps-{v}.tsv")
        if not maps_dir or not os.path.exists(path):
            continue
        with open(path) as f:
            maps = [line.rstrip("\n").split("\t") for line in f if "\t" in line]
        total = sum(int(kb) for _, kb in maps)
        out += ["", f"**Where {LABEL[v]}'s resident memory is** with the {conns:,} connections held "
                f"(`/proc/PID/smaps` Rss summed per mapped object; {len(maps)} objects, "
                f"{total / 1024:.1f} MiB in all):", "",
                "| mapping | Rss MiB |", "|---|---:|"]
        for name, kb in maps[:top]:
            out.append(f"| `{md_cell(os.path.basename(name) if name.startswith('/') else name)}` "
                       f"| {int(kb) / 1024:.1f} |")
        rest = sum(int(kb) for _, kb in maps[top:])
        if rest:
            out.append(f"| {len(maps) - top} others | {rest / 1024:.1f} |")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--maps-dir", help="directory of maps-<variant>.tsv (path, Rss kB)")
    p.add_argument("--md", required=True)
    a = p.parse_args()
    rows = read_tsv(a.samples)
    meta = read_meta(a.meta)
    ports, conns = int(meta["ports"]), int(meta["conns"])
    state_label = {
        "idle": f"{ports:,} ports, idle",
        "conns": f"+ {conns:,} idle connections",
        "closed": "after the client closed them",
    }
    by = {(r["variant"], r["state"]): r for r in rows}
    variants = [v for v in LABEL if any(r["variant"] == v for r in rows) or f"na_{v}" in meta]

    lines = [
        f"# Proxy memory at scale — {meta['date']}",
        "",
        f"Issue target: **proxy RSS ≤ 60 MB with 1,000 service ports and 10,000 idle connections**. "
        f"This run: **{ports:,} service ports, {conns:,} idle connections**"
        + (f" (10,000 requested; see *Limits*)." if conns < int(meta["conns_requested"]) else "."),
        "",
        f"**Machine:** {meta['nproc']} cores ({meta['cpu']}), {meta['memory']}, {meta['kernel']}; "
        f"load average {meta['loadavg_start']} at start, {meta.get('loadavg_end', '?')} at end; "
        f"open-file limit {meta['nofile']}.  ",
        f"**Software:** kpf {meta['kpf']} (.NET SDK {meta['dotnet']}), HAProxy {meta['haproxy']}, "
        f"nginx {meta['nginx']}, commit {meta['commit']}"
        + (f" ({meta['kpf_build']})" if meta.get("kpf_build") else "") + ".  ",
        f"**Setup:** one network namespace; {ports:,} Services, clusterIP 198.18.1–4.x port 80 (local "
        f"through `ip route add local 198.18.0.0/16 dev lo`), each with one Endpoints address, nginx "
        f"198.18.0.2:8080. kpf: `{meta['kpf_env'] + ' ' if meta.get('kpf_env') else ''}"
        f"kpf proxy --config services.yaml --threads {meta['threads']}` "
        f"(defaults otherwise, so its /metrics server on 127.0.0.1:10249 is included). HAProxy: "
        f"`nbthread {meta['threads']}`, `mode tcp`, one `listen` section per service port (bind "
        f"clusterIP:80, one `server` = its endpoint), no splicing, no traffic log. The proxies run one "
        f"after the other on the same addresses. Client (`hold.py`): the connections spread "
        f"round-robin over the ports ({conns // max(ports, 1)} per port), each makes one HTTP/1.1 "
        f"keep-alive GET of 13 bytes and reads the answer (so the proxy has connected to nginx for "
        f"it), then stays open and idle. Each sample is taken {meta['settle']} s after the step.",
        "",
        "| process | state | connections held | open fds | threads | VmRSS MiB | VmHWM MiB "
        "| Rss (smaps_rollup) MiB | Anonymous MiB | file-backed MiB | shmem MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for v in variants:
        if f"na_{v}" in meta and not any(r["variant"] == v for r in rows):
            lines.append(f"| {LABEL[v]} | n/a: {md_cell(meta[f'na_{v}'])} | | | | | | | | | |")
            continue
        for state in ("idle", "conns", "closed"):
            r = by.get((v, state))
            if not r:
                continue
            held = f"{int(r['conns_ok']):,}" + (f" ({int(r['conns_failed']):,} failed)" if int(r["conns_failed"]) else "")
            lines.append(
                f"| {LABEL[v]} | {state_label[state]} | {held} | {int(r['fds']):,} | {r['threads']} "
                f"| **{mib(r['vm_rss_kb'])}** | {mib(r['vm_hwm_kb'])} | {mib(r['smaps_rss_kb'])} "
                f"| {mib(r['smaps_anon_kb'])} | {mib(r['rss_file_kb'])} | {mib(r['rss_shmem_kb'])} |")

    lines += ["", "**Per connection and against the target** (VmRSS with the connections held − VmRSS idle, "
              "divided by the connections held):", ""]
    for v in variants:
        idle, held = by.get((v, "idle")), by.get((v, "conns"))
        if not idle or not held or int(held["conns_ok"]) == 0:
            continue
        n = int(held["conns_ok"])
        per_kb = (int(held["vm_rss_kb"]) - int(idle["vm_rss_kb"])) / n
        rss_bytes = int(held["vm_rss_kb"]) * 1024
        text = (f"- {LABEL[v]}: {per_kb * 1024:,.0f} bytes per idle connection; "
                f"{rss_bytes / 1e6:.1f} MB ({int(held['vm_rss_kb']) / 1024:.1f} MiB) with {n:,}")
        if n < TARGET_CONNS:
            est = (int(idle["vm_rss_kb"]) + per_kb * TARGET_CONNS) * 1024
            text += f"; linear estimate at {TARGET_CONNS:,}: {est / 1e6:.1f} MB"
        else:
            est = rss_bytes
        if v == "kpf":
            verdict = "within" if est <= TARGET_BYTES else "over"
            text += f" — **{verdict} the 60 MB target**" + (" (estimate)" if n < TARGET_CONNS else "")
        lines.append(text + ".")
    kpf_idle = by.get(("kpf", "idle"))
    if kpf_idle:
        anon, file_ = int(kpf_idle["smaps_anon_kb"]), int(kpf_idle["rss_file_kb"])
        lines.append(f"- kpf idle split: {anon / 1024:.1f} MiB anonymous (GC heap, native allocations, "
                     f"thread stacks), {file_ / 1024:.1f} MiB file-backed (the mapped runtime and "
                     f"assemblies: libcoreclr, System.Private.CoreLib, …), which other .NET processes on "
                     f"the node share (Pss {mib(kpf_idle['smaps_pss_kb'])} MiB), and "
                     f"{int(kpf_idle['rss_shmem_kb']) / 1024:.1f} MiB shmem (the JIT's code and stubs, "
                     f"mapped twice for W^X: `memfd:doublemapper`).")

    lines += maps_section(a.maps_dir, variants, conns)
    lines += ["", "**Notes and limits.**", ""]
    if meta.get("fd_note"):
        lines.append(f"- {meta['fd_note']}.")
    for v in variants:
        if meta.get(f"client_{v}"):
            lines.append(f"- client through {LABEL[v]}: `{meta[f'client_{v}']}`.")
        if meta.get(f"startup_{v}"):
            lines.append(f"- {LABEL[v]} had all {ports:,} listeners up ~{meta[f'startup_{v}']} s after it started.")
        if f"na_{v}" in meta:
            lines.append(f"- {LABEL[v]}: {md_cell(meta[f'na_{v}'])}.")
    lines += [
        "- VmRSS counts every resident page of the process, shared file pages included; VmHWM is its "
        "peak. Kernel socket buffers are not in either (they are kernel memory).",
        "- The cost per connection is the growth of RSS. For kpf it is likely understated: the GC heap "
        "probably still has committed free space from startup (reading the config) for the connections' "
        "objects to fill. The linear estimate assumes the same growth rate up to 10,000.",
        "- One run, no repetitions: run it again to see the spread (the .NET GC's timing moves the "
        "anonymous part).",
        "",
        "Reproduce: `flock /tmp/kpf-build.lock bench/proxy/rss.sh` (root; `--help` for options).",
        "",
    ]
    with open(a.md, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
