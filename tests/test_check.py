"""`cruxcli check`: "ok", or every error with path:line(:col) and the offending text quoted;
exit 1 for invalid data, 2 for usage errors, never a traceback."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from conftest import HEADER, credence, debate_text, run
from cruxcli.core.checks import CHECKS


def test_a_valid_debate_is_ok(write) -> None:
    path = write(debate_text(credence("alice", "h", "2%")))
    result = run("check", path)
    assert result.exit_code == 0
    assert result.output.startswith("ok  ") and "(2 participants, 3 cruxes, 1 credence)" in result.output


@pytest.mark.parametrize(
    "entry, line, message, quoted",
    [
        (credence("alice", "h", "150%"), 'p = "150%"', "above 100%", '"150%"'),
        (credence("alice", "h", "-3%"), 'p = "-3%"', "negative", '"-3%"'),
        (credence("alice", "h", True), "p = true", "not a credence", "true"),
        (credence("alice", "h", math.nan), "p = nan", "finite", "nan"),
        (credence("alice", "h", math.inf), "p = inf", "finite", "inf"),
        (credence("alice", "h", "2%").replace('"2%"', "{ x = 1 }"), "p = {",
         "a credence must be text or a number", None),
        (credence("alise", "h", "2%"), 'who = "alise"', 'did you mean "alice"', '"alise"'),
        (credence("alice", "hh", "2%"), 'crux = "hh"', 'did you mean "h"', '"hh"'),
        (credence("alice", "h", "2%", given="zz"), 'given = "zz"', "unknown crux", '"zz"'),
        (credence("alice", "h", "2%", given="not h"), 'given = "not h"', "given itself", None),
        (credence("alice", "h", "2%", at="2024-13"), 'at = "2024-13"', "not a real date", None),
        (credence("alice", "h", "2%", at="soon"), 'at = "soon"', "not a date", '"soon"'),
        (credence("alice", "h", "2%", who2="x"), 'who2 = "x"', 'unknown key `who2`', None),
        (credence("alice", "h", "2%", note="n").replace('"n"', "{ a = 1 }"), "note = {",
         "expected text (a quoted string), not a table", None),
    ],
)
def test_bad_entries_are_located_and_quoted(write, entry, line, message, quoted) -> None:
    path = write(debate_text(credence("bob", "h", "5%"), entry))
    result = run("check", path)
    assert result.exit_code == 1
    lineno = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if line in text)
    assert f"{path}:{lineno}" in result.output
    assert message in result.output
    if quoted:
        assert quoted in result.output


def test_missing_at_names_the_entry(write) -> None:
    text = debate_text('\n[[credence]]\nwho = "alice"\ncrux = "h"\np = "2%"\n')
    result = run("check", write(text))
    assert result.exit_code == 1 and "missing required key `at`" in result.output


def test_every_error_is_reported_not_just_the_first(write) -> None:
    text = debate_text(credence("alise", "h", "150%"), credence("alice", "zz", "2%"),
                       '\n[[credence]]\nwho = "bob"\ncrux = "h"\np = "2%"\n')
    result = run("check", write(text))
    for expected in ("alise", "150%", '"zz"', "missing required key `at`"):
        assert expected in result.output
    assert result.output.count("error:") == 4


@pytest.mark.parametrize(
    "edit, message",
    [
        (('headline = "h"', 'headline = "hx"'), 'headline "hx" is not a crux (did you mean "h"?)'),
        (('headline = "h"\n', ""), "missing required key `headline`"),
        (('format = 1', 'format = 2'), "format 2 is not supported"),
        (('format = 1\n', ""), "missing `format = 1`"),
        (('premises = ["a", "b"]', 'premises = ["a", "c"]'), 'unknown crux "c" in premises'),
        (('premises = ["a", "b"]', 'premises = ["a", "h"]'), "lists itself as a premise"),
        (('premises = ["a", "b"]', 'premises = ["a", "a"]'), "listed twice"),
        (('[participants.bob]', '[participants.Bob]'), "must be a slug"),
        (('name = "Bob"', 'name = ["Bob"]'), "expected text (a quoted string), not a list"),
        (('[participants.bob]\nname = "Bob"', '[participants.alice]\nname = "Bob"'),
         "invalid TOML"),
    ],
)
def test_structural_errors(write, edit, message) -> None:
    old, new = edit
    assert old in HEADER
    result = run("check", write(HEADER.replace(old, new, 1)))
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_a_premise_cycle_is_reported(write) -> None:
    text = HEADER.replace('question = "Premise A?"', 'question = "Premise A?"\npremises = ["h"]')
    result = run("check", write(text))
    assert result.exit_code == 1 and "premises form a cycle: h -> a -> h" in result.output


def test_duplicate_ids_are_toml_errors_with_line_and_column(write) -> None:
    text = HEADER + '\n[participants.alice]\nname = "Alice again"\n'
    path = write(text)
    result = run("check", path)
    assert result.exit_code == 1
    line = text.splitlines().index("[participants.alice]", 10) + 1
    assert f"{path}:{line}:" in result.output and "invalid TOML" in result.output


def test_syntax_errors_show_the_line_with_a_caret(write) -> None:
    path = write(HEADER + '\n[[credence]]\nwho = "alice\n')
    result = run("check", path)
    assert result.exit_code == 1
    assert 'who = "alice' in result.output and "^" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"format = 1\x00\x01\x02", "binary file"),
        (b'format = 1\ntitle = "caf\xe9"\n', "not UTF-8: byte 0xe9"),
        (b"\xff\xfe\x00t\x00i", "binary file"),
        (b"[[[", "invalid TOML"),
    ],
)
def test_unreadable_files_fail_cleanly(write, content: bytes, message: str) -> None:
    path = write(content)
    result = run("check", path)
    assert result.exit_code == 1
    assert str(path) in result.output and message in result.output


def test_not_utf8_names_line_and_column(write) -> None:
    result = run("check", write(b'format = 1\ntitle = "caf\xe9"\n'))
    assert ":2:13:" in result.output  # `title = "caf` is 12 characters


def test_a_directory_is_checked_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(debate_text())
    (tmp_path / "bad.toml").write_text("format = 2\n")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "ok  " in result.output and "format 2 is not supported" in result.output


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", tmp_path / "nope.toml")
    assert result.exit_code == 2 and "no such file" in result.output


def test_no_debates_here_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2 and "no debates to check" in result.output


def test_a_large_garbage_file_fails_fast_and_cleanly(write) -> None:
    garbage = (b"this is not toml \x01 " * 2_700_000)[: 50 * 1024 * 1024]
    result = run("check", write(garbage))
    assert result.exit_code == 1 and "invalid TOML" in result.output
    assert len(result.output) < 2000  # one located error, not the file echoed back


def test_random_bytes_fail_cleanly(write) -> None:
    result = run("check", write(os.urandom(1 << 20)))
    assert result.exit_code == 1


def test_json_output_for_ci_and_editors(write) -> None:
    good = write(debate_text(credence("alice", "h", "2%")), "good.toml")
    bad = write(debate_text(credence("alice", "h", "150%")), "bad.toml")
    result = run("check", good, bad, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    by_file = {f["file"]: f for f in doc["files"]}
    assert by_file[str(good)]["ok"] and by_file[str(good)]["credences"] == 1
    err = by_file[str(bad)]["errors"][0]
    assert err["key"] == "credence[0].p" and err["excerpt"] == 'p = "150%"'
    assert err["line"] == HEADER.count("\n") + 5 and err["column"] == 5


def test_hostile_text_in_errors_is_escaped(write) -> None:
    entry = credence("alice\x1b]0;pwned\x07", "h", "2%")
    result = run("check", write(debate_text(entry)))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b]0;pwned\\x07" in result.output


def test_sources_required(write) -> None:
    header = HEADER.replace('headline = "h"', 'headline = "h"\nsources_required = true')
    text = header + credence("alice", "h", "2%", source="https://example.org")
    result = run("check", write(text))
    assert result.exit_code == 1 and "missing `quote`: this debate has sources_required" in \
        result.output and "missing `source`" not in result.output


# One broken file per named check (core.checks.CHECKS): a check added without an example here
# fails this test, so the list and what `check` does cannot drift apart.
BROKEN = {
    "format": debate_text().replace("format = 1", "format = 2"),
    "schema": debate_text().replace('name = "Alice"', 'name = "Alice"\nnmae = "x"'),
    "scale": debate_text() + '\n[scale]\n"toss-up" = "maybe"\n',
    "ids": debate_text().replace("[participants.bob]", "[participants.Bob]"),
    "premises": debate_text().replace('premises = ["a", "b"]', 'premises = ["a", "zz"]'),
    "credences": debate_text(credence("carol", "h", "10%")),
    "sources": debate_text(credence("alice", "h", "10%"))
    .replace('headline = "h"', 'headline = "h"\nsources_required = true'),
    "resolutions": debate_text() + '\n[[resolution]]\ncrux = "h"\noutcome = "maybe"\n'
                                   'at = 2024-01-01\n',
    "not-future": debate_text(credence("alice", "h", "10%", at="2999-01-01")),
    "retractions": debate_text() + '\n[[retraction]]\nid = "0123456789"\nwhy = "x"\n'
                                   'at = 2024-01-01\n',
    "contradictions": debate_text() + '\n[[resolution]]\ncrux = "h"\noutcome = "yes"\n'
                      'at = 2024-01-01\n\n[[resolution]]\ncrux = "h"\noutcome = "no"\n'
                      'at = 2024-01-02\n',
    "coherence": debate_text(credence("alice", "h", "90%"), credence("alice", "a", "20%"),
                             credence("alice", "h", "10%", given="a")),
    "after-resolution": debate_text(credence("alice", "h", "10%", at="2024-06-01"))
    + '\n[[resolution]]\ncrux = "h"\noutcome = "no"\nat = 2024-01-01\n',
    "relations": debate_text() + '\n[[relation]]\nkind = "implies"\ncruxes = ["a", "zz"]\n',
    "relation-held": debate_text(credence("alice", "a", "60%"), credence("alice", "b", "50%"))
    + '\n[[relation]]\nkind = "excludes"\ncruxes = ["a", "b"]\n',
    "seals": debate_text(credence("alice", "h", "10%", seal="0123456789", salt="00" * 16,
                                  revealed="2024-02-01")),
    "pledges": debate_text() + '\n[[pledge]]\nwho = "alice"\ncrux = "h"\nif = "h"\n'
                               'p = "<5%"\nat = 2024-01-01\n',
    # an append check: the file is valid, the write below is refused
    "news": debate_text() + '\n[[resolution]]\ncrux = "h"\noutcome = "no"\nat = 2024-01-01\n',
}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_every_named_check_has_a_file_that_trips_it(write, check) -> None:
    path = write(BROKEN[check.name])
    if check.severity == "append":
        assert run("check", path, "--strict").exit_code == 0
        result = run("log", path, "alice", "h", "10%", "--at", "2024-06-01")
        assert result.exit_code == 2 and "is no forecast of it" in result.output
        return
    result = run("check", path, "--strict")
    assert result.exit_code == 1, result.output
    assert ("warning:" if check.severity == "warning" else "error:") in result.output
    assert check.name in run("check", "--list").output


def test_check_list_as_json_names_each_check_once() -> None:
    doc = json.loads(run("check", "--list", "--format", "json").output)
    names = [c["name"] for c in doc["checks"]]
    assert names == [c.name for c in CHECKS] and len(set(names)) == len(names)


def test_warnings_are_located_alike_from_the_logs_alone_and_from_a_full_scan(write) -> None:
    from cruxcli.core.checks import warnings as warning_checks
    from cruxcli.files import locate, reading

    quoted = 'quote = """\n[[credence]]\n"""'  # a header inside a string: counts differ
    for extra in ("", f'\n[[credence]]\nwho = "bob"\ncrux = "b"\np = "10%"\nat = 2024-01-01\n'
                      f"{quoted}\n"):
        path = write(debate_text(credence("alice", "h", "90%"), credence("alice", "a", "20%"),
                                 credence("alice", "h", "10%", given="a"),
                                 credence("bob", "h", "10%", at="2024-06-01")) + extra
                     + '\n[[resolution]]\ncrux = "h"\noutcome = "no"\nat = 2024-01-01\n')
        d = reading.load(path)
        fast = reading.warnings(path.read_bytes(), str(path), d)
        full = reading.located(path.read_text(), str(path), warning_checks(d), "warning")
        assert fast == full and len(fast) == 2 and all(x.line for x in fast)
        counts = {"credence": len(d.entries_written), "resolution": 1}
        wanted = {("credence", 2)}
        expected = None if extra else {key: at for key, at in locate.index(path.read_text())
                                       .items() if key[:2] == ("credence", 2)}
        got = locate.log_index(path.read_text(), wanted, counts)
        assert got == expected


def test_log_headers_are_found_however_written() -> None:
    from cruxcli.files import locate

    entry = 'who = "bob"{eol}p = "10%"{eol}'
    for eol in ("\n", "\r\n"):
        headers = ["[[credence]]", "  [[ credence ]]  # indented", "\t[[credence]]#x"]
        text = eol.join(h + eol + entry.format(eol=eol) for h in headers)
        wanted = {("credence", 0), ("credence", 1), ("credence", 2)}
        got = locate.log_index(text, wanted, {"credence": 3})
        # each entry's value of `p` (column 5) two lines below its header; a blank line after
        assert got is not None and [got[("credence", i, "p")] for i in range(3)] == \
            [(3, 5), (7, 5), (11, 5)]
        assert locate.log_index(text, wanted, {"credence": 4}) is None


def test_warnings_after_retracted_entries_point_at_their_own_lines(write) -> None:
    from cruxcli.files import reading

    resolved = '\n[[resolution]]\ncrux = "{}"\noutcome = "no"\nat = 2024-01-01\n'
    base = debate_text(credence("bob", "a", "50%"), credence("alice", "h", "90%"),
                       credence("alice", "a", "20%"), credence("alice", "h", "10%", given="a"),
                       credence("bob", "h", "30%", at="2024-06-01")) \
        + resolved.format("b") + resolved.format("h")
    path = write(base)
    before = reading.load(path)
    ids = before.entries_written[0].id, before.resolutions_written[0].id
    path.write_text(base + "".join(f'\n[[retraction]]\nid = "{i}"\nwhy = "typo"\nat = 2024-07-01\n'
                                   for i in ids))
    d = reading.load(path)
    assert (len(d.entries), len(d.resolutions), len(d.withdrawn)) == (4, 1, 2)
    lines = path.read_text().split("\n")
    found = reading.warnings(path.read_bytes(), str(path), d)
    # alice's P(h | a) = 10% cannot hold with 90% and 20%; bob's 30% is after h resolved
    assert [lines[w.line - 1] for w in found] == ['p = "10%"', 'at = "2024-06-01"']


@pytest.mark.parametrize("quote", ['quote = "plain"', 'quote = """\n[[credence]]\n"""'])
def test_an_invalid_credence_is_located_with_or_without_a_header_inside_a_string(
        write, quote: str) -> None:
    """An error only in log entries is located from the log headers alone, unless a header
    is written inside a string (then they miscount and every key is scanned)."""
    path = write(debate_text(credence("alice", "h", "10%") + quote + "\n",
                             credence("nobody", "h", "20%")))
    line = path.read_text().split("\n").index('who = "nobody"') + 1  # by hand, not located
    result = run("check", path)
    assert result.exit_code == 1
    assert f'{path}:{line}:7: error: unknown participant "nobody"' in result.output
