"""Inputs that crashed, hung or harmed an earlier version: each now gets exit 0, 1 or 2 with a
located message, touches only what cruxcli owns, and stays within documented bounds."""

from __future__ import annotations

import gc
import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_import import FATEBOOK_HEADER, fatebook_row, metaculus_files

from conftest import HEADER, REPO, credence, debate_text, digest, run
from cruxcli.files import importers, reading

# ---- archives ----------------------------------------------------------------------------------


def metaculus_zip(tmp_path: Path, name: str = "download.zip") -> Path:
    q, f = metaculus_files(tmp_path)
    bundle = tmp_path / name
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(q, "question_data.csv")
        z.write(f, "forecast_data.csv")
    return bundle


def patched(bundle: Path, offset_in_headers: int, value: bytes) -> None:
    """Overwrite a field at the same offset in every local and central header."""
    data = bytearray(bundle.read_bytes())
    for signature, base in ((b"PK\x03\x04", 0), (b"PK\x01\x02", 2)):
        at = data.find(signature)
        while at >= 0:
            data[at + base + offset_in_headers:at + base + offset_in_headers + len(value)] = value
            at = data.find(signature, at + 4)
    bundle.write_bytes(bytes(data))


def import_zip(bundle: Path, tmp_path: Path):  # noqa: ANN201
    out = tmp_path / "out.toml"
    result = run("import", "metaculus", bundle, "-o", out)
    assert not out.exists()
    return result


def test_a_damaged_zip_is_an_error(tmp_path: Path) -> None:
    bundle = metaculus_zip(tmp_path)
    bundle.write_bytes(bundle.read_bytes()[:-40])  # the central directory cut short
    result = import_zip(bundle, tmp_path)
    assert result.exit_code == 1 and "not a zip file cruxcli can read" in result.output


def test_an_encrypted_zip_is_an_error(tmp_path: Path) -> None:
    bundle = metaculus_zip(tmp_path)
    patched(bundle, 6, b"\x01\x00")  # general purpose flag: encrypted
    result = import_zip(bundle, tmp_path)
    assert result.exit_code == 1 and "encrypted" in result.output


def test_a_zip_with_an_unknown_compression_method_is_an_error(tmp_path: Path) -> None:
    bundle = metaculus_zip(tmp_path)
    patched(bundle, 8, b"\x63\x00")  # method 99
    result = import_zip(bundle, tmp_path)
    assert result.exit_code == 1 and "compression method" in result.output


def test_a_member_twice_is_an_error(tmp_path: Path) -> None:
    q, f = metaculus_files(tmp_path)
    bundle = tmp_path / "twice.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        for name in ("question_data.csv", "forecast_data.csv", "again/forecast_data.csv"):
            z.write(f if "forecast" in name else q, name)
    result = import_zip(bundle, tmp_path)
    assert result.exit_code == 1 and "forecast_data.csv is in the archive twice" in result.output


def test_a_zip_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    q, _ = metaculus_files(tmp_path)
    bundle = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(q, "question_data.csv")
        z.writestr("forecast_data.csv", b"Question ID" + b" " * 20_000_000)  # 20 MB of spaces
    assert bundle.stat().st_size < 100_000
    result = import_zip(bundle, tmp_path)
    assert result.exit_code == 1 and "over the 200:1 an archive may" in result.output


def test_an_archives_total_and_member_count_are_bounded(tmp_path: Path, monkeypatch) -> None:
    bundle = metaculus_zip(tmp_path)
    monkeypatch.setattr(importers, "MAX_BYTES", 500)
    assert "expand to over the 0 MB" in import_zip(bundle, tmp_path).output
    monkeypatch.setattr(importers, "MAX_BYTES", 64 * 2**20)
    monkeypatch.setattr(importers, "MAX_MEMBERS", 1)
    assert "2 members, over the 1" in import_zip(bundle, tmp_path).output


def test_a_fifo_named_like_a_zip_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "download.zip"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "cruxcli", "import", "metaculus", str(fifo),
                             "-o", str(tmp_path / "o.toml")], capture_output=True, text=True,
                            timeout=30, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1 and "not a regular file" in result.stderr


# ---- what importers parse ------------------------------------------------------------------


