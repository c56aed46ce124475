"""Scores that compare like with like, calibration with error bars, pooling by several
methods, what is due, and a track record across debates: each value worked out by hand (in
the comment beside it, or from the published formula written out here)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conftest import credence, debate_text, run

HEADER = """\
format = 1
title = "Worked"
headline = "a"

[participants.alice]
name = "Alice"

[participants.bob]
name = "Bob"

[participants.carol]
name = "Carol"

[cruxes.a]
question = "A?"

[cruxes.b]
question = "B?"
"""
# a resolves yes, b no; alice 80% and 20%, bob 60% and 50%, carol 30% and 10%
WORKED = [credence(w, c, p) for w, c, p in (("alice", "a", "80%"), ("bob", "a", "60%"),
                                             ("carol", "a", "30%"), ("alice", "b", "20%"),
                                             ("bob", "b", "50%"), ("carol", "b", "10%"))]
RESOLVED = ('\n[[resolution]]\ncrux = "a"\noutcome = "yes"\nat = 2024-06-01\n'
            '\n[[resolution]]\ncrux = "b"\noutcome = "no"\nat = 2024-06-01\n')


@pytest.fixture
def worked(write) -> dict:
    path = write(debate_text(*WORKED, header=HEADER) + RESOLVED)
    return json.loads(run("score", path, "--format", "json").stdout)


def test_peer_baseline_and_relative_scores_by_their_published_formulas(worked) -> None:
    alice = next(c for c in worked["compared"] if c["participant"] == "alice")
    # Metaculus peer: 100 (ln p_on_outcome - mean of the others' ln); on a: .8 vs .6, .3;
    # on b (no): .8 vs .5, .9
    peer_a = 100 * (math.log(0.8) - (math.log(0.6) + math.log(0.3)) / 2)  # 63.43
    peer_b = 100 * (math.log(0.8) - (math.log(0.5) + math.log(0.9)) / 2)  # 17.61
    assert alice["peer"] == pytest.approx((peer_a + peer_b) / 2)  # 40.52
    assert alice["baseline"] == pytest.approx(100 * (math.log2(0.8) + 1))  # 67.81 on both
    # Fatebook relative Brier: .04 - median(.16, .49) on a; .04 - median(.25, .01) on b
    assert alice["relative_brier"] == pytest.approx(((0.04 - 0.325) + (0.04 - 0.13)) / 2)
    assert alice["n"] == 2 and alice["alone"] == []


def test_with_fewer_than_two_others_a_warning_not_a_number(write) -> None:
    path = write(debate_text(*WORKED[:2], header=HEADER) + RESOLVED)
    doc = json.loads(run("score", path, "--format", "json").stdout)
    alice = next(c for c in doc["compared"] if c["participant"] == "alice")
    assert alice["peer"] is None and alice["relative_brier"] is None and alice["alone"] == ["a"]
    assert "not compared on a (fewer than two others" in " ".join(run("score", path).output.split())


def test_the_murphy_decomposition_adds_up_exactly() -> None:
    from cruxcli.core.verification import murphy

    # 70% three times (yes, yes, no), 20% three times (no, no, yes); base rate 1/2
    m = murphy([(0.7, 1), (0.7, 1), (0.7, 0), (0.2, 0), (0.2, 0), (0.2, 1)])
    assert m.reliability == pytest.approx((3 * (0.7 - 2 / 3) ** 2 + 3 * (0.2 - 1 / 3) ** 2) / 6)
    assert m.resolution == pytest.approx((3 * (2 / 3 - 0.5) ** 2 + 3 * (1 / 3 - 0.5) ** 2) / 6)
    assert m.uncertainty == 0.25
    assert m.brier == pytest.approx(1.39 / 6)  # .09 + .09 + .49 + .04 + .04 + .64
    assert m.reliability - m.resolution + m.uncertainty == pytest.approx(m.brier, abs=1e-15)


def test_every_participants_decomposition_is_in_the_report(worked) -> None:
    rows = {d["participant"]: d for d in worked["decomposition"]}
    for who, row in rows.items():
        parts = row["reliability_term"] - row["resolution_term"] + row["uncertainty_term"]
        assert parts == pytest.approx(row["brier"]), who
    assert rows[None]["n"] == 6


def test_calibration_bins_carry_wilsons_interval() -> None:
    from cruxcli.core.scoring import wilson

    low, high = wilson(2, 3)  # by hand: centre .5731, half-width .3654
    assert (round(low, 3), round(high, 3)) == (0.208, 0.939)
    assert wilson(0, 4)[0] == 0.0 and wilson(4, 4)[1] == 1.0


def test_the_aggregation_panel_for_one_and_ten_percent(write) -> None:
    path = write(debate_text(credence("alice", "a", "1%"), credence("bob", "a", "10%"),
                             header=HEADER))
    (row,) = json.loads(run("summary", path, "--format", "json").stdout)["pooling"]
    odds = math.sqrt((1 / 99) * (1 / 9))  # the geometric mean of odds
    d = 2 * (math.sqrt(7) - 2) / (4 - 2 - 1)  # Neyman & Roughgarden's factor for n = 2
    extremized = 1 / (1 + odds ** -d)
    assert row["geo_mean_odds"] == pytest.approx(odds / (1 + odds))  # 3.24%
    assert row["mean"] == row["median"] == row["trimmed_mean"] == pytest.approx(0.055)
    assert row["geo_mean"] == pytest.approx(math.sqrt(0.01 * 0.10))  # 3.16%
    assert row["extremized"] == pytest.approx(extremized)  # 1.23%
    assert row["bits"] == pytest.approx(math.log2((0.055 / 0.945) / (extremized / (1 - extremized))))
    assert "How the pooled view depends on the method" in run("summary", path).output


def test_each_pooling_method_is_scored_like_a_participant(worked) -> None:
    pools = {p["method"]: p for p in worked["pools"]}
    mean_a, mean_b = (0.8 + 0.6 + 0.3) / 3, (0.2 + 0.5 + 0.1) / 3
    assert pools["mean"]["brier"] == pytest.approx(((mean_a - 1) ** 2 + mean_b ** 2) / 2)
    assert pools["median"]["brier"] == pytest.approx(((0.6 - 1) ** 2 + 0.2 ** 2) / 2)
    assert all(p["n"] == 2 for p in pools.values())


def test_calibration_by_phrase(write) -> None:
    header = HEADER + "".join(f'\n[cruxes.q{i}]\nquestion = "Q{i}?"\n' for i in range(5))
    entries = [credence("alice", f"q{i}", "likely") for i in range(5)]
    outcomes = ["yes", "yes", "no", "yes", "no"]
    resolutions = "".join(f'\n[[resolution]]\ncrux = "q{i}"\noutcome = "{o}"\nat = 2024-06-01\n'
                          for i, o in enumerate(outcomes))
    path = write(debate_text(*entries, header=header) + resolutions)
    (row,) = json.loads(run("score", path, "--format", "json").stdout)["phrases"]
    assert (row["phrase"], row["n"], row["yes"], row["share"]) == ("likely", 5, 3, 0.6)
    assert row["suggested"] == 0.6  # five resolutions: enough for their own record to speak
    assert row["scale_value"] == pytest.approx(1 / (1 + math.exp(
        -(math.log(0.55 / 0.45) + math.log(0.8 / 0.2)) / 2)))  # ICD 203's likely: 68.9%
    table = run("score", path, "--by-phrase").output
    assert "Calibration by phrase" in table and "Calibration by phrase" not in \
        run("score", path).output


def test_due_lists_overdue_cruxes_and_stale_credences(write) -> None:
    header = HEADER.replace('question = "A?"', 'question = "A?"\nresolves_by = 2024-06-01')
    path = write(debate_text(credence("alice", "a", "30%", at="2024-01-01"),
                             credence("bob", "b", "40%", at="2024-06-20"), header=header))
    doc = json.loads(run("due", path, "--as-of", "2024-07-01", "--older-than", "100",
                         "--format", "json").stdout)
    assert doc["overdue"] == [{"crux": "a", "resolves_by": "2024-06-01", "days": 30}]
    (stale,) = doc["stale"]  # alice's 30% stood 182 days; bob's 40% only 11
    assert (stale["participant"], stale["crux"], stale["days"]) == ("alice", "a", 182)
    assert run("due", path, "--as-of", "2024-07-01", "--strict").exit_code == 1
    assert run("due", path, "--as-of", "2024-05-01", "--strict").exit_code == 0
    resolved = write(debate_text(credence("alice", "a", "30%", at="2024-01-01"), header=header)
                     + '\n[[resolution]]\ncrux = "a"\noutcome = "no"\nat = 2024-06-02\n', "r.toml")
    assert json.loads(run("due", resolved, "--as-of", "2024-07-01", "--format",
                          "json").stdout)["overdue"] == []  # resolved: not due


def test_add_crux_sets_resolves_by_and_check_refuses_a_bad_one(write) -> None:
    path = write(debate_text(header=HEADER))
    assert run("add", "crux", path, "c", "--question", "C?", "--resolves-by",
               "2027-12-31").exit_code == 0
    assert "resolves_by = 2027-12-31" in path.read_text()
    bad = write(debate_text(header=HEADER.replace('question = "A?"',
                                                  'question = "A?"\nresolves_by = "soon"')), "b.toml")
    result = run("check", bad)
    assert result.exit_code == 1 and "resolves_by" in result.output and "soon" in result.output


def test_a_track_record_across_debates(tmp_path: Path, write) -> None:
    one = write(debate_text(*WORKED, header=HEADER) + RESOLVED, "one.toml")
    two = write(debate_text(credence("alice", "a", "90%"), header=HEADER)
                + '\n[[resolution]]\ncrux = "a"\noutcome = "no"\nat = 2024-06-01\n', "two.toml")
    doc = json.loads(run("score", one, two, "--who", "alice", "--format", "json").stdout)
    (alice,) = doc["overall"]
    assert alice["n"] == 3 and alice["brier"] == pytest.approx((0.04 + 0.04 + 0.81) / 3)
    per = {(r["debate"], r["participant"]): r["n"] for r in doc["per_debate"]}
    assert per == {("one", "alice"): 2, ("two", "alice"): 1}
    assert {f["crux"] for f in doc["forecasts"]} == {"one:a", "one:b", "two:a"}
    assert run("score", tmp_path, "--format", "json").exit_code == 0  # a folder of debates


def test_the_median_of_the_others_is_the_median_of_the_others() -> None:
    import statistics

    from hypothesis import given
    from hypothesis import strategies as st

    from cruxcli.core.verification import _median_without

    @given(st.lists(st.sampled_from([0.0, 0.01, 0.25, 0.5, 0.81, 1.0]), min_size=2,
                    max_size=12), st.data())
    def check(values: list[float], data) -> None:
        i = data.draw(st.integers(0, len(values) - 1))
        others = values[:i] + values[i + 1:]
        assert _median_without(sorted(values), values[i]) == statistics.median(others)

    check()
