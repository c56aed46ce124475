"""`diff --strict` in CI: the log only grows at its end, and what earlier credences say stays
as it was. Each bypass found against an earlier version is here, in a real repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import HEADER, credence, cruxcli, debate_text, git, on_two_branches
from cruxcli.core.schema import KEYS
from cruxcli.files import diagnostics, reading
from cruxcli.reports.diff import diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
REVEAL_KEYS = ("seal", "salt", "revealed")

DEBATE = Path("debates") / "d.toml"
EARLY = credence("alice", "h", "10%", about="2023", source="s", quote="q", note="n",
                 given="a")
LATER = credence("bob", "h", "40%", "2024-06-01")


@pytest.fixture
def base(repo: Path) -> Path:
    """debates/d.toml with two credences, committed as `main`."""
    DEBATE.write_text(debate_text(EARLY, LATER, header=HEADER + '\n[scale]\n"toss-up" = "50%"\n'))
    git("commit", "-qam", "two credences")
    return repo


def strict(*args: str):  # noqa: ANN201
    return cruxcli("diff", "main", "--strict", "--", *args)


def edit(old: str, new: str) -> None:
    text = DEBATE.read_text()
    assert old in text, old
    DEBATE.write_text(text.replace(old, new, 1))


def test_appending_passes(base: Path) -> None:
    assert cruxcli("log", "d", "alice", "h", "20%", "--at", "2025-01-01").returncode == 0
    assert strict().returncode == 0


@pytest.mark.parametrize("key", [k for k in KEYS["credence"] if k not in REVEAL_KEYS])
def test_editing_any_key_of_an_earlier_credence_fails(base: Path, key: str) -> None:
    # every key the format allows, read from the schema: a key added later is tested too (a
    # reveal's keys cannot be edited into a valid file at all: test_commitments tampers them)
    new = {"who": 'who = "bob"', "crux": 'crux = "b"', "given": 'given = "not a"',
           "p": 'p = "11%"', "at": "at = 2024-01-02", "source": 'source = "t"',
           "quote": 'quote = "r"', "note": 'note = "m"', "about": 'about = "2022"'}[key]
    old = next(line for line in EARLY.splitlines() if line.startswith(f"{key} ="))
    edit(old, new)
    assert cruxcli("check", str(DEBATE)).returncode == 0
    result = strict()
    assert result.returncode == 1, (key, result.stdout)
    assert "HISTORY REWRITTEN" in result.stdout and key in result.stdout


def test_an_exact_copy_inserted_among_earlier_entries_fails(base: Path) -> None:
    edit(LATER, EARLY + LATER)
    result = strict()
    assert result.returncode == 1
    assert "inserted among earlier entries" in result.stdout
    doc = json.loads(cruxcli("diff", "main", "--format", "json", "--").stdout)
    assert doc["debates"][0]["history_rewritten"][0]["change"] == "inserted"


def test_a_path_named_like_the_revision_is_refused_as_ambiguous(base: Path) -> None:
    Path("main").mkdir()
    (Path("main") / "x.toml").write_text(DEBATE.read_text())
    edit('p = "10%"', 'p = "12%"')
    result = cruxcli("diff", "main", "--strict")
    assert result.returncode == 2 and "use `--` to separate revisions from paths" in result.stderr
    assert strict().returncode == 1  # with `--`, main is the revision
    as_path = cruxcli("diff", "--", "main/x.toml")  # after `--`: a path (a new debate)
    assert as_path.returncode == 0 and "debate added" in as_path.stdout


def test_a_renamed_debate_is_a_removal_and_fails(base: Path) -> None:
    git("mv", str(DEBATE), "debates/e.toml")
    edit_text = Path("debates/e.toml").read_text().replace('p = "10%"', 'p = "1%"')
    Path("debates/e.toml").write_text(edit_text)
    git("add", "-A")
    assert "rename" in git("status").stdout  # git itself sees a rename
    result = strict()
    assert result.returncode == 1
    assert "DEBATE REMOVED" in result.stdout and "debates/e.toml" in result.stdout


@pytest.mark.parametrize("old, new", [
    ('question = "The headline?"', 'question = "A different headline?"'),  # reworded
    ('"toss-up" = "50%"', '"toss-up" = "45%"'),  # a scale term that a credence uses
    ('group = "two"', 'group = "two"\naggregate = true'),  # bob's credence was his own
])
def test_changing_what_earlier_credences_mean_fails(base: Path, old: str, new: str) -> None:
    assert cruxcli("log", "d", "bob", "h", "toss-up", "--at", "2024-07-01").returncode == 0
    git("commit", "-qam", "bob says toss-up")
    edit(old, new)
    result = cruxcli("diff", "HEAD", "--strict", "--")
    assert result.returncode == 1, result.stdout
    assert "MEANING CHANGED" in result.stdout


@pytest.mark.parametrize("old, new", [
    ('name = "Alice"', 'name = "Alice A."'),
    ('headline = "h"', 'headline = "a"'),
    ('premises = ["a", "b"]', 'premises = ["a"]'),
    ('question = "Premise B?"', 'question = "Premise B, reworded?"'),  # nobody stated b
])
def test_changes_that_are_only_reported(base: Path, old: str, new: str) -> None:
    edit(old, new)
    result = strict()
    assert result.returncode == 0, result.stdout
    assert "changed" in result.stdout


def test_a_credence_added_and_retracted_in_the_range_is_shown_not_a_crash(base: Path) -> None:
    logged = cruxcli("log", "d", "alice", "h", "90%", "--at", "2025-01-01")
    ident = logged.stdout.rsplit("[id ", 1)[1].split("]")[0]
    assert cruxcli("retract", "d", ident, "--why", "typo: meant 9%").returncode == 0
    result = strict()
    assert result.returncode == 0, result.stderr
    assert "retracted: typo: meant 9%" in " ".join(result.stdout.split())
    doc = json.loads(cruxcli("diff", "main", "--format", "json", "--").stdout)["debates"][0]
    assert doc["added"][0]["retracted"]["why"] == "typo: meant 9%"
    assert doc["retracted"][0]["id"] == ident
    md = cruxcli("diff", "main", "--format", "md", "--")
    assert md.returncode == 0 and "typo: meant 9%" in md.stdout


def test_textconv_shows_resolutions_and_retractions(base: Path) -> None:
    assert cruxcli("git", "install").returncode == 0
    git("add", "-A")
    git("commit", "-qm", "drivers")
    logged = cruxcli("log", "d", "alice", "a", "30%", "--at", "2025-01-01")
    ident = logged.stdout.rsplit("[id ", 1)[1].split("]")[0]
    assert cruxcli("retract", "d", ident, "--why", "wrong crux").returncode == 0
    assert cruxcli("resolve", "d", "b", "no", "--at", "2025-02-01").returncode == 0
    shown = git("diff").stdout
    assert '+retraction' in shown and ident in shown and 'why: "wrong crux"' in shown
    assert "+resolution 2025-02-01 b = no" in shown
    assert not [line for line in shown.splitlines() if line.startswith("-credence")]


def test_a_correction_reads_as_one_and_passes(base: Path) -> None:
    assert cruxcli("resolve", "d", "b", "yes", "--at", "2025-01-01").returncode == 0
    git("commit", "-qam", "b resolved")
    refused = cruxcli("resolve", "d", "b", "no", "--at", "2025-02-01")
    assert refused.returncode == 2 and "no `note`" in refused.stderr
    assert cruxcli("resolve", "d", "b", "no", "--at", "2025-02-01",
                   "--note", "the first report was wrong").returncode == 0
    result = cruxcli("diff", "HEAD", "--strict", "--")
    assert result.returncode == 0
    assert "yes -> no (correction)" in result.stdout


def test_two_branches_resolving_a_crux_differently_conflict(base: Path) -> None:
    assert cruxcli("git", "install").returncode == 0
    git("add", "-A")
    git("commit", "-qm", "drivers")
    on_two_branches(["resolve", "d", "b", "no", "--at", "2025-01-02"],
                    ["resolve", "d", "b", "yes", "--at", "2025-01-01"])
    merged = git("merge", "other", "-m", "merge", check=False)
    assert merged.returncode != 0
    assert "resolved differently on both sides" in merged.stdout + merged.stderr


def test_contradictory_resolutions_are_a_check_error_naming_both(base: Path) -> None:
    text = DEBATE.read_text()
    DEBATE.write_text(text + '\n[[resolution]]\ncrux = "b"\noutcome = "yes"\nat = 2025-01-01\n'
                      '\n[[resolution]]\ncrux = "b"\noutcome = "no"\nat = 2025-01-02\n')
    result = cruxcli("check", str(DEBATE))
    assert result.returncode == 1
    lines = DEBATE.read_text().splitlines()
    first = lines.index('outcome = "yes"') + 1
    second = lines.index('outcome = "no"') + 1
    assert f"d.toml:{second}" in result.stdout + result.stderr
    assert f"the other is at {DEBATE}:{first}" in result.stdout + result.stderr


# The property: whatever changes the bytes of an earlier entry so that it parses differently
# makes --strict fail. Core-level (no git), so hypothesis can try many edits.
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(KEYS["credence"]), value=TEXT | st.sampled_from(
    ["5%", "10%", "~10%", "<10%", "likely", "2024", "2024-01-01", "not a", "a", "bob", "h"]))
def test_any_parsed_change_to_an_earlier_entry_fails_strict(key: str, value: str) -> None:
    import tomli_w

    old_text = debate_text(EARLY, LATER)
    line = next((x for x in EARLY.splitlines() if x.startswith(f"{key} =")), None)
    new_line = tomli_w.dumps({key: value}).strip()
    new_text = old_text.replace(line, new_line, 1) if line else old_text
    try:
        new = reading.parse_text(new_text, "new.toml")
    except diagnostics.DebateFileError:
        return  # check refuses it: CI fails there
    old = reading.parse_text(old_text, "old.toml")
    d = diff(old, new)
    if [e.stated for e in old.entries_written] != [e.stated for e in new.entries_written]:
        assert d.strict_fails
    else:
        assert not d.strict_fails


def test_before_dashes_every_word_must_be_a_revision(base: Path) -> None:
    result = cruxcli("diff", "debates/d.toml", "--")
    assert result.returncode == 2 and "is not a revision git knows" in result.stderr


def test_a_changed_table_counts_the_credences_stated_before_it_changed() -> None:
    old = reading.parse_text(debate_text(EARLY, LATER, credence("bob", "a", "5%")), "old.toml")
    new_text = debate_text(EARLY, LATER, credence("bob", "a", "5%")).replace(
        'name = "Bob"', 'name = "Robert"').replace('question = "Premise A?"', 'question = "A?"')
    changes = {(t.kind, t.ident): t.credences_before
               for t in diff(old, reading.parse_text(new_text, "new.toml")).tables}
    # by hand: bob stated LATER and the credence on a; a holds that one credence only
    assert changes == {("participant", "bob"): 2, ("crux", "a"): 1}
