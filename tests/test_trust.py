"""Numbers you can trust: each case of issue 11, as a user meets it. Every expected value is
worked out by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
import tomli

from conftest import credence, debate_text, digest, run


def later(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_50_50_is_logged_as_fifty_percent(write) -> None:
    path = write(debate_text(credence("alice", "h", "5%")))
    out = run("log", path, "alice", "h", "50/50", "--at", "2024-06-01").stdout
    # from 5% to 50%: log2((0.5/0.5) / (0.05/0.95)) = log2(19) = 4.25 bits
    assert out.strip().split("  [id ")[0] == "alice · h: 5% -> 50/50 (+4.2 bits)"


@pytest.mark.parametrize("stated", ["<0%", ">100%", "20/80"])
def test_forms_that_admit_nothing_or_read_two_ways_are_refused(write, stated: str) -> None:
    path = write(debate_text(credence("alice", "h", "5%")))
    before = digest(path)
    result = run("log", path, "alice", "h", stated)
    assert result.exit_code == 2 and digest(path) == before


# ---- time -------------------------------------------------------------------------------------

def test_a_credence_dated_in_the_future_is_refused_by_log(write) -> None:
    path = write(debate_text(credence("alice", "h", "5%")))
    before = digest(path)
    result = run("log", path, "alice", "h", "9%", "--at", later(3))
    assert result.exit_code == 2 and "in the future" in result.output
    assert digest(path) == before
    assert run("log", path, "alice", "h", "9%", "--at", later(1)).exit_code == 0  # time zones


def test_a_future_date_in_a_file_is_an_error_with_its_line(write) -> None:
    path = write(debate_text(credence("alice", "h", "5%", at=dt.date.fromisoformat(later(30)))))
    result = run("check", path)
    line = path.read_text().splitlines().index(f"at = {later(30)}") + 1
    assert result.exit_code == 1 and f"{path}:{line}:" in result.output
    assert "in the future" in result.output


def test_log_writes_date_times_with_their_utc_offset(write) -> None:
    path = write(debate_text())
    run("log", path, "alice", "h", "30%", "--at", "2024-05-01T10:00+02:00")
    run("log", path, "bob", "h", "40%")
    alice, bob = tomli.loads(path.read_text())["credence"]
    assert alice["at"] == dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert bob["at"].tzinfo is not None  # now, in local time with its offset


def test_instants_are_ordered_across_time_zones(write) -> None:
    # 10:00 in Berlin (+02:00) is 08:00 UTC, before 09:00 UTC: it is alice's first credence
    path = write(debate_text(credence("alice", "h", "20%", at="2024-05-01T09:00:00Z"),
                             credence("alice", "h", "10%", at="2024-05-01T10:00:00+02:00")))
    doc = json.loads(run("show", path, "--format", "json").stdout)
    (row,) = [r for r in doc["rows"] if r["crux"] == "h" and r["given"] is None]
    assert {c["participant"]: c for c in row["cells"]}["alice"]["stated"] == "20%"


# ---- coherence --------------------------------------------------------------------------------

INCOHERENT = (credence("alice", "h", "40%"), credence("alice", "a", "50%"),
              credence("alice", "h", "20%", given="a"), credence("alice", "h", "20%", given="not a"))


def test_check_warns_of_conditionals_that_cannot_all_hold(write) -> None:
    # 20% · 50% + 20% · 50% = 20%, not the stated 40%
    path = write(debate_text(*INCOHERENT))
    result = run("check", path)
    assert result.exit_code == 0
    assert "warning: alice's P(h) = 40%, P(a) = 50%, P(h | a) = 20%" in result.output
    assert "P(h) would be 20%" in result.output
    assert run("check", path, "--strict").exit_code == 1
    doc = json.loads(run("check", path, "--format", "json").stdout)
    assert doc["ok"] and doc["files"][0]["warnings"][0]["severity"] == "warning"


def test_a_derived_p_u_given_not_c_outside_the_unit_interval_is_a_warning(write) -> None:
    # (20% - 41% · 50%) / 50% = -1%
    path = write(debate_text(credence("bob", "h", "20%"), credence("bob", "a", "50%"),
                             credence("bob", "h", "41%", given="a")))
    result = run("check", path)
    assert result.exit_code == 0 and "P(h | not a) = -0.01, outside [0, 1]" in result.output


def test_rounding_within_the_tolerance_is_not_a_warning(write) -> None:
    # 31% · 50% + 50% · 50% = 40.5%, stated 40%: half a point apart
    path = write(debate_text(credence("alice", "h", "40%"), credence("alice", "a", "50%"),
                             credence("alice", "h", "31%", given="a"),
                             credence("alice", "h", "50%", given="not a")))
    assert "warning" not in run("check", path).output


def test_summary_marks_the_incoherent_rows(write) -> None:
    path = write(debate_text(*INCOHERENT))
    table = " ".join(run("summary", path).output.split())  # wrapped lines joined
    assert "alice !" in table and "cannot all hold" in table
    doc = json.loads(run("summary", path, "--format", "json").stdout)
    assert "cannot all hold" in doc["voi"][0]["incoherence"]


# ---- usage ------------------------------------------------------------------------------------

def test_between_one_participant_and_themselves_is_a_usage_error(write) -> None:
    path = write(debate_text(credence("alice", "h", "5%")))
    result = run("summary", path, "--between", "alice", "alice")
    assert result.exit_code == 2 and 'names "alice" twice' in result.output


def test_a_did_you_mean_for_a_condition_keeps_its_sign(write) -> None:
    path = write(debate_text(credence("alice", "h", "5%")))
    result = run("log", path, "alice", "h", "9%", "--given", "NOT a")
    assert result.exit_code == 2 and 'did you mean "not a"?' in result.output


# ---- one definition of the move ---------------------------------------------------------------

def test_the_move_after_a_direction_only_entry_is_from_the_last_number_everywhere(
        write, tmp_path: Path) -> None:
    # 10% -> lower -> 5%: log2((0.05/0.95) / (0.1/0.9)) = -1.078 bits, in log, diff and trace
    base = debate_text(credence("alice", "h", "10%", at="2024-01-01"),
                       credence("alice", "h", "lower", at="2024-02-01"))
    old = write(base, "old.toml")
    path = write(base, "d.toml")
    out = run("log", path, "alice", "h", "5%", "--at", "2024-03-01").stdout
    assert out.strip().split("  [id ")[0] == "alice · h: 10% -> lower -> 5% (-1.1 bits)"
    diff = json.loads(run("diff", "--no-index", old, path, "--format", "json").stdout)
    (added,) = diff["debates"][0]["added"]
    assert added["bits"] == pytest.approx(math.log2((0.05 / 0.95) / (0.1 / 0.9)))
    trace = json.loads(run("trace", path, "--format", "json").stdout)
    steps = trace["lines"][0]["steps"]
    assert steps[-1]["bits"] == pytest.approx(added["bits"])


def test_adding_a_premise_to_a_crux_with_credences_warns_what_changes(write) -> None:
    text = debate_text(credence("alice", "a", "30%"), credence("bob", "a", "60%"))
    path = write(text)
    before = digest(path)
    result = run("add", "crux", path, "new-one", "--question", "New?", "--premise-of", "a",
                 "--dry-run")
    assert result.exit_code == 0 and digest(path) == before
    assert 'warning: "a" already has credences from alice, bob' in result.output
    assert "stated-vs-implied" in result.output


def test_a_new_premise_names_whose_implied_value_it_takes_away(write) -> None:
    # h has premises a and b: only alice gave both, so only her implied h goes
    path = write(debate_text(credence("bob", "h", "20%"), credence("alice", "h", "10%"),
                             credence("alice", "a", "50%"), credence("alice", "b", "40%"),
                             credence("bob", "a", "50%")))
    result = run("add", "crux", path, "c", "--question", "C?", "--premise-of", "h", "--dry-run")
    out = " ".join(result.output.split())
    assert 'warning: "h" already has credences from bob, alice' in out
    assert 'the implied h of alice (who gave every earlier premise) is gone until they state "c"' \
        in out


def test_trace_and_its_charts_draw_zero_and_hundred_percent_on_the_edges(write, tmp_path) -> None:
    path = write(debate_text(credence("alice", "h", "30%", at="2024-01-01"),
                             credence("alice", "h", "0%", at="2024-02-01"),
                             credence("bob", "h", "100%", at="2024-03-01")))
    out = run("trace", path).output
    assert "-∞" in out and "drawn on the bottom and top edges" in " ".join(out.split())
    plot = tmp_path / "t.svg"
    assert run("trace", path, "--plot", plot).exit_code == 0 and plot.stat().st_size > 0


def test_check_and_summary_compare_the_same_latest_numbers(write) -> None:
    """check reads the log (coherence.latest_numbers), summary its view (held_latest): both
    must compare each person's latest numbers, with a direction-only update passed over."""
    path = write(debate_text(
        # alice: P(h) 90%, P(a) 20%, P(h | a) 10% then "higher" (no number): still 10%, so
        # P(h | not a) = (90% - 10% · 20%) / 80% = 110%, outside [0, 1]
        credence("alice", "h", "90%"), credence("alice", "a", "20%"),
        credence("alice", "h", "10%", given="a"),
        credence("alice", "h", "higher", at="2024-03-01", given="a"),
        # bob: P(h) 90% then 10%, the latest: (10% - 10% · 20%) / 80% = 10%, coherent (with
        # the first, 90%, it would be 110%)
        credence("bob", "h", "90%"), credence("bob", "h", "10%", at="2024-02-01"),
        credence("bob", "a", "20%"), credence("bob", "h", "10%", given="a")))
    warnings = json.loads(run("check", path, "--format", "json").stdout)["files"][0]["warnings"]
    assert [w["message"].split("'")[0] for w in warnings] == ["alice"]
    assert "P(h | not a) = 1.1, outside [0, 1]" in warnings[0]["message"]
    doc = json.loads(run("summary", path, "--format", "json").stdout)
    marked = [r for r in doc["voi"] if r.get("incoherence")]
    assert [r["participant"] for r in marked] == ["alice"]
