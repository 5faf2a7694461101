"""Grouped bar chart as plain SVG (no plotting library on the benchmark machines).

render() takes groups (one per load) of bars (one per variant), each a value with an optional
min..max whisker, and returns the SVG text. Missing bars are drawn as an "n/a" label.
"""
from html import escape

WIDTH, HEIGHT = 760, 430
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 74, 70


def _nice_top(peak):
    """Smallest of 1.25, 1.5, 2, 2.5, 3, ... that leaves headroom above peak."""
    for top in (1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0):
        if peak * 1.08 <= top:
            return top
    return peak * 1.15


def render(title, subtitle, groups, series, baseline=1.0, baseline_label="direct = 1.0"):
    """groups: [(label, {key: (value, lo, hi) | None})]; series: [(key, label, colour)]."""
    peak = max([b[2] for _, bars in groups for b in bars.values() if b] + [baseline])
    top = _nice_top(peak)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y = lambda v: TOP + plot_h * (1 - v / top)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{escape(title)}</text>',
           f'<text x="{WIDTH / 2}" y="40" text-anchor="middle" fill="#555">{escape(subtitle)}</text>']

    step = 0.25 if top <= 1.5 else 0.5 if top <= 3 else 1.0
    tick = 0.0
    while tick <= top + 1e-9:
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="#e5e5e5"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#555">'
                   f'{tick:g}×</text>')
        tick += step
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
               f'stroke="#333" stroke-dasharray="5,4"/>')
    out.append(f'<text x="{LEFT + 4}" y="{TOP - 8}" fill="#333" font-size="11">'
               f'dashed line: {escape(baseline_label)}</text>')

    group_w = plot_w / max(len(groups), 1)
    bar_w = min(46.0, group_w * 0.8 / max(len(series), 1))
    for gi, (label, bars) in enumerate(groups):
        x0 = LEFT + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, (key, _, colour) in enumerate(series):
            x = x0 + si * bar_w
            cx = x + bar_w / 2
            bar = bars.get(key)
            if not bar:
                out.append(f'<text x="{cx:.1f}" y="{y(0) - 6:.1f}" text-anchor="middle" '
                           f'fill="#999">n/a</text>')
                continue
            value, lo, hi = bar
            out.append(f'<rect x="{x + 2:.1f}" y="{y(value):.1f}" width="{bar_w - 4:.1f}" '
                       f'height="{y(0) - y(value):.1f}" fill="{colour}"/>')
            if hi - lo > 1e-9:
                out.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(hi):.1f}" y2="{y(lo):.1f}" '
                           f'stroke="#222"/>')
                for v in (lo, hi):
                    out.append(f'<line x1="{cx - 5:.1f}" x2="{cx + 5:.1f}" y1="{y(v):.1f}" '
                               f'y2="{y(v):.1f}" stroke="#222"/>')
            out.append(f'<text x="{cx:.1f}" y="{y(max(value, hi)) - 5:.1f}" text-anchor="middle" '
                       f'font-size="11">{value:.2f}</text>')
        out.append(f'<text x="{LEFT + (gi + 0.5) * group_w:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                   f'text-anchor="middle" font-weight="bold">{escape(label)}</text>')

    legend_x = LEFT
    for key, name, colour in series:
        out.append(f'<rect x="{legend_x}" y="{HEIGHT - 28}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{legend_x + 17}" y="{HEIGHT - 18}">{escape(name)}</text>')
        legend_x += 30 + 7 * len(name)
    out.append('</svg>')
    return "\n".join(out) + "\n"
