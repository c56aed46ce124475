"""A debate as one self-contained HTML page: the reports' own sheets as tables, the traces as
inline SVG from the same chart data as the terminal and image charts. Pure (text in, text out).

Safe by construction: every piece of file text goes through `text()` (control characters
made visible, then HTML-escaped); only http and https URLs become links; the page carries no
script at all, and a Content-Security-Policy that forbids scripts and every network fetch, so
even a mistake here could not run code or phone home. CSS is inline; no fonts, no CDN.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from cruxcli.core import ids
from cruxcli.core.analysis import crux_order
from cruxcli.core.model import Debate
from cruxcli.core.text import clean
from cruxcli.output.charts import svg
from cruxcli.reports.commitments_sheet import pledges_sheet
from cruxcli.reports.registry import REPORTS
from cruxcli.reports.sheet import HEAT_BANDS, Layout, Sheet, heat_band
from cruxcli.reports.trace import Trace
from cruxcli.reports.trace_sheet import retracted_sheet

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


class Page(NamedTuple):
    """What the page shows; every part is a report the CLI also prints."""

    debate: Debate
    as_of: str | None
    revision: str | None  # the file's git revision, when in a repository
    reports: dict[str, Layout]  # by name (reports.registry), each shown as tables
    traces: list[Trace]  # one per crux with a number on it (the most active, unless all)
    traces_left_out: int = 0  # cruxes with numbers whose traces are not drawn
    complete: bool = True  # every row and source, however many; else within MAX_ROWS, ...
    pledged: list[Any] = []  # commitments.Kept: every pledge and where it stands


def text(value: object) -> str:
    """File text as inert HTML: control characters visible (\\x1b), then escaped."""
    return _inert(value if type(value) is str else str(value))


@functools.lru_cache(maxsize=2**16)
def _inert(value: str) -> str:
    """`text` of a string, remembered: a large page repeats the same cells (a stated
    credence, a date) hundreds of thousands of times."""
    return html.escape(clean(value), quote=True)


def link(url: str | None, label: str | None = None) -> str:
    """An http(s) URL as a link; anything else (javascript:, data:, a description) as text."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1": not a URL a browser would follow either
        return text(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return (f'<a href="{text(url.strip())}" rel="noopener noreferrer nofollow">'
                f"{text(label or url)}</a>")
    return text(url)


HYPHENATED = re.compile(r"\w[\w.:+]*(?:-[\w.:+]*\w)+")


def unbroken(escaped: str) -> str:
    """Dates and ids ("2025-09-01", "scheming-3x") kept whole: a browser would break a cell's
    line at their hyphens ("2025-09-" / "01")."""
    return HYPHENATED.sub(lambda m: f'<span class="nw">{m[0]}</span>', escaped)


@functools.lru_cache(maxsize=2**16)  # a 2,000-participant matrix: 300,000 cells, 2,700 distinct
def cell_html(t: str, style: str | None, p: float | None, align: str,
              header: bool = False) -> str:
    classes = [f"s-{style}"] if style else []
    if p is not None:
        classes.append(f"h{heat_band(p)}")
    indent = (len(t) - len(t.lstrip(" "))) // 2  # a premise under its crux ("  " a level)
    body = _cell_body(t.strip(" "))
    attr = (f' class="{" ".join(classes)}"' if classes else "") + f' data-align="{align}"' + \
        (f' style="padding-left:{0.5 + 1.2 * indent:g}em"' if indent else "")
    if header:
        return f'<th scope="row"{attr}>{body}</th>'
    return f"<td{attr}>{body}</td>"


@functools.lru_cache(maxsize=2**16)
def _cell_body(t: str) -> str:
    return "<br>".join(unbroken(text(line)) for line in t.split("\n"))


def sheet_html(sheet: Sheet, most: int | None = None) -> str:
    """Any report's sheet as a table, with its notes and key: the same cells as in the
    terminal; its first `most` rows, if given, and a note saying how many more there are."""
    out = [f"<h3>{text(sheet.title)}</h3>"]
    left = 0 if most is None else max(len(sheet.rows) - most, 0)
    if left:
        sheet = sheet._replace(rows=sheet.rows[:most])
        out.append(f'<p class="note">The first {most:,} rows; {left:,} more are left out of '
                   "this page. <code>cruxcli report --all</code> shows them all, as the "
                   "terminal and <code>--format json</code> always do.</p>")
    if sheet.rows:
        head = "".join(f'<th class="{c.justify}" scope="col">{text(c.header)}</th>'
                       for c in sheet.columns)
        aligns = [c.justify for c in sheet.columns]
        first = [True] + [False] * (len(aligns) - 1)  # each row's first cell is its header
        # a row's texts, probabilities and styles (Cell's fields, in its order) at C speed
        rows = ["<tr>" + "".join(map(cell_html, texts, styles, ps, aligns, first)) + "</tr>"
                for texts, ps, styles in (zip(*row, strict=True) for row in sheet.rows)]
        out.append(f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
                   f'{"".join(rows)}</tbody></table></div>')
    out += [f'<p class="note">{text(n)}</p>' for n in sheet.notes]
    if sheet.key:
        out.append("<dl class=\"key\">" + "".join(f"<dt>{text(k)}</dt><dd>{text(v)}</dd>"
                                                  for k, v in sheet.key) + "</dl>")
    if sheet.legend and sheet.rows:
        out.append(legend())
    return "<section class=\"sheet\">" + "".join(out) + "</section>"


def legend() -> str:
    items = "".join(f'<li><span class="swatch h{i}"></span>{text(label)}</li>'
                    for i, (_, label) in enumerate(HEAT_BANDS))
    return f'<ul class="legend" aria-label="colour by probability">{items}</ul>'


def report_html(report: Layout, most: int | None = None) -> str:
    return "".join(sheet_html(s, most) for s in report.sheets)


# ----------------------------------------------------------------------------------- sources

def sources(d: Debate, limit: int | None = None) -> str:
    """Every credence with its source, quote and note; the latest `limit` of them if given."""
    rows = []
    shown = d.entries if limit is None else d.entries[-limit:]
    left = len(d.entries) - len(shown)
    short = ids.short_ids(d)
    for e in shown:
        more = "".join(f"<p><b>{k}</b>: {text(v)}</p>" for k, v in (("quote", e.quote),
                                                                 ("note", e.note)) if v)
        detail = (f"<details><summary>{link(e.source) or 'quote and note'}</summary>{more}"
                  f"</details>" if more else link(e.source))
        rows.append(f"<tr><th scope=\"row\">{text(e.label)}</th><td>{text(e.credence.text)}"
                    f"</td><td>{text(e.when)}</td><td><code>{short[e.id]}</code></td>"
                    f"<td>{detail}</td></tr>")
    note = (f'<p class="note">The latest {len(shown):,} credences; {left:,} earlier ones are '
            "left out of this list (they are in every figure above). <code>cruxcli report "
            "--all</code> lists them all.</p>" if left else "")
    return (note + '<div class="scroll"><table class="sources"><thead><tr><th scope="col">'
            'who · crux</th><th scope="col">stated</th><th scope="col">at</th><th scope="col">'
            'id</th><th scope="col">source, quote and note</th></tr></thead><tbody>'
            f'{"".join(rows)}</tbody></table>'
            "</div>")


# -------------------------------------------------------------------------------------- page

STYLE = """
:root{--bg:#fff;--fg:#1b1b1b;--muted:#5a5a5a;--rule:#d8d8d8;--panel:#f6f6f6;--link:#0b57d0;
--h0:#cfe0ff;--h1:#c2f0ec;--h2:#d3f5c4;--h3:#fbf3a8;--h4:#ffd0a0;--h5:#ffbcbc;--h6:#f0c0f0}
@media (prefers-color-scheme:dark){:root{--bg:#151515;--fg:#e8e8e8;--muted:#a8a8a8;
--rule:#3a3a3a;--panel:#1f1f1f;--link:#8ab4f8;--h0:#1f3a66;--h1:#0f5552;--h2:#2a5a1c;
--h3:#5f5a00;--h4:#8a3c00;--h5:#7a1f2a;--h6:#5c2458}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px}h1{font-size:1.6em;margin:.2em 0}
h2{margin-top:1.6em;border-bottom:1px solid var(--rule);padding-bottom:.2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}.meta,.note{color:var(--muted)}
.note{font-size:.9em;margin:.3em 0}a{color:var(--link)}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:.92em}
th,td{padding:4px 8px;border-bottom:1px solid var(--rule);vertical-align:top;text-align:left}
td[data-align=right],th.right{text-align:right}thead th{position:sticky;top:0;background:var(--panel)}
.h0{background:var(--h0)}.h1{background:var(--h1)}.h2{background:var(--h2)}.h3{background:var(--h3)}
.h4{background:var(--h4)}.h5{background:var(--h5)}.h6{background:var(--h6)}
.s-direction{font-style:italic}.s-warn{color:#c62828;font-weight:600}.s-bold{font-weight:700}
.s-struck{text-decoration:line-through;color:var(--muted)}.s-dim{color:var(--muted)}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1em;font-size:.85em}
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;
border:1px solid var(--rule)}.key{display:grid;grid-template-columns:max-content 1fr;
gap:.2em 1em;font-size:.88em}.key dt{font-family:ui-monospace,monospace}.key dd{margin:0}
code{font-family:ui-monospace,monospace}
details summary{cursor:pointer}
details[open] summary{margin-bottom:.3em}summary:focus-visible,a:focus-visible{
outline:2px solid var(--link);outline-offset:2px}
@media (max-width:600px){body{font-size:14px}main{padding:10px}th,td{padding:3px 5px}
.key{grid-template-columns:1fr}.key dd{margin:0 0 .4em 1em}}
.key dt,.sources a{overflow-wrap:anywhere}tbody th{white-space:nowrap}
.sources td:nth-child(2),.sources td:nth-child(3){white-space:nowrap}
@media print{thead th{position:static}.scroll{overflow:visible}a{color:inherit}
section,figure{break-inside:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
.open{fill:var(--bg)}.legend svg{vertical-align:-.15em}figure{margin:1em 0}.nw{white-space:nowrap}
""" + svg.CSS


def page(p: Page) -> str:
    d = p.debate
    most = None if p.complete else MAX_ROWS
    head = d.cruxes[d.headline]
    meta = [f"headline <code>{text(d.headline)}</code>: {text(head.question)}",
            f"as of {text(p.as_of)}" if p.as_of else "as of the latest entry",
            f"git revision {text(p.revision)}" if p.revision else "not in a git repository"]
    traces = []
    for n, t in enumerate(p.traces):
        title = f"Credence over time, log-odds scale: {', '.join(t.cruxes)}"
        shown = t if p.complete else busiest(t, MAX_SERIES)
        drawn = svg.trace_svg(shown, title, f"trace{n}", text)
        if drawn and len(shown.lines) < len(t.lines):
            drawn += (f'<p class="note">The {len(shown.lines):,} series with the most '
                      f"statements; {len(t.lines) - len(shown.lines):,} more are left out of "
                      "this chart. <code>cruxcli report --all</code> draws them all, and "
                      "<code>cruxcli trace</code> lists every statement.</p>")
        if drawn:
            traces.append(f"<figure><figcaption><code>{text(', '.join(t.cruxes))}</code> "
                          f"{text(d.cruxes[t.cruxes[0]].question)}</figcaption>{drawn}</figure>")
    body = [f"<header><h1>{text(d.title)}</h1><p class=\"meta\">{' · '.join(meta)}</p></header>"]
    for spec in REPORTS:  # the reports' sections, in the registry's order
        if spec.name == "trace":
            body += [f'<h2 id="trace">{text(spec.page)}</h2>',
                     "".join(traces) or "<p class=\"note\">no numeric credences to chart</p>"]
            if p.traces_left_out:
                body.append(f'<p class="note">Traces of the {len(p.traces):,} cruxes with the '
                            f"most statements; {p.traces_left_out:,} more are left out. "
                            "<code>cruxcli report --all</code> draws them all.</p>")
        elif spec.page and spec.name in p.reports:
            body += [f'<h2 id="{spec.name}">{text(spec.page)}</h2>',
                     report_html(p.reports[spec.name], most)]
    if gone := retracted_sheet(d, d.cruxes):
        body += ["<h2 id=\"retracted\">Retracted</h2>", sheet_html(gone, most)]
    if pledged := pledges_sheet(p.pledged, "Every pledge and where it stands"):
        body += ["<h2 id=\"pledges\">Pledged updates</h2>", sheet_html(pledged, most)]
    body += ["<h2 id=\"sources\">Sources</h2>", sources(d, None if p.complete else MAX_SOURCES)]
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>{text(d.title)}</title><style>{STYLE}</style></head><body><main>"
            + "".join(body) + "<footer><p class=\"note\">Made by cruxcli from the debate file; "
            "every number as in <code>cruxcli show</code>, <code>summary</code>, "
            "<code>trace</code> and <code>score</code>.</p></footer></main></body></html>\n")


