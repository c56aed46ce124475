"""Charts of a trace: time on x, probability on a log-odds axis labelled in percent, one step
line per participant and crux. In the terminal with plotext; as SVG or PNG with matplotlib (the
optional `plot` extra). Both imported only when a chart is drawn; this module writes no file.

Direction-only statements ("lower") carry no number, so they are never drawn at a level that
would read as one: on a line with numbers they sit on that line's last number, in its colour;
a line with no number at all gets a strip of its own under the chart.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from typing import Any, NamedTuple

from cruxcli.core.credence import logit
from cruxcli.core.text import clean
from cruxcli.core.when import shifted
from cruxcli.reports.trace import Trace

TICKS = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99]
MARKERS = "ox+*#@%&=~"
# Terminal colours (xterm 256-colour codes) of middle lightness, which read on dark and light
# backgrounds alike (checked on both: docs/trace.md): blue, orange, green, magenta, teal, ...
COLOURS = [33, 166, 34, 163, 37, 136, 160, 61, 130, 29, 125, 24]
EDGE_NOTE = ("0% and 100% lie infinitely far out on a log-odds axis: they are drawn on the "
             "bottom and top edges")


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


class Series(NamedTuple):
    label: str
    xs: list[dt.datetime]  # step corners: each value holds until the next statement
    ys: list[float]  # probabilities
    points: list[tuple[dt.datetime, float]]  # the statements themselves
    directions: list[tuple[dt.datetime, float, int]]  # (when, last number, -1 or +1)
    stated: list[str] = []  # each point as stated, with its date ("<1% (2023-05)"), † where
    # the number is a verbal term's scale value: what a text alternative reads


class Event(NamedTuple):
    """A direction-only statement in a line with no number at all: drawn in a strip."""

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
    """The numeric steps of every line, extended a little past the last date in the trace."""
    dates = [s.entry.when.start for ln in t.lines for s in ln.steps]
    if not dates:
        now = dt.datetime(2000, 1, 1)
        return [], now, now
    start, end = min(dates), max(dates)
    if t.until is not None:
        end = max(end, min(t.until.end, max(dates) + (max(dates) - start) / 4))
    end = shifted(end, max((end - start) / 12, dt.timedelta(days=1)))  # room after the last
    out = []
    for ln in t.lines:
        xs: list[dt.datetime] = []
        ys: list[float] = []
        arrows = []
        said = []
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
            said.append(clean(f"{c.text}{'†' * c.on_scale} ({s.entry.when.text})", True))
        if ys:
            xs.append(end)
            ys.append(ys[-1])
            points = [(x, y) for x, y in zip(xs[:-1:2], ys[:-1:2], strict=True)]
            out.append(Series(clean(ln.label, True), xs, ys, points, arrows, said))
    return out, start, end


def log_odds_axis(lines: list[Series]) -> tuple[float, float, float, float]:
    """The lowest and highest value strictly between 0 and 1 (what a log-odds axis can show),
    and the axis's ends in log odds around them: the one scaling of every trace chart."""
    inner = [y for s in lines for y in s.ys if 0.0 < y < 1.0]
    lo, hi = min(inner + [0.01]), max(inner + [0.5])
    return lo, hi, logit(lo) - 0.7, logit(hi) + 0.7


def labelled_axis(lines: list[Series]) -> tuple[float, float]:
    """log_odds_axis's ends, widened to the labelled ticks on either side of the data, so
    that every value read off the chart lies between two labels (60-70% between 50% and
    90%). For the page's charts; the terminal's 18 rows keep the tighter range, where every
    row counts."""
    lo, hi, bottom, top = log_odds_axis(lines)
    below = max((t for t in TICKS if t <= lo), default=TICKS[0])
    above = min((t for t in TICKS if t >= hi), default=TICKS[-1])
    return min(bottom, logit(below)), max(top, logit(above))


def _at_edges(lines: list[Series]) -> bool:
    return any(y in (0.0, 1.0) for s in lines for y in s.ys)


def _pct(p: float) -> str:
    return f"{p * 100:g}%"


# ---------------------------------------------------------------------------- date ticks

