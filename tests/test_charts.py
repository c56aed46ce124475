"""Charts you would put in a post: distinct, sensible date ticks at every span; direction-only
statements in their line's colour and never at a level that reads as a value; the terminal
chart on the terminal's own background; the image's legend outside the data, nothing
clipped, no overlapping labels, and a title that reads as a title."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import credence, debate_text, run
from cruxcli.core.checks import build
from cruxcli.output.chart import date_ticks, terminal_chart
from cruxcli.reports.trace import trace

START = dt.datetime(2026, 11, 3, 9, 30)
SPANS = [dt.timedelta(hours=5), dt.timedelta(days=1), dt.timedelta(days=30),
         dt.timedelta(days=400), dt.timedelta(days=365 * 30)]


@pytest.mark.parametrize("span", SPANS, ids=lambda s: f"{s.days}d{s.seconds // 3600}h")
@pytest.mark.parametrize("room", [32, 72, 180])
def test_date_ticks_are_distinct_in_range_and_fit(span: dt.timedelta, room: int) -> None:
    ticks = date_ticks(START, START + span, room)
    labels = [label for _, label in ticks]
    assert len(ticks) >= 2
    assert len(set(labels)) == len(labels)  # "2026-11 2026-11 2026-11" is what this stops
    assert all(START <= when <= START + span for when, _ in ticks)
    assert sum(len(label) + 1 for label in labels) <= room


def debate(*entries: str):
    import tomli

    return build(tomli.loads(debate_text(*entries)))


RAIN = (credence("alice", "h", "30%", at=dt.date(2026, 11, 2)),
        credence("bob", "h", "60%", at=dt.date(2026, 11, 5)),
        credence("alice", "h", "lower", at=dt.date(2026, 11, 10)),
        credence("bob", "h", "45%", at=dt.date(2026, 11, 20)),
        credence("bob", "a", "higher", at=dt.date(2026, 11, 12)))


def test_the_terminal_chart_has_no_background_and_markers_in_their_lines_colour() -> None:
    out = terminal_chart(trace(debate(*RAIN), ["h"]), 80, color=True)
    assert not re.search(r"\x1b\[(4[0-9]|10[0-7]|48;)", out)  # no background colour at all
    # alice's line and her "lower" marker are drawn in one colour run: ...ooovooo...
    (run,) = [m for m in re.findall(r"\x1b\[38;5;(\d+)m([^\x1b]*)", out) if "v" in m[1]]
    alice = next(m[0] for m in re.findall(r"\x1b\[38;5;(\d+)m([^\x1b]*)", out) if "o" in m[1])
    assert run[0] == alice


def test_a_line_with_no_number_gets_its_own_strip_not_a_level() -> None:
    t = trace(debate(*RAIN), ["h", "a"])
    out = terminal_chart(t, 80)
    chart, _, below = out.partition("└")
    assert "^" not in chart  # bob's "higher" on crux a is not drawn at any level
    assert "Direction only, no number at all:" in below and "bob · a: higher" in below


def test_the_image_reads_as_a_post_figure() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from cruxcli.output.chart import chart_figure

    fig = chart_figure(trace(debate(*RAIN), ["h", "a"]))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    main, strip = fig.axes
    assert fig.get_suptitle() == "Test debate"  # the debate's title, not "title: crux ids"
    legend = fig.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(main.get_window_extent(renderer))  # the legend is outside
    first = min(line.get_xdata()[0] for line in main.get_lines())
    assert main.get_xlim()[0] < main.convert_xunits(first)  # the first point is not clipped
    labels = [t.get_window_extent(renderer) for t in strip.get_xticklabels() if t.get_text()]
    assert len(labels) >= 2 and all(not a.overlaps(b) for a, b in zip(labels, labels[1:], strict=False))
    assert strip.get_lines() and all(line.get_ydata()[0] >= 0 for line in strip.get_lines()
                                     if len(line.get_ydata()))  # rows, not probabilities


def test_the_pages_axis_reaches_a_labelled_tick_on_either_side_of_the_data(write, tmp_path) -> None:
    path = write(debate_text(credence("alice", "h", "60%", at="2024-01-01"),
                             credence("bob", "h", "70%", at="2024-02-01")))
    run("report", path, "-o", tmp_path / "p.html")
    svg = (tmp_path / "p.html").read_text()
    ticks = re.findall(r'class="tick" x="\d+" y="[\d.]+" text-anchor="end">([\d.]+%)', svg)
    assert "50%" in ticks and "90%" in ticks  # 60-70% lies between two labels