#: What a page shows of a large debate unless asked for all: traces of the most active
#: cruxes, the latest credences in the sources list, and the first rows of each table and of
#: the crux tree (every figure uses every credence).
MAX_TRACES, MAX_SOURCES, MAX_ROWS = 24, 2_000, 1_000
#: Series on one chart, unless --all: past 40, two series share both a colour and a dash
#: (charts.model's styles), and a reader can no longer tell them apart.
MAX_SERIES = 40


def busiest(t: Trace, most: int) -> Trace:
    """The trace with only its `most` series with the most statements (in display order)."""
    if len(t.lines) <= most:
        return t
    kept = {id(ln) for ln in sorted(t.lines, key=lambda ln: -len(ln.steps))[:most]}
    return t._replace(lines=[ln for ln in t.lines if id(ln) in kept])


def traced(d: Debate, most: int | None = None) -> tuple[list[str], int]:
    """The cruxes worth a chart (those with a number on them), in display order: the `most`
    with the most statements, if given; and how many were left out."""
    counts: dict[str, int] = {}
    for e in d.entries:
        if e.credence.value is not None:
            counts[e.crux] = counts.get(e.crux, 0) + 1
    chosen = set(counts) if most is None or len(counts) <= most else \
        set(sorted(counts, key=lambda c: -counts[c])[:most])
    return [c for c, _ in crux_order(d) if c in chosen], len(counts) - len(chosen)
