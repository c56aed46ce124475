"""Commitments no other tool keeps: sealed credences, pledged updates, and cruxes that must
agree. Every number here worked out by hand in the comment beside it."""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path

import pytest

from conftest import credence, debate_text, run

HEADER = """\
format = 1
title = "Commitments"
headline = "by2030"

[participants.alice]
name = "Alice"

[participants.bob]
name = "Bob"

[participants.carol]
name = "Carol"

[cruxes.by2030]
question = "By 2030?"

[cruxes.by2040]
question = "By 2040?"

[cruxes.red]
question = "Red?"

[cruxes.blue]
question = "Blue?"

[cruxes.green]
question = "Green?"

[cruxes.evals]
question = "Do the evals come back clean?"
"""


def bits(p: float, q: float) -> float:
    return math.log2((p / (1 - p)) / (q / (1 - q)))


@pytest.fixture
def vault(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "cruxcli" / "seals"


def trace_of(path: Path, crux: str, as_of: str) -> dict[str, list[str]]:
    doc = json.loads(run("trace", path, "--crux", crux, "--as-of", as_of, "--format",
                         "json").stdout)
    return {ln["participant"]: [s["stated"] for s in ln["steps"]] for ln in doc["lines"]}


# ---- sealed credences -------------------------------------------------------------------

def test_a_round_of_three_sealed_credences_revealed_together(write, vault) -> None:
    path = write(debate_text(header=HEADER))
    for who, p in (("alice", "30%"), ("bob", "60%"), ("carol", "45%")):
        result = run("seal", path, who, "green", p, "--at", "2024-04-01")
        assert result.exit_code == 0 and str(vault) in result.output
    assert p not in path.read_text()  # only digests in the debate
    files = list(vault.glob("*.json"))
    assert len(files) == 3 and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    show = json.loads(run("show", path, "--format", "json").stdout)
    (green,) = [r for r in show["rows"] if r["crux"] == "green"]
    assert green["sealed"] == 3 and green["cells"] == []  # never a number while sealed
    assert "sealed, not yet revealed" in " ".join(run("show", path).output.split())
    assert run("reveal", path, "--all", "--at", "2024-05-01").exit_code == 0
    assert run("check", path, "--strict").exit_code == 0  # every reveal opens its seal
    assert trace_of(path, "green", "2024-04-15") == {}  # sealed then: nothing to read
    assert "sealed, not yet revealed (never a number until then): green (3)" in " ".join(
        run("trace", path, "--crux", "green", "--as-of", "2024-04-15", "--no-chart").output.split())
    after = json.loads(run("trace", path, "--crux", "green", "--as-of", "2024-05-02",
                           "--format", "json").stdout)
    stated = {ln["participant"]: [(s["stated"], s["at"]) for s in ln["steps"]]
              for ln in after["lines"]}
    assert stated == {"alice": [("30%", "2024-04-01")], "bob": [("60%", "2024-04-01")],
                      "carol": [("45%", "2024-04-01")]}  # at the seal's date


def test_a_tampered_reveal_fails_check_naming_both(write, vault) -> None:
    path = write(debate_text(header=HEADER))
    run("seal", path, "alice", "green", "30%", "--at", "2024-04-01")
    run("reveal", path, "--all", "--at", "2024-05-01")
    tampered = path.read_text().replace('p = "30%"', 'p = "20%"')
    path.write_text(tampered)
    result = run("check", path)
    assert result.exit_code == 1 and "does not open [[seal]] #0" in result.output
    assert '"20%"' in result.output


def test_a_seal_never_revealed_stays_out_of_every_figure(write, vault) -> None:
    path = write(debate_text(credence("bob", "green", "60%"), header=HEADER))
    run("seal", path, "alice", "green", "1%", "--at", "2024-04-01")
    for report in ("show", "summary", "trace", "score"):
        text = run(report, path, "--format", "json").stdout
        assert '"1%"' not in text and "0.01" not in text, report
    summary = json.loads(run("summary", path, "--format", "json").stdout)
    assert all(r["n"] == 1 for r in summary["divergence"] if r["crux"] == "green")


def test_reveal_all_opens_the_seals_you_hold_and_an_id_you_do_not_says_where_it_looked(
        write, vault) -> None:
    path = write(debate_text(header=HEADER))
    run("seal", path, "alice", "green", "30%", "--at", "2024-04-01")
    (elsewhere,) = vault.glob("*.json")
    elsewhere.unlink()  # alice sealed it on her own machine
    run("seal", path, "bob", "green", "60%", "--at", "2024-04-01")
    result = run("reveal", path, "--all", "--at", "2024-05-01")
    assert result.exit_code == 0 and "revealed 1 sealed credence" in result.output
    (green,) = [r for r in json.loads(run("show", path, "--format", "json").stdout)["rows"]
                if r["crux"] == "green"]
    assert [c["stated"] for c in green["cells"]] == ["60%"] and green["sealed"] == 1
    before = path.read_bytes()
    result = run("reveal", path, elsewhere.stem)
    assert result.exit_code == 2 and "is not in" in result.output
    assert path.read_bytes() == before


def test_a_seal_revealed_once_cannot_be_revealed_again(write, vault) -> None:
    path = write(debate_text(header=HEADER))
    run("seal", path, "alice", "green", "30%", "--at", "2024-04-01")
    (record,) = vault.glob("*.json")
    assert run("reveal", path, record.stem[:6], "--at", "2024-05-01").exit_code == 0
    before = path.read_bytes()
    again = run("reveal", path, record.stem[:6])
    assert again.exit_code == 2 and "no seal waiting to be revealed has an id starting" in \
        " ".join(again.output.split())
    assert path.read_bytes() == before


# ---- pledges ------------------------------------------------------------------------------

PLEDGED = [credence("alice", "by2030", "40%"), credence("bob", "by2030", "20%"),
           '\n[[pledge]]\nwho = "alice"\ncrux = "by2030"\nif = "evals"\np = "<5%"\n'
           'at = 2024-02-01\n',
           '\n[[pledge]]\nwho = "bob"\ncrux = "by2030"\nif = "evals"\np = "higher"\n'
           'at = 2024-02-01\n']


def test_a_pledge_kept_and_one_broken(write) -> None:
    path = write(debate_text(*PLEDGED, header=HEADER))
    before = json.loads(run("trace", path, "--crux", "by2030", "--format", "json").stdout)
    assert [p["status"] for p in before["pledges"]] == ["pending", "pending"]
    assert run("resolve", path, "evals", "yes", "--at", "2024-03-01").exit_code == 0
    run("log", path, "alice", "by2030", "4%", "--at", "2024-03-05")
    run("log", path, "bob", "by2030", "10%", "--at", "2024-03-05")
    doc = json.loads(run("score", path, "--format", "json").stdout)
    pledges = {p["participant"]: p for p in doc["pledges"]}
    assert (pledges["alice"]["status"], pledges["alice"]["gap_bits"]) == ("kept", 0.0)  # 4% <5%
    # bob pledged higher than his 20% and said 10%: log2((.1/.9) / (.2/.8)) = -1.17 bits
    assert pledges["bob"]["status"] == "broken"
    assert pledges["bob"]["gap_bits"] == pytest.approx(abs(bits(0.1, 0.2)))
    assert "bob: 0 kept, 1 broken" in run("score", path).output


def test_a_pledge_whose_condition_went_the_other_way_is_not_triggered(write) -> None:
    path = write(debate_text(*PLEDGED, header=HEADER)
                 + '\n[[resolution]]\ncrux = "evals"\noutcome = "no"\nat = 2024-03-01\n')
    doc = json.loads(run("score", path, "--format", "json").stdout)
    assert {p["status"] for p in doc["pledges"]} == {"not triggered"}


def test_cruxcli_pledge_appends_one(write) -> None:
    path = write(debate_text(credence("alice", "by2030", "40%"), header=HEADER))
    result = run("pledge", path, "alice", "by2030", "20-30%", "--if", "not evals", "--at",
                 "2024-02-01")
    assert result.exit_code == 0 and 'if = "not evals"' in path.read_text()
    assert run("pledge", path, "alice", "by2030", "30%", "--if", "nope").exit_code == 2


# ---- relations ----------------------------------------------------------------------------

def relation(kind: str, *cruxes: str) -> str:
    return f'\n[[relation]]\nkind = "{kind}"\ncruxes = {json.dumps(list(cruxes))}\n'


@pytest.mark.parametrize(("kind", "cruxes", "values", "expected"), [
    # implies / horizons: P(by2030) <= P(by2040); 40% vs 30% breaks it by bits(.4, .3)
    ("implies", ("by2030", "by2040"), {"by2030": "40%", "by2040": "30%"}, bits(0.4, 0.3)),
    ("implies", ("by2030", "by2040"), {"by2030": "20%", "by2040": "30%"}, 0.0),
    ("horizons", ("by2030", "by2040"), {"by2030": "40%", "by2040": "30%"}, bits(0.4, 0.3)),
    # excludes: at most one; 60% + 50% = 1.1: the nearest fix moves 50% to 40% or 60% to 50%
    ("excludes", ("red", "blue"), {"red": "60%", "blue": "50%"},
     min(bits(0.5, 0.4), bits(0.6, 0.5))),
    ("excludes", ("red", "blue"), {"red": "60%", "blue": "30%"}, 0.0),
    # partition: they sum to 1; 50 + 30 + 40 = 120: red 50% -> 30% is the smallest move
    ("partition", ("red", "blue", "green"), {"red": "50%", "blue": "30%", "green": "40%"},
     min(bits(0.5, 0.3), bits(0.3, 0.1), bits(0.4, 0.2))),
    ("partition", ("red", "blue", "green"), {"red": "50%", "blue": "30%", "green": "20%"}, 0.0),
    # a partition already over 1 is broken before every part is stated: 70 + 50 = 120
    ("partition", ("red", "blue", "green"), {"red": "70%", "blue": "50%"},
     min(bits(0.7, 0.5), bits(0.5, 0.3))),
])
def test_each_relation_kind_violated_and_satisfied(write, kind, cruxes, values, expected) -> None:
    path = write(debate_text(*(credence("alice", c, p) for c, p in values.items()),
                             header=HEADER) + relation(kind, *cruxes))
    (row,) = json.loads(run("summary", path, "--format", "json").stdout)["relations"]
    assert row["bits"] == pytest.approx(expected) and row["violated"] == (expected > 0.1)
    checked = run("check", path, "--strict")
    assert checked.exit_code == (1 if expected > 0.1 else 0)
    if expected > 0.1:
        assert "alice's credences break" in checked.output


@pytest.mark.parametrize(("kind", "values"), [
    ("partition", {"red": "50%", "blue": "30%"}),  # under 1, and green may take the rest
    ("excludes", {"red": "90%"}),  # one part alone cannot break "at most one"
])
def test_a_relation_is_not_measured_until_enough_is_stated(write, kind, values) -> None:
    path = write(debate_text(*(credence("alice", c, p) for c, p in values.items()),
                             header=HEADER) + relation(kind, "red", "blue", "green"))
    assert json.loads(run("summary", path, "--format", "json").stdout)["relations"] == []
    assert run("check", path, "--strict").exit_code == 0


@pytest.mark.parametrize(("text", "says"), [
    (relation("implies", "by2030", "nope"), 'unknown crux "nope"'),
    (relation("partition", "red"), "a partition of one crux says nothing"),
    (relation("implies", "by2030", "by2040") + relation("implies", "by2040", "by2030"),
     "implications form a cycle"),
    (relation("maybe", "red", "blue"), 'kind "maybe"'),
])
def test_a_relation_that_cannot_be_is_an_error(write, text, says) -> None:
    result = run("check", write(debate_text(header=HEADER) + text))
    assert result.exit_code == 1 and says in result.output


def test_diff_strict_takes_new_commitments_as_appends_and_edits_as_rewrites(write) -> None:
    old = write(debate_text(*PLEDGED, header=HEADER), "old.toml")
    grown = write(old.read_text() + relation("implies", "by2030", "by2040"), "new.toml")
    assert run("diff", "--strict", old, grown).exit_code == 0
    edited = write(old.read_text().replace('p = "<5%"', 'p = "<10%"'), "edited.toml")
    assert run("diff", "--strict", old, edited).exit_code == 1


def test_the_merge_driver_unions_seals_like_any_log(repo: Path, vault) -> None:
    from conftest import cruxcli, git, on_two_branches

    assert cruxcli("git", "install").returncode == 0
    git("add", "-A")
    git("commit", "-qm", "drivers")
    on_two_branches(["seal", "d", "alice", "h", "30%", "--at", "2024-04-01"],
                    ["seal", "d", "bob", "h", "60%", "--at", "2024-04-01"])
    merged = git("merge", "other", "-m", "merge", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert (repo / "debates" / "d.toml").read_text().count("[[seal]]") == 2
    assert cruxcli("reveal", "d", "--all", "--at", "2024-05-01").returncode == 0
    assert cruxcli("check", "d").returncode == 0


def test_a_seal_that_cannot_be_written_keeps_no_salt_and_changes_nothing(write, vault) -> None:
    from conftest import digest

    path = write(debate_text(header=HEADER))
    before = digest(path)
    result = run("seal", path, "nobody", "green", "30%", "--at", "2024-04-01")
    assert result.exit_code == 2 and "nobody" in result.output
    assert digest(path) == before and not list(vault.glob("*.json"))


def test_a_damaged_private_file_is_a_clear_error_not_a_traceback(write, vault) -> None:
    from conftest import digest

    path = write(debate_text(header=HEADER))
    run("seal", path, "alice", "green", "30%", "--at", "2024-04-01")
    for record in vault.glob("*.json"):
        record.write_text("{not json")
    before = digest(path)
    result = run("reveal", path, "--all")
    assert result.exit_code == 2 and "is not a sealed statement" in result.output
    assert digest(path) == before


def test_the_ids_of_many_entries_at_once_are_each_ones_id(write, vault) -> None:
    """Entry.ids (a key at a time, for archives) gives what Entry.id gives one by one: plain,
    conditional, recalled, verbal and revealed credences alike."""
    from cruxcli.core.model import Entry
    from cruxcli.files import reading

    path = write(debate_text(credence("alice", "h", "10%"), credence("bob", "h", "likely"),
                             credence("bob", "a", "<1%", given="not b"),
                             credence("alice", "a", "~2%", at="2024-06-01", about="2023")))
    for who in ("alice", "bob"):
        assert run("seal", path, who, "h", "40%", "--at", "2024-03-01").exit_code == 0
    assert run("reveal", path, "--all", "--at", "2024-05-01").exit_code == 0
    entries = reading.load(path).entries_written
    assert any(e.seal for e in entries) and any(e.given for e in entries)
    assert Entry.ids(entries) == [e.id for e in entries]
    assert Entry.ids([]) == []


def test_a_relative_data_home_never_puts_a_salt_beside_the_debate(write, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """A relative $XDG_DATA_HOME is ignored, as the XDG spec says: else the salt that opens a
    seal would sit in the working directory, perhaps in the repository beside the debate."""
    path = write(debate_text(header=HEADER))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", "data")
    monkeypatch.chdir(path.parent)
    assert run("seal", path, "alice", "green", "30%", "--at", "2024-04-01").exit_code == 0
    assert not (path.parent / "data").exists()
    assert len(list((tmp_path / "home" / ".local/share/cruxcli/seals").glob("*.json"))) == 1


@pytest.mark.parametrize("partial", [{"salt": "ab" * 16}, {"revealed": "2024-02-01"},
                                     {"seal": "x", "salt": "ab" * 16}])
def test_part_of_a_reveal_is_refused_even_on_a_credence_stated_before(write, partial) -> None:
    """A log's second statement of the same text and date is built without checking it
    again, unless it holds any other key: half a reveal must not be dropped silently there."""
    first = credence("alice", "h", "10%")
    path = write(debate_text(first, credence("alice", "h", "10%", **partial)))
    result = run("check", path)
    assert result.exit_code == 1
    assert "a revealed credence gives `seal`, `salt` and `revealed` together" in result.output