_STEPS: list[tuple[str, int, str]] = [  # unit, how many, label format
    ("hour", 1, "%m-%d %H:%M"), ("hour", 3, "%m-%d %H:%M"), ("hour", 6, "%m-%d %H:%M"),
    ("hour", 12, "%m-%d %H:%M"), ("day", 1, "%Y-%m-%d"), ("day", 2, "%Y-%m-%d"),
    ("day", 7, "%Y-%m-%d"), ("day", 14, "%Y-%m-%d"), ("month", 1, "%Y-%m"),
    ("month", 2, "%Y-%m"), ("month", 3, "%Y-%m"), ("month", 6, "%Y-%m"), ("year", 1, "%Y"),
    ("year", 2, "%Y"), ("year", 5, "%Y"), ("year", 10, "%Y"), ("year", 20, "%Y"),
    ("year", 50, "%Y"), ("year", 100, "%Y"), ("year", 500, "%Y"), ("year", 1000, "%Y"),
]


def _first(start: dt.datetime, unit: str, n: int) -> dt.datetime:
    """The first boundary of `n` `unit`s at or after `start`."""
    if unit == "hour":
        t = start.replace(minute=0, second=0, microsecond=0)
        while t < start or t.hour % n:
            t += dt.timedelta(hours=1)
        return t
    if unit == "day":
        t = dt.datetime(start.year, start.month, start.day)
        return t if t >= start else t + dt.timedelta(days=1)
    if unit == "month":
        months = start.year * 12 + start.month - 1
        if dt.datetime(start.year, start.month, 1) < start:
            months += 1
        months += -months % n
        return dt.datetime(months // 12, months % 12 + 1, 1)
    year = start.year + (dt.datetime(start.year, 1, 1) < start)
    return dt.datetime(year + (-year % n), 1, 1)


def _after(t: dt.datetime, unit: str, n: int) -> dt.datetime:
    if unit == "hour":
        return t + dt.timedelta(hours=n)
    if unit == "day":
        return t + dt.timedelta(days=n)
    if unit == "month":
        months = t.year * 12 + t.month - 1 + n
        return dt.datetime(months // 12, months % 12 + 1, 1)
    return dt.datetime(t.year + n, 1, 1)


def date_ticks(start: dt.datetime, end: dt.datetime, room: int) -> list[tuple[dt.datetime, str]]:
    """Evenly stepped, distinct, readable date ticks within [start, end] for an axis `room`
    characters wide: hours for a day, days for weeks, months for years, years for decades."""
    for unit, n, form in _STEPS:
        width = len(dt.datetime(2000, 12, 31, 23).strftime(form)) + 3
        ticks: list[tuple[dt.datetime, str]] = []
        try:
            t = _first(start, unit, n)
            while t <= end and len(ticks) <= room // width:
                ticks.append((t, t.strftime(form)))
                t = _after(t, unit, n)
        except (ValueError, OverflowError):  # past year 9999: the ticks so far are all
            pass
        if len(ticks) >= 2 and len(ticks) <= max(room // width, 2):
            return ticks
    # too short or too narrow for two even steps: label the two ends, as finely as they differ
    for form in ("%Y", "%Y-%m", "%Y-%m-%d", "%m-%d %H:%M", "%H:%M:%S"):
        if start.strftime(form) != end.strftime(form):
            return [(start, start.strftime(form)), (end, end.strftime(form))]
    return [(start, start.strftime("%Y-%m-%d %H:%M"))]


# ------------------------------------------------------------------------------ terminal

def terminal_chart(t: Trace, width: int, height: int = 18, color: bool = False) -> str:
    """The chart as text that fits `width` columns, on the terminal's own background; ANSI
    colour only if `color`."""
    import plotext
    from plotext._primitives.marker import marker as Marker
    from plotext._primitives.pixel import pixel as Pixel

    lines, start, end = series(t)
    marks = events(t)
    if not lines and not marks:
        return ""
    fig = plotext.figure
    fig.clear()
    fig.theme("simple" if color else "colorless")  # "simple": no background colours at all
    fig.plot_size(max(width, 40), height)
    total = (end - start).total_seconds() or 1.0

    def x(when: dt.datetime) -> float:
        return (when - start).total_seconds() / total

    fig.ruler("x").lim(-0.02, 1.0)
    ticks = date_ticks(start, end, max(width, 40) - 8)
    fig.ruler("x").ticks([x(w) for w, _ in ticks], [label for _, label in ticks])
    lo, hi, bottom, top = log_odds_axis(lines)
    fig.ruler("y").lim(bottom, top)
    yticks = [p for p in TICKS if lo / 2 <= p <= min(0.999, hi * 2)] or TICKS
    fig.ruler("y").ticks([logit(p) for p in yticks], [_pct(p) for p in yticks])

    def level(p: float) -> float:
        return min(max(logit(p), bottom), top)  # 0% and 100% on the edges (EDGE_NOTE)

    legend = []
    for i, s in enumerate(lines):
        symbol, colour = MARKERS[i % len(MARKERS)], COLOURS[i % len(COLOURS)] if color else None
        ink = Pixel(foreground=colour) if colour is not None else Pixel()
        signal = fig.signal([x(w) for w in s.xs], [level(y) for y in s.ys],
                            marker=Marker(symbol, ink))
        signal.lines()
        fig.draw(signal)
        for when, at, direction in s.directions:
            fig.draw(fig.signal([x(when)], [level(at)],
                                marker=Marker("v" if direction < 0 else "^", ink)))
        legend.append(_ink(f"  {symbol} {s.label}", colour))
    title = textwrap.fill(clean(f"Credence over time, log-odds scale: {', '.join(t.cruxes)}",
                                True), width, break_on_hyphens=False)
    notes = []
    if any(s.directions for s in lines):
        notes.append("  v ^ on a line: a direction-only update (no number), at its last number")
    if marks:
        notes.append("  Direction only, no number at all:")
        notes += [f"    {'v' if m.direction < 0 else '^'} {m.written}  {m.label}: {m.stated}"
                  for m in marks]
    if _at_edges(lines):
        notes.append("  " + EDGE_NOTE)
    wrapped = [textwrap.fill(line, width, subsequent_indent="      ", break_on_hyphens=False)
               for line in notes]
    return "\n".join([title, fig.build().string(colorless=not color), *legend, *wrapped])


def _ink(text: str, colour: int | None) -> str:
    """`text` in a 256-colour terminal foreground."""
    if colour is None:
        return text
    return f"\x1b[38;5;{colour}m{text}\x1b[0m"  # as plotext colours the lines


# ------------------------------------------------------------------------- SVG and PNG

def plot_image(t: Trace, fmt: str) -> bytes:
    """The chart as an image file's bytes ("svg" or "png"); PlotUnavailable without matplotlib.
    The caller writes it: output/ never touches the disk."""
    fig = chart_figure(t)  # first: it raises PlotUnavailable without matplotlib
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def chart_figure(t: Trace) -> Any:
    """The chart as a matplotlib Figure: the main axes (`fig.axes[0]`), a strip for lines
    with no number (`fig.axes[1]`, if any), and the legend below both."""
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("--plot needs matplotlib: pip install 'cruxcli[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, NullLocator

    lines, start, end = series(t)
    marks = events(t)
    strips = list(dict.fromkeys(m.label for m in marks))
    entries = len(lines) + len(strips)
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        fig = Figure(figsize=(9, 5 + 0.22 * entries + 0.3 * len(strips)), layout="constrained")
        if strips:
            ax, strip = fig.subplots(2, 1, sharex=True, height_ratios=[6, 0.5 + 0.4 * len(strips)])
        else:
            ax, strip = fig.add_subplot(), None
        ax.set_yscale("logit")
        lo, hi, _, _ = log_odds_axis(lines)
        low, high = max(lo / 3, 1e-12), min(1 - (1 - hi) / 3, 1 - 1e-12)

        def level(p: float) -> float:
            return min(max(p, low), high)  # 0% and 100% on the edges (EDGE_NOTE)

        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        for i, s in enumerate(lines):
            colour = cycle[i % len(cycle)]
            ax.step(s.xs, [level(y) for y in s.ys], where="post", label=s.label, linewidth=2,
                    color=colour)
            ax.plot([w for w, _ in s.points], [level(y) for _, y in s.points], "o",
                    color=colour)
            for when, at, direction in s.directions:
                ax.plot([when], [level(at)], "v" if direction < 0 else "^", markersize=10,
                        color=colour, markeredgecolor="white")
        ax.set_ylim(low, high)
        ax.yaxis.set_major_locator(FixedLocator(TICKS))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticklabels([_pct(p) for p in TICKS])
        pad = max((end - start) * 0.03, dt.timedelta(hours=6))
        ax.set_xlim(shifted(start, -pad), end)
        locator = AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.grid(True, alpha=0.3)
        ax.set_ylabel("credence (log-odds scale)")
        if strip is not None:
            for row, name in enumerate(strips):
                colour = cycle[(len(lines) + row) % len(cycle)]
                mine = [m for m in marks if m.label == name]
                for m in mine:
                    strip.plot([m.when], [row], "v" if m.direction < 0 else "^",
                               markersize=10, color=colour)
                strip.plot([], [], "v", color=colour,
                           label=f"{name}: {', '.join(m.stated for m in mine)} (no number)")
            strip.set_ylim(len(strips) - 0.3, -0.7)  # the first line on top, as in the legend
            strip.set_yticks([])
            strip.set_ylabel("direction\nonly", rotation=0, ha="right", va="center",
                             fontsize="small")
            strip.grid(True, axis="x", alpha=0.3)
        fig.suptitle(textwrap.fill(clean(t.debate.title, True), 80, break_on_hyphens=False))
        ax.set_title(textwrap.fill(clean("How credences moved: " + ", ".join(t.cruxes), True),
                                   100, break_on_hyphens=False), fontsize="small")
        handles, labels = ax.get_legend_handles_labels()
        if strip is not None:
            more = strip.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if handles:
            fig.legend(handles, labels, loc="outside lower center", fontsize="small",
                       frameon=False)
        if _at_edges(lines):
            fig.text(0.01, 0.005, EDGE_NOTE, fontsize="small", color="0.35")
    return fig


# ------------------------------------------------------------------------- calibration

def calibration_chart(bins: list[Any], width: int, height: int = 16, color: bool = False
                      ) -> str:
    """Mean stated probability (x) against the share that resolved yes (y), per bin and
    participant, with the diagonal of perfect calibration; as text that fits `width`."""
    import plotext
    from plotext._primitives.marker import marker as Marker
    from plotext._primitives.pixel import pixel as Pixel

    if not bins:
        return ""
    fig = plotext.figure
    fig.clear()
    fig.theme("simple" if color else "colorless")
    fig.plot_size(max(width, 40), height)
    fig.ruler("x").lim(0.0, 1.0)
    fig.ruler("y").lim(0.0, 1.0)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    fig.ruler("x").ticks(ticks, [f"{t:.0%}" for t in ticks])
    fig.ruler("y").ticks(ticks, [f"{t:.0%}" for t in ticks])
    steps = [k / 40 for k in range(41)]
    fig.draw(fig.signal(steps, steps, marker=Marker(".", Pixel())))
    people = list(dict.fromkeys(b.who for b in bins))
    legend = ["  . perfect calibration"]
    for i, who in enumerate(people):
        symbol, colour = MARKERS[i % len(MARKERS)], COLOURS[i % len(COLOURS)] if color else None
        ink = Pixel(foreground=colour) if colour is not None else Pixel()
        mine = [b for b in bins if b.who == who]
        fig.draw(fig.signal([b.mean_stated for b in mine], [b.observed for b in mine],
                            marker=Marker(symbol, ink)))
        legend.append(_ink(f"  {symbol} {clean(who, True)}", colour))
    title = "Calibration: mean stated (across) against the share that resolved yes (up)"
    return "\n".join([textwrap.fill(title, width), fig.build().string(colorless=not color),
                      *legend])


def calibration_image(bins: list[Any], title: str, fmt: str) -> bytes:
    """The calibration chart as SVG or PNG bytes; PlotUnavailable without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("--plot needs matplotlib: pip install 'cruxcli[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
        fig = Figure(figsize=(6.5, 6.5), layout="constrained")
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], ":", color="0.5", label="perfect calibration")
        for who in dict.fromkeys(b.who for b in bins):
            mine = [b for b in bins if b.who == who]
            ax.scatter([b.mean_stated for b in mine], [b.observed for b in mine],
                       s=[30 + 15 * b.n for b in mine], label=clean(who, True), alpha=0.8)
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("mean stated probability (per bin)")
        ax.set_ylabel("share that resolved yes")
        ax.grid(True, alpha=0.3)
        fig.suptitle(textwrap.fill(clean(title, True), 60, break_on_hyphens=False))
        ax.set_title("calibration; marker size: forecasts in the bin", fontsize="small")
        fig.legend(loc="outside lower center", fontsize="small", frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
    return buffer.getvalue()
