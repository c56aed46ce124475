"""The three-way merge by meaning (pure): what is kept, where it goes, and what conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
import tomli

from conftest import HEADER, credence, debate_text
from cruxcli.core.checks import build
from cruxcli.files.merge import Unmergeable, merge

BASE = debate_text(credence("alice", "h", "10%", at=dt.date(2024, 1, 1)))


def entries(text: str) -> list[tuple[str, str]]:
    return [(e["who"], e["p"]) for e in tomli.loads(text).get("credence", [])]


def test_credences_added_on_both_sides_are_all_kept_ours_then_theirs() -> None:
    # theirs' entry is the earlier one, but it goes after ours': the merge only appends to
    # ours' log, so `diff --strict` against ours passes
    ours = BASE + credence("alice", "h", "5%", at=dt.date(2024, 3, 1))
    theirs = BASE + credence("bob", "h", "40%", at=dt.date(2024, 2, 1))
    result = merge(BASE, ours, theirs)
    assert result.conflicts == []
    assert entries(result.text) == [("alice", "10%"), ("alice", "5%"), ("bob", "40%")]
    build(tomli.loads(result.text))  # a valid debate


def test_same_date_orders_ours_first_and_identical_entries_are_kept_once() -> None:
    same = credence("bob", "h", "40%", at=dt.date(2024, 2, 1))
    ours = BASE + same + credence("alice", "h", "5%", at=dt.date(2024, 2, 1))
    theirs = BASE + same + credence("bob", "a", "1%", at=dt.date(2024, 2, 1))
    result = merge(BASE, ours, theirs)
    assert entries(result.text) == [("alice", "10%"), ("bob", "40%"), ("alice", "5%"),
                                     ("bob", "1%")]


def test_ours_comments_and_layout_are_kept() -> None:
    ours = BASE.replace("[cruxes.a]", "# why A matters\n[cruxes.a]   # inline") \
        + credence("alice", "h", "5%")
    theirs = BASE + credence("bob", "h", "40%")
    text = merge(BASE, ours, theirs).text
    assert "# why A matters\n[cruxes.a]   # inline" in text
    assert text.startswith("# A small debate for tests.")


def test_crlf_is_kept() -> None:
    base = BASE.replace("\n", "\r\n")
    ours = base + credence("alice", "h", "5%").replace("\n", "\r\n")
    theirs = base + credence("bob", "h", "40%").replace("\n", "\r\n")
    text = merge(base, ours, theirs).text
    assert "\n" not in text.replace("\r\n", "")


def test_tables_merge_by_id() -> None:
    theirs = BASE.replace('[participants.bob]', '[participants.carol]\nname = "Carol"\n\n'
                          '[participants.bob]').replace('question = "Premise B?"',
                                                        'question = "Premise B, reworded?"')
    ours = BASE.replace('title = "Test debate"', 'title = "Renamed"')
    result = merge(BASE, ours, theirs)
    doc = tomli.loads(result.text)
    assert result.conflicts == []
    assert doc["title"] == "Renamed" and doc["participants"]["carol"] == {"name": "Carol"}
    assert doc["cruxes"]["b"]["question"] == "Premise B, reworded?"
    assert result.text.index("[participants.carol]") < result.text.index("[cruxes.h]")


def test_a_table_removed_on_one_side_is_removed() -> None:
    theirs = BASE.replace('[participants.bob]\nname = "Bob"\ngroup = "two"\n', "")
    doc = tomli.loads(merge(BASE, BASE, theirs).text)
    assert "bob" not in doc["participants"]


def test_the_same_field_changed_differently_is_a_conflict() -> None:
    ours = BASE.replace('name = "Bob"', 'name = "Robert"')
    theirs = BASE.replace('name = "Bob"', 'name = "Bobby"')
    result = merge(BASE, ours, theirs)
    assert result.conflicts == ['participant "bob" changed on both sides']
    text = result.text
    assert text.startswith("# CONFLICT (cruxcli merge-driver)")
    assert text.index("<<<<<<< ours") < text.index('name = "Robert"') < text.index("||||||| base")
    assert text.index("=======") < text.index('name = "Bobby"') < text.index(">>>>>>> theirs")


def test_a_rewritten_entry_is_a_conflict_even_on_one_side() -> None:
    theirs = BASE.replace('p = "10%"', 'p = "12%"')
    ours = BASE + credence("alice", "h", "5%")
    result = merge(BASE, ours, theirs)
    assert result.conflicts and "edited or removed" in result.conflicts[0]
    assert 'p = "12%"' in result.text and 'p = "5%"' in result.text  # nothing is lost


def test_the_same_rewrite_on_both_sides_is_not_a_conflict() -> None:
    fixed = BASE.replace('p = "10%"', 'p = "12%"')
    result = merge(BASE, fixed, fixed + credence("bob", "h", "40%"))
    assert result.conflicts == [] and entries(result.text) == [("alice", "12%"), ("bob", "40%")]


def test_a_removed_entry_is_a_conflict() -> None:
    ours = HEADER
    result = merge(BASE, ours, BASE)
    assert result.conflicts and "#0 (alice)" in result.conflicts[0]


def test_text_that_is_not_toml_cannot_be_merged() -> None:
    with pytest.raises(Unmergeable):
        merge(BASE, BASE + "<<<<<<< left over\n", BASE)


def resolution(outcome: str, day: int, note: str | None = None) -> str:
    return (f'\n[[resolution]]\ncrux = "a"\noutcome = "{outcome}"\nat = 2024-02-{day:02d}\n'
            + (f'note = "{note}"\n' if note else ""))


def test_a_crux_resolved_differently_on_each_side_is_one_conflict() -> None:
    ours = BASE + resolution("yes", 1)
    theirs = BASE + resolution("no", 2) + resolution("annulled", 3, "the question was void")
    result = merge(BASE, ours, theirs)
    assert result.conflicts == ['crux "a" resolved differently on both sides']
    assert result.text.count("<<<<<<< ours") == 1  # one block, whatever theirs added after
    assert 'outcome = "annulled"' in result.text  # kept, for the person resolving the conflict


def test_the_same_resolution_on_both_sides_is_kept_once() -> None:
    result = merge(BASE, BASE + resolution("yes", 1), BASE + resolution("yes", 1))
    assert result.conflicts == [] and result.text.count("[[resolution]]") == 1
