"""Charts of a trace: time on x, probability on a log-odds axis labelled in percent, one step
line per participant. In the terminal with plotext; as SVG or PNG with matplotlib (the optional
`plot` extra). Both imported only when a chart is drawn."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import NamedTuple

from cruxcli.core.credence import logit
from cruxcli.core.text import clean
from cruxcli.reports.trace import Trace

TICKS = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99]
MARKERS = "ox+*#@%&=~"


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


class Series(NamedTuple):
    label: str
    xs: list[dt.datetime]  # step corners: each value holds until the next statement
    ys: list[float]  # probabilities
    points: list[tuple[dt.datetime, float]]  # the statements themselves
    directions: list[tuple[dt.datetime, float, int]]  # (when, level, -1 or +1)


class Event(NamedTuple):
    """A direction-only update in a line with no number at all: drawn on the time axis."""

    label: str
    when: dt.datetime
    direction: int
    stated: str
    written: str  # the date as given, e.g. "2026"


def events(t: Trace) -> list[Event]:
    return [Event(clean(ln.label, True), s.entry.when.start, s.entry.credence.direction,
                  clean(s.entry.credence.text, True), clean(s.entry.when.text, True))
            for ln in t.lines if not ln.numeric for s in ln.steps]


def series(t: Trace) -> tuple[list[Series], dt.datetime, dt.datetime]:
    """The numeric steps of every line, extended to the last date in the trace."""
    dates = [s.entry.when.start for ln in t.lines for s in ln.steps]
    if not dates:
        return [], dt.datetime.now(), dt.datetime.now()
    start, end = min(dates), max(dates)
    if t.until is not None:
        end = max(end, min(t.until.end, dt.datetime.now()))
    end = max(end + (end - start) / 12, start + dt.timedelta(days=30))  # room after the last
    out = []
    for ln in t.lines:
        xs: list[dt.datetime] = []
        ys: list[float] = []
        arrows = []
        for s in ln.steps:
            c, when = s.entry.credence, s.entry.when.start
            if c.value is None:
                if ys:
                    arrows.append((when, ys[-1], c.direction))
                continue
            if ys:
                xs.append(when)
                ys.append(ys[-1])
            xs.append(when)
            ys.append(c.value)
        if ys:
            xs.append(end)
            ys.append(ys[-1])
            points = [(x, y) for x, y in zip(xs[:-1:2], ys[:-1:2], strict=True)]
            out.append(Series(clean(ln.label, True), xs, ys, points, arrows))
    return out, start, end


EDGE_NOTE = ("0% and 100% lie infinitely far out on a log-odds axis: they are drawn on the "
             "bottom and top edges")


def _span(lines: list[Series]) -> tuple[float, float]:
    """The lowest and highest value strictly between 0 and 1 (what a log-odds axis can show)."""
    inner = [y for s in lines for y in s.ys if 0.0 < y < 1.0]
    return min(inner + [0.01]), max(inner + [0.5])


def _at_edges(lines: list[Series]) -> bool:
    return any(y in (0.0, 1.0) for s in lines for y in s.ys)


def _pct(p: float) -> str:
    return f"{p * 100:g}%"


def terminal_chart(t: Trace, width: int, height: int = 18, color: bool = False) -> str:
    """The chart as text that fits `width` columns; ANSI colour only if `color`."""
    import plotext

    lines, start, end = series(t)
    marks = events(t)
    if not lines and not marks:
        return ""
    fig = plotext.figure
    fig.clear()
    fig.theme("default" if color else "colorless")
    fig.plot_size(max(width, 40), height)
    fig.date("x").activate(form="%Y-%m")
    lo, hi = _span(lines)
    bottom, top = logit(lo) - 0.7, logit(hi) + 0.7
    fig.ruler("y").lim(bottom, top)

    def level(p: float) -> float:
        return min(max(logit(p), bottom), top)  # 0% and 100% on the edges (EDGE_NOTE)

    ticks = [p for p in TICKS if lo / 2 <= p <= min(0.999, hi * 2)] or TICKS
    fig.ruler("y").ticks([logit(p) for p in ticks], [_pct(p) for p in ticks])
    legend = []
    for i, s in enumerate(lines):
        marker = MARKERS[i % len(MARKERS)]
        signal = fig.signal(s.xs, [level(y) for y in s.ys], marker=marker)
        signal.lines()
        fig.draw(signal)
        for when, at, direction in s.directions:
            fig.draw(fig.text(when, level(at), "v" if direction < 0 else "^"))
        legend.append(f"  {marker} {s.label}")
    for m in marks:
        fig.draw(fig.text(m.when, bottom + 0.2, "v" if m.direction < 0 else "^"))
    title = textwrap.fill(clean(f"Credence over time, log-odds scale: {', '.join(t.cruxes)}",
                                True), width, break_on_hyphens=False)
    notes = [f"  {'v' if m.direction < 0 else '^'} {m.label}: {m.stated} (no number), "
             f"{m.written}" for m in marks]
    if any(s.directions for s in lines):
        notes.append("  v ^ on a line: a direction-only update (no number)")
    if _at_edges(lines):
        notes.append("  " + EDGE_NOTE)
    wrapped = [textwrap.fill(line, width, subsequent_indent="      ", break_on_hyphens=False)
               for line in legend + notes]
    return "\n".join([title, fig.build().string(colorless=not color), *wrapped])


def plot_image(t: Trace, fmt: str) -> bytes:
    """The chart as an image file's bytes ("svg" or "png"); PlotUnavailable without matplotlib.
    The caller writes it: output/ never touches the disk."""
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("--plot needs matplotlib: pip install 'cruxcli[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, NullLocator

    lines, start, end = series(t)
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        fig = Figure(figsize=(9, 5), layout="constrained")
        ax = fig.add_subplot()
        ax.set_yscale("logit")
        lo, hi = _span(lines)
        low, high = max(lo / 3, 1e-12), min(1 - (1 - hi) / 3, 1 - 1e-12)

        def level(p: float) -> float:
            return min(max(p, low), high)  # 0% and 100% on the edges (EDGE_NOTE)

        for s in lines:
            (drawn,) = ax.step(s.xs, [level(y) for y in s.ys], where="post", label=s.label,
                               linewidth=2)
            ax.plot([x for x, _ in s.points], [level(y) for _, y in s.points], "o",
                    color=drawn.get_color())
            for when, at, direction in s.directions:
                ax.plot([when], [level(at)], "v" if direction < 0 else "^", markersize=10,
                        color=drawn.get_color())
        ax.set_ylim(low, high)
        if _at_edges(lines):
            fig.text(0.01, 0.005, EDGE_NOTE, fontsize="small", color="0.35")
        ax.yaxis.set_major_locator(FixedLocator(TICKS))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticklabels([_pct(p) for p in TICKS])
        ax.set_xlim(start, end)
        ax.grid(True, alpha=0.3)
        for m in events(t):
            ax.plot([m.when], [0.04], "v" if m.direction < 0 else "^", markersize=11,
                    transform=ax.get_xaxis_transform(), color="0.35", clip_on=False,
                    label=f"{m.label}: {m.stated} (no number)")
        ax.set_ylabel("credence (log-odds scale)")
        ax.set_title(textwrap.fill(clean(f"{t.debate.title}: {', '.join(t.cruxes)}", True), 90,
                                   break_on_hyphens=False),
                     fontsize="medium")
        if lines or events(t):
            ax.legend(loc="best", fontsize="small")
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
    return buffer.getvalue()
