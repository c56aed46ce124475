"""The model: dates and their order, conditions, and locating errors in the text."""

from __future__ import annotations

import datetime as dt

import pytest
import tomli

from conftest import credence, debate_text
from cruxcli.core.checks import build
from cruxcli.core.model import Condition
from cruxcli.core.when import WhenError, parse_when
from cruxcli.files.locate import locate


@pytest.mark.parametrize(
    "value, text, precision, start",
    [
        (dt.date(2024, 10, 3), "2024-10-03", "day", dt.datetime(2024, 10, 3)),
        (dt.datetime(2024, 10, 3, 9, 30), "2024-10-03T09:30:00", "time",
         dt.datetime(2024, 10, 3, 9, 30)),
        ("2024", "2024", "year", dt.datetime(2024, 1, 1)),
        ("2024-10", "2024-10", "month", dt.datetime(2024, 10, 1)),
        ("2023/..", "2023/..", "year", dt.datetime(2023, 1, 1)),
    ],
)
def test_dates_are_shown_as_given_and_ordered_by_their_start(value, text, precision, start):
    when = parse_when(value)
    assert (when.text, when.precision, when.start) == (text, precision, start)


def test_offsets_are_normalized_to_utc() -> None:
    when = parse_when(dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert when.start == dt.datetime(2024, 1, 1, 10)


def test_a_period_ends_at_its_last_instant() -> None:
    assert parse_when("2024-02").end == dt.datetime(2024, 2, 29, 23, 59, 59, 999999)
    assert parse_when("2024").end.date() == dt.date(2024, 12, 31)


@pytest.mark.parametrize("bad", ["2024-13", "yesterday", "24-10", 2024, True, dt.time(9, 30)])
def test_bad_dates(bad: object) -> None:
    with pytest.raises(WhenError):
        parse_when(bad)


def test_entries_are_ordered_by_date_then_file_position() -> None:
    text = debate_text(
        credence("alice", "h", "1%", at=dt.date(2024, 10, 3)),
        credence("alice", "h", "2%", at="2024-10"),  # October 2024 starts before the 3rd
        credence("alice", "h", "3%", at=dt.datetime(2024, 10, 3, 0, 0)),  # same start as 1%
        credence("alice", "h", "4%", at="2024"),
    )
    debate = build(tomli.loads(text))
    assert [e.credence.text for e in debate.entries] == ["4%", "2%", "1%", "3%"]
    assert [e.position for e in debate.entries] == [3, 1, 0, 2]


def test_the_last_written_entry_is_last_in_the_file_not_in_time() -> None:
    from cruxcli.core.model import Entry
    from cruxcli.core.outcomes import Resolution

    text = debate_text(credence("alice", "h", "10%", at="2024-06-01"),
                       credence("bob", "h", "30%", at="2020-01-01"))  # last, and earliest
    d = build(tomli.loads(text))
    assert d.entries[-1].who == "alice" and d.last_written(Entry).who == "bob"
    resolved = '\n[[resolution]]\ncrux = "{}"\noutcome = "no"\nat = 2024-0{}-01\n'
    d = build(tomli.loads(text + resolved.format("a", 5) + resolved.format("b", 1)))
    assert d.last_written(Resolution).crux == "b" and d.written(Resolution) == 2
    retracted = f'\n[[retraction]]\nid = "{d.entries_written[1].id}"\nwhy = "x"\nat = 2024-07-01\n'
    d = build(tomli.loads(text + retracted))  # bob's, taken back, is still the last written
    assert [e.who for e in d.entries] == ["alice"] and d.last_written(Entry).who == "bob"
    assert (d.written(Entry), d.written(Resolution)) == (2, 0)  # the retracted one counts


def test_conditions() -> None:
    text = debate_text(credence("alice", "h", "30%", given="a"),
                       credence("alice", "h", "5%", given="not  a"))
    a, not_a = build(tomli.loads(text)).entries
    assert a.given == Condition("a") and str(not_a.given) == "not a"
    assert a.series != not_a.series


def test_locate_skips_multiline_strings_and_arrays() -> None:
    text = '''format = 1
note = """
[[credence]]
p = "fake"
"""
list = [
  ["[[credence]]"],
]
[[credence]]
who = "x"
p = "2%"
[participants."odd id"]
name = "y"
'''
    assert locate(text, ("credence", 0, "p")) == (11, 5)
    assert locate(text, ("credence", 0, "at")) == (9, 1)  # falls back to the table header
    assert locate(text, ("participants", "odd id", "name")) == (13, 8)
    assert locate(text, ("nowhere",)) is None


def test_a_long_log_is_validated_a_piece_at_a_time_alike(monkeypatch) -> None:
    from cruxcli.core import schema
    from cruxcli.core.model import InvalidDebate

    said = [credence("alice", "h", f"{n}%", at=f"2024-01-{n:02d}") for n in range(1, 8)]
    whole = build(tomli.loads(debate_text(*said)))
    bad = [*said[:4], said[4].replace('p = "5%"', "p = 5\nwhen = 1"), *said[5:]]
    bad[5] = bad[5].replace('who = "alice"', "who = 6")
    monkeypatch.setattr(schema, "PIECE", 2)
    assert build(tomli.loads(debate_text(*said))).entries == whole.entries
    with pytest.raises(InvalidDebate) as caught:
        build(tomli.loads(debate_text(*bad)))
    # entries 4 and 5 (from 0) share the third piece; each problem names its own entry
    assert sorted((p.path, p.message) for p in caught.value.problems) == [
        (("credence", 4, "when"), "unknown key `when`"),
        (("credence", 5, "who"), "expected text (a quoted string), not 6")]


def test_lines_are_quoted_as_splitting_the_text_would_give_them() -> None:
    import random

    from cruxcli.files.locate import lines_at

    rng = random.Random(1)
    for _ in range(500):
        text = "".join(rng.choice(["a", "\n", "\n\n", "\r\n", "x" * rng.randint(0, 700)])
                       for _ in range(rng.choice([0, 1, 5, 3000])))
        lines = text.split("\n")
        wanted = [rng.randint(-1, len(lines) + 2) for _ in range(rng.randint(0, 20))]
        assert lines_at(text, wanted) == {n: lines[n - 1] for n in wanted
                                          if 1 <= n <= len(lines)}
