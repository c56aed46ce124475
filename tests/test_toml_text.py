"""The TOML reader gives exactly what tomli gives: rtoml reads where the two agree, tomli
everywhere else (files.toml_text)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tomli
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from cruxcli.files import toml_text

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def every_text_to_rtoml(monkeypatch) -> None:
    """Small texts go to tomli alone, and are read whole: here every text goes where a large
    one would, in pieces of a few lines."""
    monkeypatch.setattr(toml_text, "LARGE", 0)
    monkeypatch.setattr(toml_text, "PIECE", 40)


def outcome(parse, text: str) -> tuple[str, str]:
    """What a parser makes of `text`: its result's repr (types included), or that it refused."""
    try:
        return "ok", repr(parse(text))
    except (tomli.TOMLDecodeError, RecursionError) as exc:
        return "error", type(exc).__name__


def shipped_files() -> list[Path]:
    return sorted(p for folder in ("debates", "templates", "tests", "benchmarks")
                  for p in (REPO / folder).rglob("*.toml"))


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.name)
def test_every_toml_file_in_the_repository_reads_as_tomli_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(toml_text.loads, text) == outcome(tomli.loads, text)


@pytest.mark.parametrize("text", [
    'a = 1979-05-27T07:32:00Z',  # rtoml's tzinfo is its own type: tomli reads offsets
    'a = 1979-05-27T07:32:00.999999999-07:00',
    'a = """\r\nx\r\ny"""',  # tomli turns CRLF in a multi-line string into LF
    "a = '''\nx\r\n'''",
    'a = 1e400',  # rtoml refuses, tomli reads infinity
    'a = ' + '[' * 300 + ']' * 300,  # deeper than rtoml goes
    'a = ' + '[' * 5000 + ']' * 5000,  # deeper than tomli goes: RecursionError, as before
    '.'.join(['a'] * 300) + ' = 1',
    'a = 99999999999999999999',
    'a = 2024-02-30',
    'a = { b = 1, b = 2 }',
    'a = "\\u00e9\\U0001F600"',
    '[x]\ny.z = 1\n[x.y]',
    'a = nan\nb = -inf\nc = -0.0',
    'a = 07:32:00.1234567\nb = 1979-05-27 07:32:00',
])
def test_where_the_parsers_differ_the_result_is_tomlis(text: str) -> None:
    assert outcome(toml_text.loads, text) == outcome(tomli.loads, text)


ENTRY = '[[credence]]\nwho = "a"\np = "1%"\n'
LONG = 'pad = "' + "x" * 50 + '"\n'  # a first piece without a [[credence]]


@pytest.mark.parametrize("text", [
    'format = 1\n' + ENTRY * 6,  # pieces joined
    ENTRY * 3 + '[credence.x]\ny = 1\n' + ENTRY * 3 + '[credence.x]\ny = 2\n',  # sub-tables
    'credence = [{who = "a"}]\n' + LONG + ENTRY * 6,  # a static array cannot grow
    'credence.x = 1\n' + LONG + ENTRY * 6,
    "'credence' = []\n" + LONG + ENTRY * 6,
    '[x]\ncredence = []\n' + LONG + ENTRY * 6,  # (not the same credence: TOML either way)
    ENTRY * 3 + 'q = """\n' + ENTRY * 3 + '"""\n' + ENTRY * 2,  # headers inside a string
    ENTRY * 3 + "q = '''\n" + ENTRY * 3 + "'''\n" + ENTRY * 2,
    ENTRY * 3 + 'q = [\n' + ENTRY * 3 + ']\n',  # ... and inside an array
    '[[resolution]]\nx = 1\n' + ENTRY * 6 + '[[resolution]]\nx = 2\n',  # two arrays grow
    '[cruxes.a]\nq = "?"\n' + ENTRY * 6 + '[cruxes.a]\nq = "!"\n',  # a table twice
    '[cruxes.a]\nq = "?"\n' + ENTRY * 6 + '[cruxes.b]\nq = "!"\n',  # two tables, one name
    '[credence]\nx = 1\n' + LONG + ENTRY * 6,  # a table, then an array
    ENTRY * 6 + 'note = "a credence = 5% here"\n',  # the word in a note: read whole
    ENTRY * 6 + '[[credence.more]]\nz = 1\n' + ENTRY,
])
def test_a_text_read_in_pieces_reads_as_tomli_reads_it(text: str) -> None:
    assert outcome(toml_text.loads, text) == outcome(tomli.loads, text)


def test_a_large_text_is_read_in_pieces() -> None:
    calls = []

    def parse(text: str) -> dict:
        calls.append(text)
        return tomli.loads(text)

    text = 'format = 1\n' + ENTRY * 20
    assert toml_text._in_pieces(parse, text) == tomli.loads(text) and len(calls) > 5
    assert all(c.startswith("[[credence]]\n") for c in calls[1:])


def test_mutated_debates_read_as_tomli_reads_them() -> None:
    """Random small edits of the shipped debate (20,000 were run when rtoml was adopted)."""
    base = (REPO / "debates" / "scheming.toml").read_text(encoding="utf-8")
    pieces = list("[]{}\"'=.,#\n\t \\0123456789-:TZze+_abnotrufl") + ['"""', "'''", "\\u",
                                                                      "\x00", "\x7f", "é"]
    rng = random.Random(5)
    for _ in range(300):
        text = base
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            text = text[:i] + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) + \
                text[i + rng.randint(0, 5):]
        assert outcome(toml_text.loads, text) == outcome(tomli.loads, text), text


values = st.one_of(st.text(), st.integers(), st.booleans(), st.dates(), st.datetimes(),
                   st.floats(allow_nan=False), st.none(), st.lists(st.integers(), max_size=2))


@given(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6))
def test_a_table_is_written_exactly_as_tomli_w_writes_it(fields: dict) -> None:
    expected = "[[credence]]\n" + tomli_w.dumps({k: v for k, v in fields.items()
                                                 if v is not None})
    assert toml_text.table("[[credence]]", fields) == expected


def test_every_character_a_string_can_hold_is_written_as_tomli_w_writes_it() -> None:
    text = "".join(map(chr, range(0x100))) + "\u2028\U0001f600"
    assert toml_text.table("[x]", {"quote": text}) == "[x]\n" + tomli_w.dumps({"quote": text})
