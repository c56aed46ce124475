"""Charts as text that fits the terminal, with plotext (imported only when a chart is drawn),
on the terminal's own background; ANSI colour only when asked. The marks are model.py's, in
characters: a series by its symbol (and colour), a bound ┬ ┴, a range │, a verbal term †, a
direction v ^, a resolution ┆."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from cruxcli.core.credence import logit
from cruxcli.core.text import clean
from cruxcli.output.charts.axes import date_ticks, percent, probability_axis
from cruxcli.output.charts.model import EDGE_NOTE, chart
from cruxcli.reports.trace import Trace

#: A series' symbol: the line is drawn with it. "v" and "^" are directions, so never a symbol.
SYMBOLS = "ox+*#@%&=~ABCDEFGHIJKLMNOPQRSTUWXYZ"
GLYPH = {"upper": "┬", "lower": "┴", "verbal": "†", "range": "│", "resolved": "┆"}
# Terminal colours (xterm 256-colour codes) of middle lightness, which read on dark and light
# backgrounds alike (checked on both: docs/trace.md): blue, orange, green, magenta, teal, ...
COLOURS = [33, 166, 34, 163, 37, 136, 160, 61, 130, 29, 125, 24]


def _figure(width: int, height: int, color: bool) -> Any:
    import plotext

    fig = plotext.figure
    fig.clear()
    fig.theme("simple" if color else "colorless")  # "simple": no background colours at all
    fig.plot_size(max(width, 40), height)
    return fig


def _marker(symbol: str, colour: int | None) -> Any:
    from plotext._primitives.marker import marker as Marker
    from plotext._primitives.pixel import pixel as Pixel

    return Marker(symbol, Pixel(foreground=colour) if colour is not None else Pixel())


def terminal_chart(t: Trace, width: int, height: int = 18, color: bool = False) -> str:
    """The chart as text that fits `width` columns."""
    c = chart(t)
    if not c.series and not c.events:
        return ""
    fig = _figure(width, height, color)
    total = (c.end - c.start).total_seconds() or 1.0

    def x(when: dt.datetime) -> float:
        return (when - c.start).total_seconds() / total

    fig.ruler("x").lim(-0.02, 1.0)
    ticks = date_ticks(c.start, c.end, max(width, 40) - 8, c.finest)
    fig.ruler("x").ticks([x(w) for w, _ in ticks], [label for _, label in ticks])
    yticks, bottom, top = probability_axis(c.values)
    fig.ruler("y").lim(bottom, top)
    fig.ruler("y").ticks([logit(p) for p in yticks], [percent(p) for p in yticks])

    def level(p: float) -> float:
        return min(max(logit(p), bottom), top)  # 0% and 100% on the edges (EDGE_NOTE)

    def draw(xs: list[float], ys: list[float], symbol: str, colour: int | None,
             joined: bool = False) -> None:
        signal = fig.signal(xs, ys, marker=_marker(symbol, colour))
        if joined:
            signal.lines()
        fig.draw(signal)

    for r in c.resolved:
        draw([x(r.when)] * 2, [bottom, top], GLYPH["resolved"], None, joined=True)
    drawn, legend = c.series[:len(SYMBOLS)], []
    for i, s in enumerate(drawn):
        colour = COLOURS[i % len(COLOURS)] if color else None
        draw([x(w) for w in s.xs], [level(y) for y in s.ys], SYMBOLS[i], colour, joined=True)
        for m in s.marks:
            if m.kind == "range":
                draw([x(m.when)] * 2, [level(m.low), level(m.high)], GLYPH["range"], colour,
                     joined=True)
                draw([x(m.when)], [level(m.value)], SYMBOLS[i], colour)
            elif m.kind in GLYPH:
                draw([x(m.when)], [level(m.value)], GLYPH[m.kind], colour)
        for when, at, direction, _ in s.directions:
            draw([x(when)], [level(at)], "v" if direction < 0 else "^", colour)
        legend.append(_ink(f"  {SYMBOLS[i]} {s.label}", colour))
    title = textwrap.fill(clean(f"Credence over time, log-odds scale: {', '.join(t.cruxes)}",
                                True), width, break_on_hyphens=False)
    notes = []
    if len(c.series) > len(drawn):
        notes.append(f"  {len(c.series) - len(drawn)} more lines are not drawn (a terminal "
                     "has too few symbols to tell them apart): narrow with --who or --crux, or "
                     "use --plot")
    glyphs = dict(GLYPH, direction="v ^")
    notes += [f"  {glyphs[k]} {meaning}" for k, meaning in c.key() if k != "strip"]
    notes += [f"    ┆ {r.text}" for r in c.resolved]
    if c.events:
        notes.append("  With no number, so on no line (a direction, or words kept as words):")
        notes += [f"    {'v' if e.direction < 0 else '^' if e.direction > 0 else '-'} "
                  f"{e.written}  {e.label}: {e.stated}" for e in c.events]
    if c.at_edges:
        notes.append("  " + EDGE_NOTE)
    wrapped = [textwrap.fill(line, width, subsequent_indent="      ", break_on_hyphens=False)
               for line in legend + notes]
    return "\n".join([title, fig.build().string(colorless=not color), *wrapped])


def _ink(text: str, colour: int | None) -> str:
    """`text` in a 256-colour terminal foreground."""
    if colour is None:
        return text
    return f"\x1b[38;5;{colour}m{text}\x1b[0m"  # as plotext colours the lines


def calibration_chart(bins: list[Any], width: int, height: int = 16, color: bool = False
                      ) -> str:
    """Mean stated probability (x) against the share that resolved yes (y), per bin and
    participant, with the diagonal of perfect calibration; as text that fits `width`."""
    if not bins:
        return ""
    fig = _figure(width, height, color)
    fig.ruler("x").lim(0.0, 1.0)
    fig.ruler("y").lim(0.0, 1.0)
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    fig.ruler("x").ticks(ticks, [f"{t:.0%}" for t in ticks])
    fig.ruler("y").ticks(ticks, [f"{t:.0%}" for t in ticks])
    steps = [k / 40 for k in range(41)]
    fig.draw(fig.signal(steps, steps, marker=_marker(".", None)))
    people = list(dict.fromkeys(b.who for b in bins))
    legend = ["  . perfect calibration;  │ each bin's 95% interval (Wilson) of the share "
              "that resolved yes"]
    for i, who in enumerate(people[:len(SYMBOLS)]):
        colour = COLOURS[i % len(COLOURS)] if color else None
        mine = [b for b in bins if b.who == who]
        for b in mine:  # the bin's 95% interval, under its point
            low, high = b.interval
            fig.draw(fig.signal([b.mean_stated] * 2, [low, high],
                                marker=_marker("│", colour)).lines())
        fig.draw(fig.signal([b.mean_stated for b in mine], [b.observed for b in mine],
                            marker=_marker(SYMBOLS[i], colour)))
        legend.append(_ink(f"  {SYMBOLS[i]} {clean(who, True)}", colour))
    if len(people) > len(SYMBOLS):
        legend.append(f"  {len(people) - len(SYMBOLS)} more participants are not drawn: "
                      "narrow with --who, or use --plot")
    title = "Calibration: mean stated (across) against the share that resolved yes (up)"
    return "\n".join([textwrap.fill(title, width), fig.build().string(colorless=not color),
                      *legend])
