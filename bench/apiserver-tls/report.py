"""Turns apiserver-tls's JSON into a markdown report and an SVG bar chart.

Usage: report.py RESULT.json OUT (writes OUT.md and OUT.svg).
"""
import json
import platform
import sys

result = json.load(open(sys.argv[1]))
out = sys.argv[2]
plain, tls = result["plain_creates"], result["tls_creates"]
ratio = tls["per_s"] / plain["per_s"]
pg, tg = result["plain_get"], result["tls_get"]
hs = result["handshakes"]
target = "met" if ratio >= 0.85 else "NOT met"
md = f"""# Secured apiserver: HTTPS + client certificates + RBAC vs plain HTTP

One in-process apiserver (embedded store), one run; {result['creates']} pod creates per variant at concurrency
{result['concurrency']}, after 500 warm-up creates each. The HTTPS user `bench-user` is not in system:masters: a
ClusterRoleBinding to a pods create/get/list ClusterRole authorizes it, so RBAC judges every request.
Plain HTTP is the same server's loopback listener (`system:unsecured`, no authentication or authorization).

| | plain HTTP | HTTPS + cert + RBAC | ratio |
|---|---:|---:|---:|
| pod creates/s | {plain['per_s']:.0f} | {tls['per_s']:.0f} | **{ratio:.1%}** (target ≥ 85%: {target}) |
| create p50 / p99 (ms) | {plain['p50_ms']:.2f} / {plain['p99_ms']:.2f} | {tls['p50_ms']:.2f} / {tls['p99_ms']:.2f} | |
| sequential GET p50 / p99 (ms), {pg['samples']} requests | {pg['p50_ms']:.3f} / {pg['p99_ms']:.3f} | {tg['p50_ms']:.3f} / {tg['p99_ms']:.3f} | |

Added latency of an authorized request (HTTPS + authentication + authorization − plain, sequential GET):
**p50 {tg['p50_ms'] - pg['p50_ms']:+.3f} ms, p99 {tg['p99_ms'] - pg['p99_ms']:+.3f} ms**.

New clients (a new connection, a TLS handshake with a client certificate and one authorized GET each,
{hs['concurrency']} in parallel): **{hs['per_s']:.0f} handshakes/s**, p50 {hs['p50_ms']:.2f} ms, p99 {hs['p99_ms']:.2f} ms.
The client side (the handshakes it makes) runs on the same {result['nproc']} cores as the server.

Machine: {result['nproc']} cores, {platform.platform()}.
"""
open(out + ".md", "w").write(md)

bars = [("plain creates/s", plain["per_s"]), ("HTTPS+RBAC creates/s", tls["per_s"]), ("handshakes/s", hs["per_s"])]
top = max(v for _, v in bars) or 1
rows = []
for i, (label, value) in enumerate(bars):
    y = 30 + i * 40
    w = 400 * value / top
    rows.append(f'<text x="10" y="{y + 18}" font-size="13">{label}</text>'
                f'<rect x="190" y="{y}" width="{w:.1f}" height="26" fill="#3b7dd8"/>'
                f'<text x="{196 + w:.1f}" y="{y + 18}" font-size="13">{value:.0f}</text>')
svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="680" height="{50 + 40 * len(bars)}" font-family="sans-serif">'
       f'<text x="10" y="18" font-size="14" font-weight="bold">Secured apiserver: HTTPS+RBAC at {ratio:.0%} of plain HTTP</text>'
       + "".join(rows) + "</svg>\n")
open(out + ".svg", "w").write(svg)