def test_times_with_and_without_an_offset_are_refused_not_compared(tmp_path: Path) -> None:
    src = tmp_path / "fatebook.csv"
    src.write_text("\n".join([FATEBOOK_HEADER,
                              fatebook_row("Q?", "", "alice", "0.3", "2024-01-05 09:03:07"),
                              fatebook_row("Q?", "", "bob", "0.6", "2024-01-04 10:00:00+02:00")]))
    result = run("import", "fatebook", src, "-o", tmp_path / "o.toml")
    assert result.exit_code == 1
    assert "fatebook.csv:3: Forecast created at: a time with a UTC offset" in result.output
    assert "fatebook.csv:2: Forecast created at has none" in result.output


@pytest.mark.parametrize("cell", ["[" * 100_000, "-" * 100_000 + "0.5", "[1e999999]",
                                  "__import__('os').system('x')", "{'a': [0.5]}", "(0.5, 0.5)",
                                  "[0.5, 0.5" + "]" * 5])
def test_category_probabilities_are_parsed_never_evaluated(tmp_path: Path, cell: str) -> None:
    q, f = metaculus_files(tmp_path)
    f.write_text(f.read_text().replace("{'Green': 0.6, 'Blue': 0.4}", cell.replace('"', '""')))
    result = run("import", "metaculus", q, f, "-o", tmp_path / "o.toml")
    assert result.exit_code == 1 and "forecast_data.csv:4: " in result.output


EXPORT_HEADER = "kind,id,who,name,group,aggregate,crux,question,given,stated,at,about,note"


@pytest.mark.parametrize("row, message", [
    ("credence,,alice,Alice,,,,Q?,,10%,2024,,", "a credence row needs participant, crux, stated, at; "
                                                "crux is empty"),
    ("resolution,,,,,,h,Q?,,,2024,,", "a resolution row needs crux, stated, at; stated is empty"),
    ("retraction,,,,,,,,,,2024,,", "a retraction row needs id, at; id is empty"),
])
def test_an_empty_required_cell_is_an_error_at_its_line(tmp_path: Path, row: str,
                                                         message: str) -> None:
    src = tmp_path / "x.csv"
    src.write_text(f"{EXPORT_HEADER}\n{row}\n")
    result = run("import", "csv", src, "-o", tmp_path / "o.toml")
    assert result.exit_code == 1 and f"x.csv:2: {message}" in result.output


