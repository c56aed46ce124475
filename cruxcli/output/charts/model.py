"""What a trace chart shows, whoever draws it (terminal, SVG, PNG). Pure.

Every statement is drawn as what it is: a number as a dot; a bound ("<1%") as an open mark at
the bound with a tick toward the side it admits; a range ("2-5%") as an interval; a verbal
term as a diamond at its scale's value (a computed value, marked †); a direction-only update
("lower") as an arrow, never at a level that would read as a number: on its line's last
number, or in a strip of its own for a line with no number at all. A resolved crux is a
vertical line with its outcome. Every text says the statement as stated.

Series are told apart by more than colour: each has a letter (at its line's end and in the
legend) and a dash pattern, and no two of the first 40 share both colour and dash.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from cruxcli.core.model import Entry
from cruxcli.core.outcomes import latest_resolutions
from cruxcli.core.text import clean
from cruxcli.core.when import shifted
from cruxcli.output.charts.axes import FINEST, UNITS
from cruxcli.reports.trace import Trace

#: Line colours for SVG and PNG: ten hues that read on light and dark backgrounds.
HUES = ["#1f77b4", "#d95f02", "#1b9e77", "#c2187a", "#0e8a8a", "#9a7d0a", "#d62728",
        "#5b4fc4", "#8c564b", "#4a7c14"]
#: Dash patterns (SVG stroke-dasharray; matplotlib takes the same numbers).
DASHES: list[tuple[int, ...]] = [(), (6, 3), (2, 3), (8, 3, 2, 3)]

#: What each kind of mark means: the one key every chart prints for the kinds it draws.
MEANING = {
    "point": "a stated number",
    "upper": "an upper bound ({}): marked at the bound, with a tick toward the values it admits",
    "lower": "a lower bound ({}): marked at the bound, with a tick toward the values it admits",
    "range": "a range ({}): the interval stated, its line at the log-odds midpoint",
    "verbal": "a verbal term ({}): drawn at its scale's value, which the speaker did not state",
    "direction": "a direction-only update (no number), on its line's last number",
    "strip": "statements with no number (a direction, or words kept as words), below the chart",
    "resolved": "the crux resolved: the outcome, from that date",
}
EDGE_NOTE = ("0% and 100% lie infinitely far out on a log-odds axis: they are drawn on the "
             "bottom and top edges")


class Style(NamedTuple):
    hue: int  # index into HUES (the terminal has its own palette of as many)
    dash: tuple[int, ...]
    tag: str  # "A", "B", ... "Z", "AA", ...: at the line's end and in the legend


def style(i: int) -> Style:
    """The i-th series' style: hue and dash cycle out of step, so (hue, dash) repeats only
    after len(HUES) * len(DASHES) series; the tag never repeats."""
    tag, n = "", i
    while True:
        tag = chr(65 + n % 26) + tag
        n = n // 26 - 1
        if n < 0:
            break
    return Style(i % len(HUES), DASHES[(i + i // len(HUES)) % len(DASHES)], tag)


class Mark(NamedTuple):
    """One statement with a number, as drawn."""

    when: dt.datetime
    value: float  # the level the line takes (a bound's bound, a range's midpoint, ...)
    kind: str  # "point", "upper", "lower", "range" or "verbal"
    low: float
    high: float
    words: str  # as stated: "<1%", "likely†" (the † where the number is a scale's)
    stated: str  # with when: "<1% (2023)", "likely† (2024-01-01)", "~2% (2026, about 2024)"


class Series(NamedTuple):
    label: str
    style: Style
    xs: list[dt.datetime]  # step corners: each value holds until the next statement
    ys: list[float]  # probabilities
    marks: list[Mark]
    directions: list[tuple[dt.datetime, float, int, str]]  # (when, last number, ±1, stated)

    @property
    def stated(self) -> list[str]:
        return [m.stated for m in self.marks]


class Event(NamedTuple):
    """A statement with no number that cannot sit on a line (a direction with no number
    before it; words a debate keeps with no number): drawn in a strip under the chart."""

    label: str
    when: dt.datetime
    direction: int  # -1 or +1; 0 for words with no number
    stated: str
    written: str  # the date as given, e.g. "2026"

    @property
    def glyph(self) -> str:
        return "▼" if self.direction < 0 else "▲" if self.direction > 0 else "◇"


class Resolved(NamedTuple):
    crux: str
    when: dt.datetime
    outcome: str  # "yes", "no" or "annulled"
    written: str  # the date as given

    @property
    def text(self) -> str:
        return f"{self.crux} resolved {self.outcome} ({self.written})"


class Chart(NamedTuple):
    series: list[Series]
    events: list[Event]
    resolved: list[Resolved]
    start: dt.datetime
    end: dt.datetime
    finest: str  # the finest date unit the statements are written to (axes.UNITS)

    @property
    def values(self) -> list[float]:
        """Every level drawn, for the probability axis: ranges' ends included."""
        return [v for s in self.series for m in s.marks
                for v in ((m.value, m.low, m.high) if m.kind == "range" else (m.value,))]

    @property
    def at_edges(self) -> bool:
        return any(y in (0.0, 1.0) for s in self.series for y in s.ys)

    def key(self) -> list[tuple[str, str]]:
        """(kind, what it means) for every kind of mark drawn but a plain number, in MEANING's
        order, each with the statements of that kind that this chart draws."""
        said: dict[str, list[str]] = {}
        for s in self.series:
            for m in s.marks:
                if m.words not in said.setdefault(m.kind, []):
                    said[m.kind].append(m.words)
        return [(k, MEANING[k].format(", ".join(said.get(k, [])[:3])
                                      + (", ..." if len(said.get(k, [])) > 3 else "")))
                for k in self.kinds]

    @property
    def kinds(self) -> list[str]:
        """The kinds of mark drawn, in MEANING's order: what the key must explain."""
        drawn = {m.kind for s in self.series for m in s.marks}
        drawn |= {"direction"} if any(s.directions for s in self.series) else set()
        drawn |= {"resolved"} if self.resolved else set()
        drawn |= {"strip"} if self.events else set()
        return [k for k in MEANING if k in drawn and k != "point"]


