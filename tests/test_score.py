"""Resolving cruxes and scoring forecasts: the worked example of issue 15, every value computed
by hand in the comment beside it."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from conftest import REPO, digest, json_keys, run

HEADER = """\
format = 1
title = "Worked example"
headline = "scheming"

[participants.alice]
name = "Alice"

[participants.bob]
name = "Bob"
aggregate = true

[cruxes.scheming]
question = "Scheming?"

[cruxes.goals]
question = "Goals?"
"""


def credence(who: str, crux: str, p: str, at: str, given: str | None = None) -> str:
    return (f'\n[[credence]]\nwho = "{who}"\ncrux = "{crux}"\n'
            + (f'given = "{given}"\n' if given else "") + f'p = "{p}"\nat = {at}\n')


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    path = tmp_path / "w.toml"
    path.write_text(HEADER + credence("alice", "goals", "50%", "2024-01-10")
                    + credence("alice", "goals", "70%", "2024-06-01")
                    + credence("bob", "goals", "2%", "2024-02-27")
                    + credence("alice", "scheming", "30%", "2024-06-01", given="goals"))
    assert run("resolve", path, "goals", "yes", "--at", "2025-01-01").exit_code == 0
    assert run("log", path, "alice", "scheming", "28%", "--at", "2025-02-01").exit_code == 0
    return path


def forecasts(path: Path, *args: str) -> dict[str, dict]:
    doc = json.loads(run("score", path, "--format", "json", *args).stdout)
    return {f["participant"]: f for f in doc["forecasts"]}


def test_brier_and_log_scores_of_the_worked_example(worked: Path) -> None:
    f = forecasts(worked)
    assert f["alice"]["brier"] == pytest.approx(0.09)  # (0.7 - 1)^2
    assert f["bob"]["brier"] == pytest.approx(0.9604)  # (0.02 - 1)^2
    assert f["alice"]["log_bits"] == pytest.approx(-0.515, abs=5e-4)  # log2(0.7)
    assert f["bob"]["log_bits"] == pytest.approx(-5.644, abs=5e-4)  # log2(0.02)
    assert f["alice"]["stated"] == "70%" and f["alice"]["outcome"] == "yes"
    assert f["bob"]["aggregate"]  # scored, and marked


def test_time_averaged_brier_weighs_each_forecast_by_how_long_it_stood(worked: Path) -> None:
    # 50% from 2024-01-10 to 2024-06-01 (143 days), 70% to 2025-01-01 (214 days)
    expected = (143 * 0.25 + 214 * 0.09) / 357
    assert forecasts(worked)["alice"]["time_brier"] == pytest.approx(expected)


def test_she_moved_less_far_than_she_said_she_would(worked: Path) -> None:
    (u,) = json.loads(run("score", worked, "--format", "json").stdout)["updates"]
    # said 30% given goals; said 28% after goals resolved yes: log2((.28/.72)/(.3/.7))
    assert u["said"]["stated"] == "30%" and u["then"]["stated"] == "28%"
    assert u["gap_bits"] == pytest.approx(math.log2((0.28 / 0.72) / (0.30 / 0.70)))
    assert round(u["gap_bits"], 2) == -0.14


def test_a_derived_p_u_given_not_c_is_checked_when_c_resolves_no(tmp_path: Path) -> None:
    path = tmp_path / "n.toml"
    path.write_text(HEADER + credence("alice", "scheming", "40%", "2024-01-01")
                    + credence("alice", "goals", "50%", "2024-01-01")
                    + credence("alice", "scheming", "60%", "2024-01-01", given="goals")
                    + '\n[[resolution]]\ncrux = "goals"\noutcome = "no"\nat = 2024-06-01\n'
                    + credence("alice", "scheming", "25%", "2024-07-01"))
    (u,) = json.loads(run("score", path, "--format", "json").stdout)["updates"]
    # P(U|not c) = (0.4 - 0.6 * 0.5) / 0.5 = 0.2
    assert u["derived"] and u["said_value"] == pytest.approx(0.2)
    assert u["gap_bits"] == pytest.approx(math.log2((0.25 / 0.75) / (0.2 / 0.8)))


def test_what_is_not_scored(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    text = HEADER.replace('[cruxes.goals]', '[cruxes.other]\nquestion = "Other?"\n\n[cruxes.goals]')
    path.write_text(text + credence("alice", "goals", "lower", "2024-01-01")  # no number
                    + credence("bob", "goals", "60%", "\"2024\"")  # a year: not wholly before
                    + credence("alice", "other", "10%", "2024-01-01")
                    + credence("alice", "scheming", "30%", "2024-01-01", given="goals")
                    + '\n[[resolution]]\ncrux = "goals"\noutcome = "yes"\nat = 2024-03-01\n'
                    + '\n[[resolution]]\ncrux = "other"\noutcome = "annulled"\nat = 2024-03-01\n')
    doc = json.loads(run("score", path, "--format", "json").stdout)
    assert doc["forecasts"] == []  # scheming is unresolved: its conditional waits for it
    assert "annulled, so not scored: other" in " ".join(run("score", path).output.split())


def test_every_mean_says_how_many_of_its_forecasts_are_words_or_bounds(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(HEADER + credence("alice", "goals", "likely", "2024-01-01")
                    + credence("alice", "scheming", "20%", "2024-01-01")
                    + credence("bob", "goals", "<5%", "2024-01-01")
                    + '\n[[resolution]]\ncrux = "goals"\noutcome = "yes"\nat = 2024-06-01\n'
                    + '\n[[resolution]]\ncrux = "scheming"\noutcome = "no"\nat = 2024-06-01\n')
    doc = json.loads(run("score", path, "--format", "json").stdout)
    overall = {o["participant"]: (o["verbal_forecasts"], o["bound_forecasts"])
               for o in doc["overall"]}
    assert overall == {"alice": (1, 0), "bob": (0, 1)}
    # "likely" (55-80%, at about 69%) is alone in alice's 60-70% bin; bob's 5% in 0-10%
    bins = {(b["participant"], b["bin_low"]): (b["verbal_forecasts"], b["bound_forecasts"])
            for b in doc["calibration"]}
    assert bins == {("alice", 0.6): (1, 0), ("alice", 0.2): (0, 0), ("bob", 0.0): (0, 1)}
    table = run("score", path, "--no-chart").output
    assert "1 verbal†" in table and "1 bound" in table


def test_a_certainty_that_failed_scores_minus_infinity(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(HEADER + credence("alice", "goals", "0%", "2024-01-01")
                    + '\n[[resolution]]\ncrux = "goals"\noutcome = "yes"\nat = 2024-02-01\n')
    f = forecasts(path)["alice"]
    assert f["log_bits"] == "-Infinity" and f["brier"] == 1.0
    assert "-∞" in run("score", path).output


def test_a_later_resolution_corrects_an_earlier_one(worked: Path) -> None:
    assert run("resolve", worked, "goals", "no", "--at", "2025-01-05",
               "--note", "the first report was wrong").exit_code == 0
    f = forecasts(worked)
    assert f["alice"]["outcome"] == "no" and f["alice"]["brier"] == pytest.approx(0.49)
    assert "2025-01-01" in worked.read_text()  # the first resolution stays in the file


def test_as_of_before_the_resolution_scores_nothing(worked: Path) -> None:
    assert forecasts(worked, "--as-of", "2024-12-31") == {}


def test_resolution_errors_and_credences_after_a_resolution(worked: Path) -> None:
    before = digest(worked)
    assert run("resolve", worked, "nope", "yes").exit_code == 2
    assert run("resolve", worked, "goals", "maybe").exit_code == 2
    late = run("log", worked, "bob", "goals", "90%", "--at", "2025-03-01")
    assert late.exit_code == 2 and 'resolved yes at 2025-01-01' in late.output
    assert digest(worked) == before
    worked.write_text(worked.read_text() + credence("bob", "goals", "90%", "2025-03-01"))
    checked = run("check", worked)
    assert checked.exit_code == 0 and "warning" in checked.output and "after the crux resolved" \
        in checked.output
    assert run("check", worked, "--strict").exit_code == 1


def test_retraction_takes_an_entry_out_of_every_figure(worked: Path) -> None:
    ident = forecasts(worked)["bob"]["id"]
    assert run("retract", worked, ident, "--why", "misread the source").exit_code == 0
    assert "bob" not in forecasts(worked)
    trace = json.loads(run("trace", worked, "--crux", "goals", "--format", "json").stdout)
    assert [r["why"] for r in trace["retracted"]] == ["misread the source"]
    assert "bob" not in {ln["participant"] for ln in trace["lines"]}
    assert "misread the source" in " ".join(run("trace", worked, "--crux", "goals").output.split())
    before = digest(worked)
    assert run("retract", worked, "0000000000", "--why", "x").exit_code == 2
    assert digest(worked) == before  # a refused retraction writes nothing


def test_a_retracted_resolution_leaves_the_scores_and_says_what_it_took_back(worked: Path
                                                                              ) -> None:
    resolved = run("resolve", worked, "scheming", "no", "--at", "2025-03-01").output
    ident = resolved.split("[id ")[1].split("]")[0]
    scored = json.loads(run("score", worked, "--format", "json").stdout)["forecasts"]
    assert {f["crux"] for f in scored} == {"goals", "scheming"}
    said = run("retract", worked, ident, "--why", "reported too early")
    assert said.exit_code == 0 and f"retracted {ident}: resolution of scheming" in said.output
    scored = json.loads(run("score", worked, "--format", "json").stdout)["forecasts"]
    assert {f["crux"] for f in scored} == {"goals"}  # scheming is unresolved again


def test_ids_are_the_same_on_every_copy(worked: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_bytes(worked.read_bytes())
    assert forecasts(worked)["alice"]["id"] == forecasts(copy)["alice"]["id"]
    shown = run("show", worked, "--format", "json").stdout
    assert forecasts(worked)["alice"]["id"] in shown


def test_every_score_json_key_is_documented(worked: Path) -> None:
    doc = json.loads(run("score", worked, "--format", "json").stdout)
    documented = (REPO / "docs" / "score.md").read_text(encoding="utf-8")
    missing = {k for k in json_keys(doc) if f"`{k}`" not in documented}
    assert not missing, missing


def test_the_calibration_chart_is_drawn_and_plotted(worked: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "calibration.svg"
    result = run("score", worked, "--plot", plot)
    assert result.exit_code == 0 and f"wrote {plot}" in result.output
    out = " ".join(result.output.split())
    assert "Calibration: mean stated (across)" in out and "o bob x alice" in out  # the legend
    svg = plot.read_text()
    assert svg.startswith("<?xml") and "</svg>" in svg


def test_a_plot_that_cannot_be_written_fails_and_leaves_the_debate(worked: Path) -> None:
    before = digest(worked)
    result = run("score", worked, "--plot", worked.parent / "no-such-dir" / "c.svg")
    assert result.exit_code == 1 and "cannot write" in result.output
    assert digest(worked) == before and not (worked.parent / "no-such-dir").exists()


def test_restating_a_retracted_entry_word_for_word_is_refused_not_retracted_again(
        worked: Path) -> None:
    ident = forecasts(worked)["bob"]["id"]  # bob: 2% on goals at 2024-02-27
    assert run("retract", worked, ident, "--why", "misread the source").exit_code == 0
    before = digest(worked)
    again = run("log", worked, "bob", "goals", "2%", "--at", "2024-02-27")
    assert again.exit_code == 2 and f"exactly what was retracted as {ident}" in again.output
    assert digest(worked) == before
    noted = run("log", worked, "bob", "goals", "2%", "--at", "2024-02-27", "--note", "he did")
    assert noted.exit_code == 0 and forecasts(worked)["bob"]["stated"] == "2%"


def test_restating_a_retracted_resolution_is_refused(worked: Path) -> None:
    resolved = run("resolve", worked, "scheming", "no", "--at", "2025-03-01").output
    ident = resolved.split("[id ")[1].split("]")[0]
    assert run("retract", worked, ident, "--why", "too early").exit_code == 0
    before = digest(worked)
    again = run("resolve", worked, "scheming", "no", "--at", "2025-03-01")
    assert again.exit_code == 2 and digest(worked) == before


def test_an_entry_retracted_twice_is_withdrawn_once(worked: Path) -> None:
    ident = forecasts(worked)["bob"]["id"]
    assert run("retract", worked, ident, "--why", "misread").exit_code == 0
    before = digest(worked)
    again = run("retract", worked, ident, "--why", "still misread")
    assert again.exit_code == 2 and f'{ident} is already retracted' in again.output
    assert digest(worked) == before
    # as two merged branches would leave it: two retractions of one id
    with worked.open("a") as f:
        f.write(f'\n[[retraction]]\nid = "{ident}"\nwhy = "other branch"\nat = 2025-06-01\n')
    rows = list(csv.DictReader(io.StringIO(run("export", worked).stdout)))
    assert [r["kind"] for r in rows if r["id"] == ident] == ["credence", "retraction",
                                                             "retraction"]


def test_the_table_gives_each_participants_means_and_forecasts_lists_every_row(worked: Path
                                                                               ) -> None:
    """At archive scale a row per forecast runs to tens of thousands of lines: the table leads
    with the means and says how many forecasts they cover; --forecasts lists each one."""
    short = " ".join(run("score", worked, "--no-chart").output.split())
    assert "2 forecasts of 1 resolved crux scored; `--forecasts` lists each" in short
    assert "Brier: (p - outcome)²" in short  # what the scores mean, said either way
    assert "Forecasts of resolved cruxes: the mean per participant" in short
    assert "2024-02-27" not in short  # bob's forecast is not listed
    every = " ".join(run("score", worked, "--no-chart", "--forecasts").output.split())
    assert "2024-02-27" in every and "--forecasts` lists" not in every
    assert "2024-02-27" in run("score", worked, "--format", "json").output  # always in JSON
