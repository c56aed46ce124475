"""Charts as SVG or PNG with matplotlib (the optional `plot` extra, imported only when a chart
is drawn); this module writes no file. The marks, styles and axes are model.py's and axes.py's,
as in the terminal and on the page."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from cruxcli.core.credence import expit, logit
from cruxcli.core.text import clean
from cruxcli.core.when import shifted
from cruxcli.output.charts.axes import date_ticks, percent, probability_axis, spread
from cruxcli.output.charts.model import EDGE_NOTE, HUES, chart
from cruxcli.reports.trace import Trace

SAFE_TEXT: Any = {"text.parse_math": False, "text.usetex": False}  # file text is not markup


class PlotUnavailable(Exception):
    """matplotlib is not installed."""


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("--plot needs matplotlib: pip install 'cruxcli[plot]'") from None
    matplotlib.use("Agg")
    return matplotlib


def _saved(fig: Any, fmt: str) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(SAFE_TEXT):
        fig.savefig(buffer, format=fmt)
    return buffer.getvalue()


def plot_image(t: Trace, fmt: str) -> bytes:
    """The chart as an image file's bytes ("svg" or "png"); PlotUnavailable without matplotlib."""
    return _saved(chart_figure(t), fmt)


def _bound_marker(direction: int) -> Any:
    """An open circle with a tick toward the admitted side (down for "<1%", up for "80%+")."""
    from matplotlib.path import Path

    tick = Path([(0, -direction), (0, -3.2 * direction)], [Path.MOVETO, Path.LINETO])
    return Path.make_compound_path(Path.unit_circle(), tick)


def _mark_style(kind: str) -> dict[str, Any]:
    """How each kind of statement is drawn (model.MEANING says what each means)."""
    if kind == "upper":
        return {"marker": _bound_marker(1), "markersize": 28, "markerfacecolor": "white"}
    if kind == "lower":
        return {"marker": _bound_marker(-1), "markersize": 28, "markerfacecolor": "white"}
    if kind == "verbal":
        return {"marker": "D", "markersize": 7, "markerfacecolor": "white"}
    if kind == "range":
        return {"marker": "_", "markersize": 10}
    return {"marker": "o", "markersize": 6}


KEY_STYLE: dict[str, dict[str, Any]] = {  # the key's samples of what is not a statement
    "direction": {"marker": "v", "markersize": 8}, "resolved": {"marker": None},
    "range": {"marker": "|", "markersize": 12, "markeredgewidth": 1.5},
    "strip": {"marker": "D", "markerfacecolor": "white"}}