def words(e: Entry) -> str:
    """A statement as stated, † where its number is a verbal term's scale value."""
    return clean(f"{e.credence.text}{'†' * e.credence.on_scale}", True)


def said(e: Entry) -> str:
    """A statement as stated, with when: what every chart text quotes."""
    about = f", about {e.about.text}" if e.about is not None else ""
    return f"{words(e)} ({clean(e.when.text, True)}{clean(about, True)})"


def chart(t: Trace) -> Chart:
    """The trace as drawn: its numeric series, its direction-only strip, its resolutions, and
    the time span, extended a little past the last date."""
    entries = [s.entry for ln in t.lines for s in ln.steps]
    limit = t.until.end if t.until is not None else None
    standing = latest_resolutions(t.debate.resolutions, limit)
    resolved = [Resolved(clean(c, True), r.when.start, r.outcome, clean(r.when.text, True))
                for c, r in standing.items() if c in t.cruxes]
    whens = [e.when for e in entries] + [r.when for c, r in standing.items() if c in t.cruxes]
    if not whens:
        now = dt.datetime(2000, 1, 1)
        return Chart([], [], [], now, now, "year")
    finest = min((FINEST[w.precision] for w in whens), key=UNITS.index)
    start = min(w.start for w in whens)
    last = max(w.start for w in whens)
    end = max([last] + [w.end for w in whens if not w.open_ended and w.end != dt.datetime.max])
    if t.until is not None:
        end = max(end, min(t.until.end, last + (last - start) / 4))
    end = shifted(end, max((end - start) / 12, dt.timedelta(days=1)))  # room after the last
    series: list[Series] = []
    events: list[Event] = []
    for ln in t.lines:
        line = _series(ln.label, style(len(series)), [s.entry for s in ln.steps], end)
        events += line[1]
        if line[0] is not None:
            series.append(line[0])
    return Chart(series, events, resolved, start, end, finest)


def _series(label: str, look: Style, entries: list[Entry], end: dt.datetime
            ) -> tuple[Series | None, list[Event]]:
    """A line's numeric series (None if it has no number), and the statements that cannot sit
    on it: words kept with no number, and directions before its first number."""
    xs: list[dt.datetime] = []
    ys: list[float] = []
    marks, arrows, events = [], [], []
    for e in entries:
        c, when = e.credence, e.when.start
        if c.value is None:
            if ys and c.direction:
                arrows.append((when, ys[-1], c.direction, said(e)))
            else:
                events.append(Event(clean(label, True), when, c.direction,
                                    clean(c.text, True), clean(e.when.text, True)))
            continue
        if ys:
            xs.append(when)
            ys.append(ys[-1])
        xs.append(when)
        ys.append(c.value)
        kind = c.kind if c.kind in ("upper", "lower", "range", "verbal") else "point"
        low = c.low if c.low is not None else c.value
        high = c.high if c.high is not None else c.value
        marks.append(Mark(when, c.value, kind, low, high, words(e), said(e)))
    if not ys:
        return None, events
    xs.append(end)
    ys.append(ys[-1])
    return Series(clean(label, True), look, xs, ys, marks, arrows), events
