"""`cruxcli trace`: history in order, moves in points and bits, spread over time, charts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tomli

from conftest import HEADER, REPO, credence, debate_text, json_keys, run
from cruxcli.core.checks import build
from cruxcli.reports.trace import select_cruxes, trace


def traced(*entries: str, cruxes=("h",), **kw):
    d = build(tomli.loads(debate_text(*entries)))
    return trace(d, list(cruxes), **kw)


def test_history_is_ordered_by_date_then_file_position() -> None:
    t = traced(credence("alice", "h", "3%", at=dt.datetime(2024, 3, 1, 12, 0)),
               credence("alice", "h", "1%", at="2024"),
               credence("alice", "h", "2%", at=dt.date(2024, 3, 1)),
               credence("alice", "h", "4%", at=dt.date(2024, 3, 1)))
    assert [s.entry.credence.text for s in t.lines[0].steps] == ["1%", "2%", "4%", "3%"]


def test_moves_in_points_and_bits() -> None:
    # 10% -> 5%: -5 points; log2((.05/.95) / (.10/.90)) = -1.078 bits
    t = traced(credence("alice", "h", "10%", at="2023"), credence("alice", "h", "5%", at="2024"))
    first, second = t.lines[0].steps
    assert first.pp is None and first.bits is None and first.since is None
    assert second.pp == pytest.approx(-5.0)
    assert second.bits == pytest.approx(math.log2((0.05 / 0.95) / (0.1 / 0.9)))
    assert t.lines[0].net_bits == pytest.approx(second.bits)


def test_direction_only_steps_carry_no_number() -> None:
    # 10% -> lower -> 20%: the 20% is measured from the 10%, the "lower" has no move at all
    t = traced(credence("alice", "h", "10%", at="2023"), credence("alice", "h", "lower", at="2024"),
               credence("alice", "h", "20%", at="2025"))
    steps = t.lines[0].steps
    assert steps[1].pp is None and steps[1].bits is None
    assert steps[2].since is steps[0].entry and steps[2].pp == pytest.approx(10.0)
    line = t.lines[0]
    assert line.updates == 2
    assert line.total_bits == pytest.approx(abs(steps[2].bits))  # type: ignore[arg-type]


def test_total_movement_sums_absolute_moves() -> None:
    # 10% -> 50% -> 10%: net 0, total 2 * log2(9) bits
    t = traced(credence("alice", "h", "10%", at="2021"), credence("alice", "h", "50%", at="2022"),
               credence("alice", "h", "10%", at="2023"))
    assert t.lines[0].net_bits == pytest.approx(0.0)
    assert t.lines[0].total_bits == pytest.approx(2 * math.log2(9))


def test_spread_over_time_shows_convergence() -> None:
    # alice 10%, then bob 40%: log2((.4/.6)/(.1/.9)) = log2(6) = 2.585 bits;
    # then alice 30%: log2((.4/.6)/(.3/.7)) = log2(14/9) = 0.637 bits -> converging
    t = traced(credence("alice", "h", "10%", at="2023-01"), credence("bob", "h", "40%", at="2023-06"),
               credence("bob", "h", "lower", at="2023-09"), credence("alice", "h", "30%", at="2024"))
    points = t.spread["h"]
    assert [p.entry.when.text for p in points] == ["2023-06", "2024"]  # directions don't count
    assert points[0].bits == pytest.approx(math.log2(6))
    assert points[1].bits == pytest.approx(math.log2(14 / 9))
    assert t.trend("h") == "converging"


def test_since_keeps_moves_measured_from_earlier_statements() -> None:
    from cruxcli.core.when import parse_when

    t = traced(credence("alice", "h", "10%", at="2023"), credence("alice", "h", "5%", at="2024"),
               since=parse_when("2024-01"))
    (step,) = t.lines[0].steps
    assert step.since is not None and step.since.credence.text == "10%"


def test_until_drops_later_statements() -> None:
    from cruxcli.core.when import parse_when

    t = traced(credence("alice", "h", "10%", at="2023"), credence("alice", "h", "5%", at="2025"),
               until=parse_when("2024"))
    assert [s.entry.credence.text for s in t.lines[0].steps] == ["10%"]


def test_conditional_credences_are_their_own_lines() -> None:
    t = traced(credence("alice", "h", "10%"), credence("alice", "h", "40%", given="a"))
    assert [ln.label for ln in t.lines] == ["alice · h", "alice · h | a"]


def test_crux_selection() -> None:
    d = build(tomli.loads(debate_text(credence("bob", "a", "5%"))))
    assert select_cruxes(d, ()) == ["h"]
    assert select_cruxes(d, (), ("bob",)) == ["a"]  # with --who: what they spoke to
    assert select_cruxes(d, ("?",)) == ["h", "a", "b"]  # a glob
    with pytest.raises(ValueError):
        select_cruxes(d, ("zz*",))


# ---- the command ----------------------------------------------------------------------------

def test_trace_shows_the_seed_004_history() -> None:
    path = REPO / "debates" / "scheming.toml"
    out = run("trace", path, "--who", "ryan").stdout
    for expected in ("(about", "~2%", "2024-10", "~4%", "updated down a decent amount", "↓"):
        assert expected in out
    assert "Credence over time, log-odds scale:" in out  # the chart
    # in a strip of its own under the chart, with the date as written (only the year is known)
    assert "v 2026  ryan · scheming-before-full-automation: updated down a decent amount" in out
    doc = json.loads(run("trace", path, "--who", "ryan", "--format", "json").stdout)
    steps = {ln["crux"]: ln["steps"] for ln in doc["lines"] if ln["given"] is None}
    recalled = steps["scheming-mythos"]  # said in 2026 about mid 2024: placed in 2026
    assert [(s["stated"], s["at"], s["about"]) for s in recalled] == [
        ("quite unlikely", "2026", "2024"), ("~2%", "2026", "2024")]
    assert steps["scheming-3x"][0]["at"] == "2024-10"
    down = steps["scheming-before-full-automation"][0]
    assert down["direction"] == "lower" and down["value"] is None and down["bits"] is None


@pytest.mark.parametrize("args", [["power-seeking"], ["scheming", "--who", "ryan"]])
def test_terminal_chart_fits_and_is_plain_in_a_pipe(args: list[str]) -> None:
    out = run("trace", REPO / "debates" / f"{args[0]}.toml", *args[1:]).stdout
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "10%┤" in out and "Credence over time, log-odds scale:" in out


def test_csv_and_md(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%", at="2023"),
                             credence("alice", "h", "5%", at="2024", note="| [x](javascript:)")))
    rows = list(csv.DictReader(io.StringIO(run("trace", path, "--format", "csv").stdout)))
    (moved,) = [r for r in rows if r["section"] == "movement"]
    # 10% -> 5%: log2((0.05/0.95) / (0.1/0.9)) = -1.0780 bits
    assert (moved["participant"], moved["crux"], moved["statements"], moved["first.stated"],
            moved["latest.stated"]) == ("alice", "h", "2", "10%", "5%")
    assert float(moved["net_bits"]) == pytest.approx(-1.0780, abs=1e-4)
    md = run("trace", path, "--format", "md").stdout
    assert "\\| \\[x\\](javascript:)" in md


def test_unknown_crux_or_participant_is_a_usage_error(write) -> None:
    path = write(debate_text())
    assert run("trace", path, "--crux", "hh").exit_code == 2
    bad = run("trace", path, "--who", "alise")
    assert bad.exit_code == 2 and 'did you mean "alice"' in bad.output
    assert run("trace", path, "--plot", "x.pdf").exit_code == 2


def test_svg_export_is_valid_svg(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "trace.svg"
    result = run("trace", REPO / "debates" / "scheming.toml", "--who", "ryan", "--plot", out)
    assert result.exit_code == 0 and out.exists()
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text()
    assert "scheming-mythos" in text and "(no number)" in text


def test_png_export(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "trace.png"
    assert run("trace", REPO / "debates" / "power-seeking.toml", "--plot", out).exit_code == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_hostile_title_in_a_plot(write, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    text = debate_text(credence("alice", "h", "10%")).replace(
        'title = "Test debate"', 'title = "$\\\\frac{a}{$ \\u001b[2J"')
    out = tmp_path / "t.svg"
    assert run("trace", write(text), "--plot", out).exit_code == 0
    assert "\x1b" not in out.read_text()


def test_a_clear_message_without_matplotlib(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    out = tmp_path / "t.svg"
    result = run("trace", REPO / "debates" / "power-seeking.toml", "--plot", out)
    assert result.exit_code == 1
    assert "pip install 'cruxcli[plot]'" in result.output and not out.exists()




def test_every_json_key_is_documented() -> None:
    doc = json.loads(run("trace", REPO / "debates" / "power-seeking.toml", "--format", "json",
                         "--crux", "*").stdout)
    keys = json_keys(doc)
    documented = set(re.findall(r"`([a-z_0-9]+)`", (REPO / "docs" / "trace.md").read_text()))
    assert not keys - documented, sorted(keys - documented)


def test_a_plot_that_cannot_be_written_fails_cleanly(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "no-such-dir" / "t.svg"
    result = run("trace", REPO / "debates" / "power-seeking.toml", "--plot", out)
    assert result.exit_code == 1 and "cannot write" in result.output and not out.exists()


def test_as_of_is_the_end_of_the_trace_as_in_every_report(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%", at="2023"),
                             credence("alice", "h", "5%", at="2025")))
    doc = json.loads(run("trace", path, "--as-of", "2024-06", "--format", "json").stdout)
    assert [s["stated"] for s in doc["lines"][0]["steps"]] == ["10%"]
    assert run("trace", path, "--as-of", "2024", "--until", "2025").exit_code == 2


def test_a_series_of_directions_shows_its_arrows_not_a_total_of_zero(write) -> None:
    path = write(debate_text(credence("alice", "h", "lower"), credence("bob", "h", "10%")))
    rows = {line.split()[0]: line for line in run("trace", path, "--no-chart").output.splitlines()
            if line.startswith((" alice", " bob"))}  # the movement table's rows
    assert rows["alice"].rstrip().endswith("↓") and "0.0" not in rows["alice"]
    assert "0.0" not in rows["bob"]  # one number: nothing to total yet


def test_a_trend_compares_the_same_participants(write) -> None:
    header = HEADER + '\n[participants.carol]\nname = "Carol"\n'
    first = [credence("alice", "h", "10%", at="2024-01-01"),
             credence("bob", "h", "50%", at="2024-01-01"),
             credence("carol", "h", "30%", at="2024-02-01")]  # joins: 3 people from here on
    joined = write(debate_text(*first, header=header), "joined.toml")
    doc = json.loads(run("trace", joined, "--format", "json").stdout)
    assert doc["spread"][0]["trend"] is None  # 2 people then, 3 now: not compared
    assert "no trend yet" in run("trace", joined, "--no-chart").output
    moved = write(debate_text(*first, credence("alice", "h", "20%", at="2024-03-01"),
                              header=header), "moved.toml")
    doc = json.loads(run("trace", moved, "--format", "json").stdout)
    # among alice, bob and carol: log2(9) = 3.17 bits (10% vs 50%), then 2 bits (20% vs 50%)
    assert doc["spread"][0]["trend"] == "converging"
    out = " ".join(run("trace", moved, "--no-chart").output.split())
    assert "from 3.2 bits (2024-02-01) to 2.0 bits, among the same 3 participants" in out
