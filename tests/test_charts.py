"""Charts you would put in a post: distinct, sensible date ticks at every span; direction-only
statements in their line's colour and never at a level that reads as a value; the terminal
chart on the terminal's own background; the image's legend outside the data, nothing
clipped, no overlapping labels, and a title that reads as a title."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
import tomli

from conftest import credence, debate_text, run
from cruxcli.core.checks import build
from cruxcli.output.charts.axes import date_ticks
from cruxcli.output.charts.terminal import terminal_chart
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


def debate(*entries: str, tail: str = ""):
    return build(tomli.loads(debate_text(*entries) + tail))


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
    assert "With no number, so on no line" in below and "bob · a: higher" in below


def test_the_image_reads_as_a_post_figure() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from cruxcli.output.charts.image import chart_figure

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
    ticks = re.findall(r'<text x="\d+" y="[\d.]+" text-anchor="end">([\d.]+%)', svg)
    assert "50%" in ticks and "90%" in ticks  # 60-70% lies between two labels


# ------------------------------------------------------------ what each statement looks like

RESOLVED = '\n[[resolution]]\ncrux = "h"\noutcome = "yes"\nat = 2024-06-01\n'
FORMS = (credence("alice", "h", "<1%", at="2024-01-01"),
         credence("bob", "h", "80%+", at="2024-02-01"),
         credence("alice", "h", "2-5%", at="2024-03-01"),
         credence("alice", "h", "likely", at="2024-04-01"),
         credence("bob", "h", "30%", at="2024-05-01"))


def svg_of(write, tmp_path, *entries: str) -> str:
    path = write(debate_text(*entries) + RESOLVED)
    assert run("report", path, "-o", tmp_path / "p.html").exit_code == 0
    html = (tmp_path / "p.html").read_text()
    return html[html.index('<svg viewBox'):html.index("</figure>")]


def test_bounds_ranges_and_verbal_terms_are_drawn_as_what_they_are(write, tmp_path) -> None:
    svg = svg_of(write, tmp_path, *FORMS)
    marks = dict(re.findall(r"<g><title>[^<]*: ([^<]*)</title>(.*?)</g>", svg))
    # "<1%": an open circle, its tick going down (towards the values it admits)
    below = re.search(r'class="open".*?y1="([\d.]+)" y2="([\d.]+)"', marks["&lt;1% (2024-01-01)"])
    assert float(below[2]) > float(below[1])
    above = re.search(r'class="open".*?y1="([\d.]+)" y2="([\d.]+)"', marks["80%+ (2024-02-01)"])
    assert float(above[2]) < float(above[1])  # "80%+": up
    assert re.search(r"V[\d.]+", marks["2-5% (2024-03-01)"])  # an interval, not a dot
    assert 'class="open"' in marks["likely† (2024-04-01)"] and "Z" in marks["likely† (2024-04-01)"]
    assert "<circle" in marks["30% (2024-05-01)"] and 'class="open"' not in marks["30% (2024-05-01)"]
    assert 'class="resolved"' in svg and "h resolved yes (2024-06-01)" in svg
    key = svg[svg.index('class="legend key"'):]
    for words in ("upper bound", "lower bound", "a range", "verbal term", "resolved"):
        assert words in key


def test_every_chart_text_quotes_the_stated_form(write, tmp_path) -> None:
    svg = svg_of(write, tmp_path, *FORMS)
    desc = re.search(r"<desc[^>]*>([^<]*)", svg)[1]
    for stated in ("&lt;1% (2024-01-01)", "80%+ (2024-02-01)", "2-5% (2024-03-01)",
                   "likely† (2024-04-01)", "h resolved yes"):
        assert stated in desc
    assert not re.search(r"\d\.\d{3,}%", svg.split("</desc>")[0])  # no computed figure


def test_the_terminal_and_the_image_draw_the_same_marks() -> None:
    pytest.importorskip("matplotlib")
    from cruxcli.output.charts.image import chart_figure

    t = trace(debate(*FORMS, tail=RESOLVED), ["h"])
    out = terminal_chart(t, 100)
    for glyph in "┬┴│†┆":
        assert glyph in out.partition("└")[0]  # drawn in the chart
    assert "h resolved yes (2024-06-01)" in out
    fig = chart_figure(t)
    (ax,) = fig.axes
    assert any(len(set(line.get_xdata())) == 1 and line.get_linestyle() == ":"
               or line.get_xdata() is not None and ax.get_xaxis_transform() == line.get_transform()
               for line in ax.get_lines())  # the resolution's vertical line
    texts = [t.get_text() for t in ax.texts]
    assert any("h resolved yes" in x for x in texts)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("upper bound" in x for x in legend) and any("verbal term" in x for x in legend)


# ------------------------------------------------------------------ charts that cannot be misread

def test_series_differ_in_more_than_colour() -> None:
    from cruxcli.output.charts.model import DASHES, HUES, style

    looks = [style(i) for i in range(len(HUES) * len(DASHES))]
    assert len({(s.hue, s.dash) for s in looks}) == len(looks)  # 40 series, no two alike
    assert all(a.dash != b.dash for a, b in zip(looks, looks[1:], strict=False))  # neighbours
    tags = [style(i).tag for i in range(2000)]
    assert len(set(tags)) == 2000 and tags[:3] == ["A", "B", "C"] and tags[26] == "AA"


def test_twelve_series_on_a_page_are_twelve_styles(write, tmp_path) -> None:
    people = [f"p{i}" for i in range(12)]
    header = debate_text().replace('[participants.alice]', "".join(
        f'[participants.{p}]\nname = "{p}"\n\n' for p in people) + "[participants.alice]")
    entries = [credence(p, "h", f"{10 + i}%", at=f"2024-01-{i + 1:02}") for i, p in enumerate(people)]
    path = write(header + "".join(entries))
    run("report", path, "-o", tmp_path / "p.html")
    html = (tmp_path / "p.html").read_text()
    lines = re.findall(r'<polyline fill="none" stroke="([^"]+)" stroke-width="2"'
                       r'(?: stroke-dasharray="([^"]+)")?', html)
    assert len(lines) == 12 and len(set(lines)) == 12


@pytest.mark.parametrize("values", [[0.6, 0.7], [0.001], [0.2, 0.999], [0.5], [1e-6, 0.3],
                                    [0.0, 0.02, 1.0], [0.5, 1.0], [0.0, 0.5], [1e-300]])
def test_labelled_ticks_bracket_the_data_on_a_symmetric_scale(values) -> None:
    from cruxcli.output.charts.axes import CANDIDATES, probability_axis

    ticks, bottom, top = probability_axis(values)
    inner = [v for v in values if 0 < v < 1] + [0.5]
    assert min(ticks) <= min(inner) and max(ticks) >= max(inner)
    assert 0.5 in ticks
    assert all(any(abs((1 - t) - u) < 1e-12 for u in CANDIDATES) for t in CANDIDATES)
    assert bottom <= math.log(min(inner) / (1 - min(inner)))
    assert top > bottom and len(ticks) >= 2  # never a flat axis (every value at 50%)


def test_the_terminal_chart_labels_a_tick_above_data_at_60_to_70_percent() -> None:
    t = trace(debate(credence("alice", "h", "60%", at="2024-01-01"),
                     credence("bob", "h", "70%", at="2024-02-01")), ["h"])
    axis = terminal_chart(t, 80).partition("└")[0]
    assert "90%" in axis and "50%" in axis


@pytest.mark.parametrize(("dates", "pattern"), [
    (["2025-01-15", "2025-01-15"], r"^\d{4}-\d{2}-\d{2}$"),  # one day: days, never hours
    (["2023", "2024"], r"^\d{4}$"),  # years
    (["2024-10", "2024-11"], r"^\d{4}-\d{2}(-\d{2})?$"),  # months, never hours
])
def test_the_time_axis_is_no_finer_than_the_dates(dates, pattern) -> None:
    from cruxcli.output.charts.model import chart

    t = trace(debate(credence("alice", "h", "30%", at=dates[0]),
                     credence("bob", "h", "40%", at=dates[1])), ["h"])
    c = chart(t)
    labels = [label for _, label in date_ticks(c.start, c.end, 80, c.finest)]
    assert labels and all(re.match(pattern, label) for label in labels), labels
    assert not re.search(r"\d\d:\d\d", terminal_chart(t, 80))


def test_chart_text_is_at_least_11px_at_375px() -> None:
    from cruxcli.output.charts.svg import CSS, WIDTH
    from cruxcli.output.html import STYLE

    full = [float(x) for x in re.findall(r"font-size:([\d.]+)px", CSS.split("@media")[0])]
    narrow = CSS[CSS.index("@media (max-width:600px)"):]
    small = [float(x) for x in re.findall(r"font-size:([\d.]+)px", narrow)]
    padding = float(re.search(r"@media \(max-width:600px\)\{[^@]*main\{padding:(\d+)px", STYLE)[1])
    assert full == [11.0]  # drawn at 760 px: the units are pixels
    assert small and all(size * (375 - 2 * padding) / WIDTH >= 11 for size in small)
    assert ".alt{display:none}" in narrow  # every other date, so the larger text cannot overlap
    assert "figure{margin:1em 0}" in STYLE  # the chart spans the page: no side margins


def test_heat_colours_are_distinct_in_light_and_dark() -> None:
    """Every pair of the seven bands at least 20 apart (CIE76 delta E), in both themes."""
    from cruxcli.output.html import STYLE

    def lab(hex_: str) -> tuple[float, float, float]:
        rgb = [int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    light, dark = STYLE.split("prefers-color-scheme:dark")
    for theme in (light, dark[:dark.index("}}")]):
        bands = [lab(h) for h in re.findall(r"--h\d:(#[0-9a-f]{6})", theme)]
        assert len(bands) == 7
        assert min(math.dist(a, b) for i, a in enumerate(bands) for b in bands[i + 1:]) >= 20


def test_tags_of_lines_that_end_close_together_do_not_overlap(write, tmp_path) -> None:
    svg = svg_of(write, tmp_path, credence("alice", "h", "66%", at="2024-01-01"),
                 credence("bob", "h", "69%", at="2024-01-01"))
    tags = sorted(float(y) for y in re.findall(r'<text class="tag" x="[\d.]+" y="([\d.]+)"', svg))
    assert len(tags) == 2 and tags[1] - tags[0] >= 18  # the page's tags: 11 px text
    from cruxcli.output.charts.axes import spread

    assert spread([5.0, 1.0, 5.5], 1.0) == [5.0, 1.0, 6.0]  # moved as little as needed