def chart_figure(t: Trace) -> Any:
    """The chart as a matplotlib Figure: the main axes (`fig.axes[0]`), a strip for statements
    with no number (`fig.axes[1]`, if any), and the legend and key below both."""
    matplotlib = _matplotlib()
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, NullLocator

    c = chart(t)
    strips = list(dict.fromkeys(e.label for e in c.events))
    entries = len(c.series) + len(strips) + len(c.kinds)
    with matplotlib.rc_context(SAFE_TEXT):
        fig = Figure(figsize=(9, 5 + 0.22 * entries + 0.3 * len(strips)), layout="constrained")
        if strips:
            ax, strip = fig.subplots(2, 1, sharex=True, height_ratios=[6, 0.5 + 0.4 * len(strips)])
        else:
            ax, strip = fig.add_subplot(), None
        ax.set_yscale("logit")
        ticks, bottom, top = probability_axis(c.values)
        low, high = expit(bottom), expit(top)

        def level(p: float) -> float:
            return min(max(p, low), high)  # 0% and 100% on the edges (EDGE_NOTE)

        for s in c.series:
            colour = HUES[s.style.hue]
            dashes = (0, s.style.dash) if s.style.dash else (0, ())
            ax.step(s.xs, [level(y) for y in s.ys], where="post", linewidth=2, color=colour,
                    linestyle=dashes, label=f"{s.style.tag}  {s.label}")
            for m in s.marks:
                if m.kind == "range":
                    ax.plot([m.when, m.when], [level(m.low), level(m.high)], color=colour,
                            linewidth=1.5, **_mark_style("range"))
                    continue
                ax.plot([m.when], [level(m.value)], linestyle="none", color=colour,
                        markeredgewidth=1.5, **_mark_style(m.kind))
            for when, at, direction, _ in s.directions:
                ax.plot([when], [level(at)], "v" if direction < 0 else "^", markersize=10,
                        color=colour, markeredgecolor="white")
        ends = spread([min(max(logit(s.ys[-1]), bottom), top) for s in c.series],
                      (top - bottom) / 25)
        for s, at in zip(c.series, ends, strict=True):
            ax.annotate(s.style.tag, (date2num(s.xs[-1]), expit(at)), color=HUES[s.style.hue],
                        fontweight="bold", fontsize="small", xytext=(3, 0),
                        textcoords="offset points", va="center", annotation_clip=False)
        for r in c.resolved:
            ax.axvline(r.when, color="0.15", linestyle=(0, (1, 2)), linewidth=1.2)
            ax.annotate(r.text, (date2num(r.when), 1.0), xycoords=("data", "axes fraction"),
                        xytext=(-3, -3), textcoords="offset points", rotation=90, va="top",
                        ha="right", fontsize="small", color="0.15")
        ax.set_ylim(low, high)
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticklabels([percent(p) for p in ticks])
        span = c.end - c.start
        ax.set_xlim(date2num(shifted(c.start, -span * 0.03)), date2num(c.end))
        dates = date_ticks(c.start, c.end, 90, c.finest)
        bottom_ax = strip if strip is not None else ax
        bottom_ax.xaxis.set_major_locator(FixedLocator([date2num(w) for w, _ in dates]))
        bottom_ax.set_xticks([date2num(w) for w, _ in dates], [label for _, label in dates])
        bottom_ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(True, alpha=0.3)
        ax.set_ylabel("credence (log-odds scale)")
        if strip is not None:
            for row, name in enumerate(strips):
                mine = [e for e in c.events if e.label == name]
                for e in mine:
                    strip.plot([e.when], [row], {-1: "v", 1: "^", 0: "D"}[e.direction],
                               markersize=9, color="0.3", markerfacecolor="0.3" if e.direction
                               else "white")
                strip.plot([], [], {-1: "v", 1: "^", 0: "D"}[mine[0].direction], color="0.3",
                           markerfacecolor="0.3" if mine[0].direction else "white",
                           label=f"{name}: {', '.join(e.stated for e in mine)} (no number)")
            strip.set_ylim(len(strips) - 0.3, -0.7)  # the first line on top, as in the legend
            strip.set_yticks([])
            strip.set_ylabel("no\nnumber", rotation=0, ha="right", va="center",
                             fontsize="small")
            strip.grid(True, axis="x", alpha=0.3)
        fig.suptitle(textwrap.fill(clean(t.debate.title, True), 80, break_on_hyphens=False))
        ax.set_title(textwrap.fill(clean("How credences moved: " + ", ".join(t.cruxes), True),
                                   100, break_on_hyphens=False), fontsize="small")
        handles, labels = ax.get_legend_handles_labels()
        if strip is not None:
            more = strip.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        for kind, meaning in c.key():
            style = KEY_STYLE.get(kind) or _mark_style(kind)
            line: Any = (0, (1, 2)) if kind == "resolved" else "none"
            handles.append(Line2D([], [], color="0.25", linestyle=line, **style))
            labels.append(meaning)
        if handles:
            fig.legend(handles, labels, loc="outside lower center", fontsize="small",
                       frameon=False, ncols=1)
        if c.at_edges:
            fig.text(0.01, 0.005, EDGE_NOTE, fontsize="small", color="0.35")
    return fig


def calibration_image(bins: list[Any], title: str, fmt: str) -> bytes:
    """The calibration chart as SVG or PNG bytes; PlotUnavailable without matplotlib."""
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure

    with matplotlib.rc_context(SAFE_TEXT):
        fig = Figure(figsize=(6.5, 6.5), layout="constrained")
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1], ":", color="0.5", label="perfect calibration")
        for who in dict.fromkeys(b.who for b in bins):
            mine = [b for b in bins if b.who == who]
            dots = ax.scatter([b.mean_stated for b in mine], [b.observed for b in mine],
                              s=[30 + 15 * b.n for b in mine], label=clean(who, True),
                              alpha=0.8)
            ax.errorbar([b.mean_stated for b in mine], [b.observed for b in mine],
                        yerr=[[b.observed - b.interval[0] for b in mine],
                              [b.interval[1] - b.observed for b in mine]],
                        fmt="none", capsize=3, alpha=0.8,
                        ecolor=dots.get_facecolor()[0])  # type: ignore[arg-type]
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("mean stated probability (per bin)")
        ax.set_ylabel("share that resolved yes")
        ax.grid(True, alpha=0.3)
        fig.suptitle(textwrap.fill(clean(title, True), 60, break_on_hyphens=False))
        ax.set_title("calibration; marker size: forecasts in the bin; bars: 95% interval "
                     "(Wilson)", fontsize="small")
        fig.legend(loc="outside lower center", fontsize="small", frameon=False)
    return _saved(fig, fmt)
