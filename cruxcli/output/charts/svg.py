"""A trace as inline SVG for the page, with a text alternative and a tooltip on every mark that
quotes the statement as stated. The marks, styles and axes are model.py's and axes.py's, as in
the terminal and the image. Pure: file text goes through the caller's `text()`.

Text is sized in the SVG's own units, which shrink with the chart: the page's CSS (html.STYLE)
enlarges it on a narrow screen and hides every other date tick (`alt`), so that no text is
drawn under 11 px at 375 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from cruxcli.core.credence import logit
from cruxcli.core.when import shifted
from cruxcli.output.charts.axes import date_ticks, percent, probability_axis, spread
from cruxcli.output.charts.model import EDGE_NOTE, HUES, chart
from cruxcli.reports.trace import Trace

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 44, 14, 46
#: The page's CSS for the charts: 11 user units at full width; at 600 px and narrower the
#: chart is at most 580/760 of its size and at 375 px 355/760 (the page's 10 px padding), so
#: 24 units draw at 11.2 px there.
CSS = """.chart{width:100%;height:auto;max-width:760px;display:block}.chart .grid{stroke:var(--rule)}
.chart text{fill:var(--muted);font-size:11px}.chart .tag{font-weight:700}
.chart .resolved{stroke:var(--fg);stroke-dasharray:2 3}.chart .resolved-text{fill:var(--fg)}
.chart .open{fill:var(--bg)}
@media (max-width:600px){.chart text{font-size:24px}.chart .alt{display:none}
.chart polyline,.chart path,.chart line:not(.grid){stroke-width:3.5}.chart circle{r:7px}}"""


def _key_glyph(kind: str) -> str:
    """A small inline SVG of a mark, for the key under a chart."""
    shape = {
        "upper": '<circle cx="8" cy="6" r="4" class="open" stroke="currentColor" '
                 'stroke-width="1.5"/><line x1="8" y1="10" x2="8" y2="15" stroke="currentColor"'
                 ' stroke-width="1.5"/>',
        "lower": '<circle cx="8" cy="10" r="4" class="open" stroke="currentColor" '
                 'stroke-width="1.5"/><line x1="8" y1="6" x2="8" y2="1" stroke="currentColor" '
                 'stroke-width="1.5"/>',
        "range": '<path d="M4,2H12M8,2V14M4,14H12" stroke="currentColor" stroke-width="1.5" '
                 'fill="none"/>',
        "verbal": '<path d="M8,3L13,8L8,13L3,8Z" class="open" stroke="currentColor" '
                  'stroke-width="1.5"/>',
        "direction": '<path d="M3,5H13L8,13Z" fill="currentColor"/>',
        "resolved": '<line x1="8" y1="0" x2="8" y2="16" stroke="currentColor" '
                    'stroke-dasharray="2 3" stroke-width="1.5"/>',
        "strip": '<path d="M8,3L13,8L8,13L3,8Z" class="open" stroke="currentColor" '
                 'stroke-width="1.5"/>',
    }[kind]
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{shape}</svg>'


def trace_svg(t: Trace, title: str, ident: str, text: Callable[[object], str]) -> str:
    """The chart, its legend (each series' tag, dash and colour) and its key (what each mark
    means, for the marks it has); "" if the trace has no number to draw."""
    c = chart(t)
    if not c.series:
        return ""
    ticks, y0, y1 = probability_axis(c.values)
    first = shifted(c.start, -(c.end - c.start) * 0.03)
    span = (c.end - first).total_seconds() or 1.0

    def x(when: dt.datetime) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (when - first).total_seconds() / span

    def y(p: float) -> float:
        v = min(max(logit(p), y0), y1)
        return TOP + (HEIGHT - TOP - BOTTOM) * (y1 - v) / (y1 - y0)

    parts = []
    for p in ticks:
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(p):.1f}" '
                     f'y2="{y(p):.1f}"/><text x="{LEFT - 6}" y="{y(p) + 4:.1f}" '
                     f'text-anchor="end">{percent(p)}</text>')
    for n, (when, label) in enumerate(date_ticks(c.start, c.end, 80, c.finest)):
        alt = ' class="alt"' if n % 2 else ""
        parts.append(f'<line class="grid" x1="{x(when):.1f}" x2="{x(when):.1f}" y1="{TOP}" '
                     f'y2="{HEIGHT - BOTTOM}"/><text{alt} x="{x(when):.1f}" y="{HEIGHT - 14}" '
                     f'text-anchor="middle">{text(label)}</text>')
    for r in c.resolved:
        parts.append(f'<g><title>{text(r.text)}</title><line class="resolved" '
                     f'x1="{x(r.when):.1f}" x2="{x(r.when):.1f}" y1="{TOP}" '
                     f'y2="{HEIGHT - BOTTOM}"/><text class="resolved-text" x="{x(r.when) - 4:.1f}"'
                     f' y="{TOP + 2}" text-anchor="end" dominant-baseline="hanging">'
                     f"{text(r.outcome)}</text></g>")
    legend, desc = [], []
    ends = spread([y(s.ys[-1]) for s in c.series], 18)
    for s, end in zip(c.series, ends, strict=True):
        colour = HUES[s.style.hue]
        dash = f' stroke-dasharray="{" ".join(map(str, s.style.dash))}"' if s.style.dash else ""
        points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(s.xs, s.ys, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} '
                     f'points="{points}"/><text class="tag" x="{x(s.xs[-1]) + 4:.1f}" '
                     f'y="{end + 4:.1f}" style="fill:{colour}">{s.style.tag}</text>')
        for m in s.marks:
            parts.append(f"<g><title>{text(s.label)}: {text(m.stated)}</title>"
                         f"{_mark(m.kind, x(m.when), y(m.value), y(m.low), y(m.high), colour)}"
                         "</g>")
        for when, at, direction, stated in s.directions:
            tip = y(at) + (9 if direction < 0 else -9)
            parts.append(f"<g><title>{text(s.label)}: {text(stated)}</title><path "
                         f'd="M{x(when) - 6:.1f},{y(at):.1f} L{x(when) + 6:.1f},{y(at):.1f} '
                         f'L{x(when):.1f},{tip:.1f} Z" fill="{colour}"/></g>')
        sample = (f'<svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true"><line '
                  f'x1="0" x2="28" y1="5" y2="5" stroke="{colour}" stroke-width="2"{dash}/></svg>')
        legend.append(f'<li>{sample} <b style="color:{colour}">{s.style.tag}</b> '
                      f"{text(s.label)}</li>")
        desc.append(f"{s.style.tag} {s.label}: {', '.join(s.stated + [d[3] for d in s.directions])}")
    desc += [r.text for r in c.resolved]
    svg = (f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-labelledby="{ident}-t {ident}-d" class="chart"><title id="{ident}-t">'
           f'{text(title)}</title><desc id="{ident}-d">{text("; ".join(desc))}</desc>'
           f'{"".join(parts)}</svg>')
    key = [f"<li>{_key_glyph(k)} {text(meaning)}</li>" for k, meaning in c.key()]
    key += [f"<li>{e.glyph} {text(e.written)} {text(e.label)}: {text(e.stated)} (no number)"
            "</li>" for e in c.events]
    if c.at_edges:
        key.append(f"<li>{text(EDGE_NOTE)}</li>")
    return svg + f'<ul class="legend">{"".join(legend)}</ul><ul class="legend key">{"".join(key)}</ul>'


def _mark(kind: str, cx: float, cy: float, low: float, high: float, colour: str) -> str:
    """One statement's mark (model.MEANING); `low` and `high` are the y of its interval."""
    stroke = f'stroke="{colour}" stroke-width="2"'
    if kind in ("upper", "lower"):
        end = cy + (11 if kind == "upper" else -11)  # "<1%" admits the values below
        start = cy + (4 if kind == "upper" else -4)
        return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" class="open" {stroke}/>'
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{start:.1f}" y2="{end:.1f}" {stroke}/>')
    if kind == "range":
        return (f'<path d="M{cx - 4:.1f},{low:.1f}H{cx + 4:.1f}M{cx:.1f},{low:.1f}V{high:.1f}'
                f'M{cx - 4:.1f},{high:.1f}H{cx + 4:.1f}" fill="none" {stroke}/>')
    if kind == "verbal":
        return (f'<path d="M{cx:.1f},{cy - 5:.1f}L{cx + 5:.1f},{cy:.1f}L{cx:.1f},{cy + 5:.1f}'
                f'L{cx - 5:.1f},{cy:.1f}Z" class="open" {stroke}/>')
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>'