def test_an_export_of_resolutions_only_imports(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text(f"{EXPORT_HEADER}\nresolution,,,,,,h,The headline?,,yes,2024-01-01,,\n")
    assert run("import", "csv", src, "-o", tmp_path / "o.toml").exit_code == 0
    assert run("check", tmp_path / "o.toml").exit_code == 0


# ---- what a debate file holds ----------------------------------------------------------------


def test_a_file_with_a_byte_order_mark_takes_a_premise(write) -> None:
    path = write(b"\xef\xbb\xbf" + debate_text().encode())
    result = run("add", "crux", path, "c", "--question", "C?", "--premise-of", "h")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("check", path).exit_code == 0


def test_an_empty_headline_is_an_error_not_a_crash_later(write) -> None:
    path = write(debate_text().replace('headline = "h"', 'headline = ""'))
    result = run("check", path)
    assert result.exit_code == 1 and f"{path}:4:" in result.output
    for command in ("summary", "trace", "show"):
        assert run(command, path).exit_code == 1


def test_premises_nested_past_the_limit_are_an_error_with_its_line(write) -> None:
    lines = [HEADER.split("[participants")[0].replace('headline = "h"', 'headline = "c0"')]
    lines += [f'[cruxes.c{i}]\nquestion = "Q{i}?"\npremises = ["c{i + 1}"]\n' for i in range(1000)]
    lines.append('[cruxes.c1000]\nquestion = "Last?"\n')
    path = write("\n".join(lines))
    for command in ("check", "show", "summary", "report"):
        result = run(command, path)
        assert result.exit_code == 1
    line = path.read_text().splitlines().index('premises = ["c1"]') + 1
    assert "premises nest 1001 levels deep" in result.output and f"{path}:{line}:" in result.output
    ok = write("\n".join(lines[:50]) + '\n[cruxes.c49]\nquestion = "Last?"\n', "ok.toml")
    assert run("check", ok).exit_code == 0  # 50 levels: within the limit


@pytest.mark.parametrize("field, size, code", [("title", 2_000, 0), ("title", 2_001, 1),
                                               ("quote", 100_000, 0), ("quote", 100_001, 1)])
def test_text_fields_are_bounded(write, field: str, size: int, code: int) -> None:
    text = debate_text(credence("alice", "h", "10%", quote="q"))
    text = text.replace('title = "Test debate"', f'title = "{"t" * size}"') if field == "title" \
        else text.replace('quote = "q"', f'quote = "{"q" * size}"')
    result = run("check", write(text))
    assert result.exit_code == code
    if code:
        assert f"{size:,} characters, over the {size - 1:,}" in result.output


def test_a_url_that_no_parser_accepts_is_shown_as_text(write, tmp_path: Path) -> None:
    path = write(debate_text(credence("alice", "h", "10%", source="http://[::1")))
    assert run("report", path, "-o", tmp_path / "p.html").exit_code == 0
    assert "http://[::1" in (tmp_path / "p.html").read_text()


@pytest.mark.parametrize("dates", [("0001-01-01", "0001-01-01"), ("0001-01-01", "0001-03-01")])
def test_charts_at_the_calendars_first_day(write, tmp_path: Path, dates) -> None:
    path = write(debate_text(*(credence(w, "h", "10%", at=d)
                               for w, d in zip(("alice", "bob"), dates, strict=True))))
    for args in (["report", path, "-o", tmp_path / "p.html"],
                 ["trace", path, "--plot", tmp_path / "t.svg"], ["trace", path]):
        assert run(*args).exit_code == 0, args
    pytest.importorskip("matplotlib")
    assert run("trace", path, "--plot", tmp_path / "t.png").exit_code == 0


# ---- writes touch only what cruxcli owns -------------------------------------------------------


def special_files(tmp_path: Path) -> list[Path]:
    fifo, link, folder = tmp_path / "fifo.html", tmp_path / "link.html", tmp_path / "dir.html"
    os.mkfifo(fifo)
    (tmp_path / "target.txt").write_text("keep")
    link.symlink_to(tmp_path / "target.txt")
    folder.mkdir()
    out = [fifo, link, folder]
    if os.geteuid() == 0:  # a character device, like /dev/null
        device = tmp_path / "null.html"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        out.append(device)
    return out


@pytest.mark.parametrize("command", [["report", "-o"], ["trace", "--plot"],
                                     ["score", "--plot"]])
def test_an_output_path_that_is_not_a_regular_file_is_refused(write, tmp_path: Path,
                                                                command: list[str]) -> None:
    path = write(debate_text(credence("alice", "h", "10%"), credence("bob", "h", "30%"))
                 + '\n[[resolution]]\ncrux = "h"\noutcome = "no"\nat = 2024-06-01\n')
    for target in special_files(tmp_path):
        kind = stat.S_IFMT(os.lstat(target).st_mode)
        suffix = ".svg" if command[0] != "report" else ""
        if suffix and not target.name.endswith(suffix):
            renamed = target.with_suffix(suffix)
            os.rename(target, renamed)
            target = renamed
        result = run(command[0], path, command[1], target)
        said = "is a directory" if kind == stat.S_IFDIR else "cruxcli replaces only regular files"
        assert result.exit_code in (1, 2) and said in result.output, (target, result.output)
        assert stat.S_IFMT(os.lstat(target).st_mode) == kind
    assert (tmp_path / "target.txt").read_text() == "keep"


def test_a_symlinked_debates_folder_is_refused(tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "d.toml").write_text(debate_text())
    work = tmp_path / "work"
    work.mkdir()
    (work / "debates").symlink_to(elsewhere)
    monkeypatch.chdir(work)
    result = run("show", "debates/d.toml")
    assert result.exit_code == 1 and "debates is a symbolic link" in result.output


def test_a_symlinked_import_source_or_folder_is_refused(tmp_path: Path, monkeypatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    q, f = metaculus_files(real)
    monkeypatch.chdir(tmp_path)
    Path("linked").symlink_to(real)
    Path("q.csv").symlink_to(q)
    for sources in (["linked/question_data.csv", "linked/forecast_data.csv"],
                    ["q.csv", str(f)]):
        result = run("import", "metaculus", *sources, "-o", "o.toml")
        assert result.exit_code == 1 and "symbolic link" in result.output
    assert not Path("o.toml").exists()


# ---- bounded and inert -----------------------------------------------------------------------


def test_load_in_a_loop_freezes_nothing(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%")))
    before = gc.get_freeze_count()
    for _ in range(5):
        reading.load(path)
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_a_csv_export_holds_no_raw_control_and_imports_back_exactly(write, tmp_path: Path) -> None:
    hostile = "esc \x1b[2J nul \x00 del \x7f c1 \x9b bidi \u202e cr \r back\\slash \\x1b"
    path = write(debate_text(credence("alice", "h", "10%", note=hostile)))
    load = reading.load
    assert load(path).entries[0].note == hostile
    exported = run("export", path).stdout
    assert not any(c in exported for c in "\x1b\x00\x7f\x9b\u202e\r")
    src = tmp_path / "e.csv"
    src.write_text(exported)
    back = tmp_path / "back.toml"
    assert run("import", "csv", src, "-o", back).exit_code == 0
    assert load(back).entries[0].note == hostile


def test_a_large_debates_page_shows_the_most_active_cruxes_and_says_so(write,
                                                                       tmp_path: Path) -> None:
    cruxes = "".join(f'\n[cruxes.x{i}]\nquestion = "X{i}?"\n' for i in range(30))
    entries = [credence("alice", f"x{i}", "10%") for i in range(30)]
    entries += [credence("bob", "x29", "20%")]  # x29 is among the most active
    path = write(debate_text(*entries, header=HEADER + cruxes))
    run("report", path, "-o", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text()
    assert page.count("<figure>") == 24 and "6 more are left out" in page and "x29" in page
    run("report", path, "-o", tmp_path / "all.html", "--all")
    assert (tmp_path / "all.html").read_text().count("<figure>") == 30


def test_a_large_debates_page_shows_the_first_rows_and_says_so(write, tmp_path: Path,
                                                               monkeypatch) -> None:
    from cruxcli.output import html

    monkeypatch.setattr(html, "MAX_ROWS", 5)
    cruxes = "".join(f'\n[cruxes.x{i}]\nquestion = "X{i}?"\n' for i in range(10))
    path = write(debate_text(credence("alice", "x9", "10%"), header=HEADER + cruxes))
    run("report", path, "-o", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text()
    # 13 cruxes: the matrix and the crux tree each show their first 5 rows
    assert page.count("The first 5 rows; 8 more are left out") == 2
    run("report", path, "-o", tmp_path / "all.html", "--all")
    assert "left out" not in (tmp_path / "all.html").read_text()


def test_refused_writes_leave_the_file_as_it_was(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%")))
    before = digest(path)
    assert run("log", path, "alice", "h", "x" * 3000).exit_code == 2  # too long for a credence
    assert digest(path) == before
    assert run("resolve", path, "h", "yes", "--at", "2024-01-01").exit_code == 0
    resolved = digest(path)
    contradicted = run("resolve", path, "h", "no", "--at", "2024-01-01")
    assert contradicted.exit_code == 2 and 'two outcomes of "h"' in contradicted.output
    assert digest(path) == resolved


def test_a_reader_that_left_early_ends_the_command_quietly(monkeypatch) -> None:
    """`cruxcli export big | head`: when the output is flushed at exit the pipe is gone. The
    command line leaves with status 1, output sent nowhere, exit handlers run, no traceback.
    (Whether a test's pipe breaks depends on the machine, so the exit is driven directly.)"""
    from cruxcli.commands import cli

    class GonePipe:
        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return 1

    left: list[object] = []
    handlers: list[str] = []
    monkeypatch.setattr(sys, "stdout", GonePipe())
    monkeypatch.setattr(os, "dup2", lambda *args: None)  # the test's own stdout stays
    monkeypatch.setattr(os, "_exit", left.append)
    import atexit

    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: handlers.append("ran"))
    cli._leave(0)
    assert left == [1] and handlers == ["ran"]
    left.clear()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    cli._leave("cruxcli: a message")  # sys.exit("text") says it on stderr, status 1
    assert left == [1]
