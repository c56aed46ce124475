"""Import and export: small files in each format, built here from the formats' public
descriptions; every row accounted for; bad input a clear error with nothing written."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import REPO, credence, debate_text, run

FATEBOOK_HEADER = ('"Question title","Multiple choice option","Forecast created by",'
                   '"Forecast (scale = 0-1)","Forecast created at","Question created by",'
                   '"Question created at","Question resolve by","Resolution","Resolved at",'
                   '"Your Brier score for this question","Your relative Brier score for this '
                   'question","Question notes","Question shared with","Question shared '
                   'publicly","Question comments","Question tags"')


def fatebook_row(title: str, option: str, who: str, p: str, at: str, resolution: str = "",
                 resolved: str = "") -> str:
    return ",".join(f'"{x}"' for x in (title, option, who, p, at, who, at, "2025-01-01",
                                        resolution, resolved, "", "", "", "", "false", "", ""))


def test_export_then_import_gives_back_the_same_credences(tmp_path: Path) -> None:
    tricky = 'a "quoted"\nnote, with =SUM(1) and \'quotes\''
    source = tmp_path / "d.toml"
    source.write_text(debate_text(
        credence("alice", "h", "~4%", at="2024-10", quote="=HYPERLINK(x)", note=tricky),
        credence("bob", "a", "very unlikely", at="2023/..", source="https://e.org"),
        credence("alice", "h", "30%", given="not a", at="2024-05-01T10:00:00+02:00"),
        credence("bob", "h", "2%", at="2026", about="2024")))
    exported = run("export", source).stdout
    back = tmp_path / "back.toml"
    assert run("import", "csv", _write(tmp_path, exported), "-o", back, "--headline",
               "h").exit_code == 0
    assert run("export", back).stdout == exported  # every field, byte for byte
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows[0]["quote"] == "'=HYPERLINK(x)"  # a spreadsheet shows it, never runs it
    assert [r["at"] for r in rows] == ["2024-10", "2023/..", "2024-05-01T10:00:00+02:00",
                                       "2026"]  # with their precision


def _write(folder: Path, text: str) -> Path:
    path = folder / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path


_CELL = st.text(max_size=12) | st.sampled_from(
    ["a,b", 'say "x"', "two\nlines", "=1+1", "-3", "'quoted", "back\\slash", "\x1b[2J", ""])
_COLUMNS = st.lists(st.lists(st.none() | _CELL, min_size=4, max_size=4)
                    | st.lists(st.none() | st.floats(allow_nan=False), min_size=4, max_size=4)
                    | st.lists(st.booleans() | st.integers(), min_size=4, max_size=4)
                    | st.lists(st.none() | _CELL | st.floats(allow_nan=False), min_size=4,
                               max_size=4), min_size=1, max_size=5)


@given(_COLUMNS)
def test_the_export_writes_each_cell_as_the_csv_module_would(columns: list[list]) -> None:
    from cruxcli.core.text import escape
    from cruxcli.output.export import _reversible, csv_value, entries_csv

    def one(value: object) -> str:  # the cell, converted on its own
        return _reversible(escape(value)) if isinstance(value, str) else csv_value(value)

    named = {f"c{i}": column for i, column in enumerate(columns)}
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(named)
    writer.writerows(zip(*[[one(v) for v in column] for column in columns], strict=True))
    assert entries_csv(named) == expected.getvalue()


@given(st.lists(st.text(min_size=1), min_size=1, max_size=4))
@example(["=1, 2"])  # the only marked cell is inside quotes
@example(["'quoted'"])  # ... and not
@example(["plain", "-3"])  # nothing escaped but one marked cell: the file is not read as-is
@example(["a\rb", "back\\slash", "tab\there"])
def test_any_note_comes_back_from_the_csv_export(notes: list[str]) -> None:
    """Whatever a cell holds, `import csv` reads back exactly what `export` wrote: whether
    it reads the file's cells as they are (no escape, no marked cell) or undoes each."""
    import tempfile

    from cruxcli.files.importers.cruxcli_csv import cells
    from cruxcli.output.export import entries_csv

    n = len(notes)
    text = entries_csv({"kind": ["credence"] * n, "participant": ["a"] * n, "crux": ["c"] * n,
                        "stated": ["1%"] * n, "at": ["2024"] * n, "note": notes})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.csv"
        path.write_bytes(text.encode("utf-8"))
        assert [row.get("note") for _, row in cells([path])] == notes


def test_export_jsonl_is_exact_json_per_entry(tmp_path: Path) -> None:
    lines = run("export", REPO / "debates" / "power-seeking.toml", "--format", "jsonl").stdout
    rows = [json.loads(line) for line in lines.splitlines()]
    assert len(rows) == 15 and {r["kind"] for r in rows} == {"credence"}
    assert rows[0]["value"] == 0.65 and rows[0]["id"]


def test_fatebook(tmp_path: Path) -> None:
    path = tmp_path / "fatebook.csv"
    path.write_text("\n".join([
        FATEBOOK_HEADER,
        fatebook_row("Rain on Friday?", "", "Alice", "0.7", "2024-01-05 09:03:7", "YES",
                     "2024-01-12 18:00:1"),
        fatebook_row("Rain on Friday?", "", "Bob", "0.2", "2024-01-06 10:15:42", "YES",
                     "2024-01-12 18:00:1"),
        fatebook_row("Which team?", "Red", "Alice", "0.6", "2024-02-01 08:00:5", "Red",
                     "2024-03-01 12:00:0"),
        fatebook_row("Which team?", "Blue", "Alice", "0.4", "2024-02-01 08:00:5", "Red",
                     "2024-03-01 12:00:0"),
        fatebook_row("Coin?", "", "Bob", "0.5", "2024-02-01 08:00:5", "AMBIGUOUS",
                     "2024-03-01 12:00:0"),
        fatebook_row("Later?", "", "Bob", "", "2024-02-01 08:00:5")]) + "\n")
    out = tmp_path / "fb.toml"
    result = run("import", "fatebook", path, "-o", out)
    assert result.exit_code == 0 and "5 credences" in result.output
    assert f"{path}:7: no forecast in this row" in result.output  # accounted for
    doc = json.loads(run("score", out, "--format", "json").stdout)
    outcomes = {r["crux"]: r["outcome"] for r in doc["resolved"]}
    assert outcomes == {"rain-on-friday": "yes", "which-team-red": "yes",
                        "which-team-blue": "no", "coin": "annulled"}
    alice = next(f for f in doc["forecasts"] if f["participant"] == "alice"
                 and f["crux"] == "rain-on-friday")
    assert alice["at"] == "2024-01-05T09:03:07" and alice["brier"] == pytest.approx(0.09)


def metaculus_files(folder: Path) -> tuple[Path, Path]:
    q = folder / "question_data.csv"
    q.write_text(
        "Question ID,Question URL,Question Title,Question Type,Open Time,Scheduled Close Time,"
        "Actual Close Time,Resolution,Resolution Known Time\n"
        "101,https://www.metaculus.com/questions/101/,Will X happen?,binary,"
        "2024-01-01 00:00:00+00:00,2025-01-01 00:00:00+00:00,2025-01-01 00:00:00+00:00,yes,"
        "2025-01-02 10:00:00.123456+00:00\n"
        "102,,Which party?,multiple_choice,2024-01-01 00:00:00+00:00,,,Green,"
        "2025-01-03 00:00:00+00:00\n"
        "103,,How many?,numeric,2024-01-01 00:00:00+00:00,,,,\n")
    f = folder / "forecast_data.csv"
    f.write_text(
        "Question ID,Forecaster ID,Forecaster Username,Is Bot,Start Time,End Time,"
        "Forecaster Count,Probability Yes,Probability Yes Per Category,Continuous CDF\n"
        "101,7,alice,False,2024-02-01 10:00:00.123456+00:00,,,0.7,,\n"
        "101,,recency_weighted,False,2024-02-04 00:00:00+00:00,,12,0.55,,\n"
        "102,7,alice,False,2024-03-01 10:00:00+00:00,,,,\"{'Green': 0.6, 'Blue': 0.4}\",\n"
        "103,7,alice,False,2024-03-01 10:00:00+00:00,,,,,\"[0.1, 0.5]\"\n")
    return q, f


def test_metaculus_csvs_and_zip_with_aggregates(tmp_path: Path) -> None:
    q, f = metaculus_files(tmp_path)
    out = tmp_path / "m.toml"
    result = run("import", "metaculus", q, f, "-o", out)
    assert result.exit_code == 0 and "4 credences and 3 resolutions" in result.output
    assert "forecast_data.csv:5: a numeric question" in result.output
    doc = json.loads(run("score", out, "--format", "json").stdout)
    aggregate = next(x for x in doc["forecasts"] if x["participant"] == "recency-weighted")
    assert aggregate["aggregate"] and aggregate["brier"] == pytest.approx((0.55 - 1) ** 2)
    bundle = tmp_path / "download.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(q, "export/question_data.csv")
        z.write(f, "export/forecast_data.csv")
    skipped = run("import", "metaculus", bundle, "-o", tmp_path / "z.toml", "--skip-aggregates")
    assert skipped.exit_code == 0 and "an aggregate (--skip-aggregates)" in skipped.output


FRI = ("person,Camp,ID,PU,Pc,PUc\n"
       "alice,skeptic,robotics,1e-07,0.3,2e-07\n"
       "bob,concerned,robotics,0.05,0.6,0.08\n"
       "carol,skeptic,robotics,0.001,0.5,0.0015\n"
       "dan,concerned,robotics,NA,NA,NA\n"
       "alice,skeptic,compute,1e-08,0.2,1e-08\n"
       "bob,concerned,compute,0.06,0.7,0.07\n")


def test_an_import_into_several_files_writes_all_or_nothing(tmp_path: Path, monkeypatch) -> None:
    from cruxcli.files import atomic

    table = tmp_path / "fri.csv"
    table.write_text(FRI)  # two crux IDs: two debates
    made = []

    def second_fails(path: Path, parent: Path, data: bytes) -> None:
        if made:
            raise atomic.WriteFailed(f"cannot create {path}: disk full")
        made.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(atomic, "_create", second_fails)
    result = run("import", "fri", table, "-o", f"{tmp_path}/new/dir/", "--at", "2023-06")
    assert result.exit_code == 1 and "disk full" in result.output
    assert made and not (tmp_path / "new").exists()  # the first file and its folders are gone


def kl(p: float, q: float) -> float:
    return p * math.log10(p / q) + (1 - p) * math.log10((1 - p) / (1 - q))


def test_fri_keeps_each_rows_triple_together_and_gives_voivods_voi(tmp_path: Path) -> None:
    table = tmp_path / "fri.csv"
    table.write_text(FRI)
    out = tmp_path / "fri"
    assert run("import", "fri", table, "-o", out, "--at", "2023-06").exit_code == 2  # a file
    result = run("import", "fri", table, "-o", f"{out}/", "--at", "2023-06")
    assert result.exit_code == 0 and f"{table}:5: PU, Pc and PUc are all NA" in result.output
    doc = json.loads(run("summary", out / "robotics.toml", "--format", "json").stdout)
    voi = {v["participant"]: v["voi"] for v in doc["voi"]}
    # alice: P(U) = 1e-7, P(c) = 0.3, P(U|c) = 2e-7; voivod's VoI_log by hand
    pu, pc, puc = 1e-7, 0.3, 2e-7
    punc = (pu - puc * pc) / (1 - pc)
    assert voi["alice"] == pytest.approx(pc * kl(puc, pu) + (1 - pc) * kl(punc, pu), rel=1e-9)
    compute = json.loads(run("summary", out / "compute.toml", "--format", "json").stdout)
    assert {v["participant"]: v["p_u"] for v in compute["voi"]}["alice"] == 1e-8  # that row's P(U)
    assert [g["group"] for g in doc["groups"]] == ["skeptic", "concerned"]
    assert doc["group_vod"] and doc["group_vod"][0]["pairs"] == 2  # bob against each skeptic


@pytest.mark.parametrize("name, text, message", [
    ("wrong.csv", FATEBOOK_HEADER + "\n", "not a Metaculus download"),
    ("missing.csv", "person,Camp,ID,PU\nalice,a,c,0.5\n", "missing column(s) 'Pc', 'PUc'"),
    ("big.csv", "person,Camp,ID,PU,Pc,PUc\nalice,a,c,1.5,0.5,0.5\n", ":2: PU: 1.5 is not a probability"),
    ("date.csv", FATEBOOK_HEADER + "\n" + fatebook_row("Q?", "", "A", "0.5", "yesterday"), ":2: Forecast created at: \"yesterday\""),
])
def test_bad_input_is_a_clear_error_and_nothing_is_written(tmp_path: Path, name: str, text: str,
                                                            message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    fmt = {"wrong.csv": "metaculus", "date.csv": "fatebook"}.get(name, "fri")
    out = tmp_path / "out.toml"
    result = run("import", fmt, path, "-o", out, "--at", "2023-06")
    assert result.exit_code == 1 and message in result.output, result.output
    assert "nothing was written" in result.output and not out.exists()


def test_bytes_that_are_not_utf8_and_files_too_big(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"person,Camp,ID,PU,Pc,PUc\nal\xffice,a,c,0.5,0.5,0.5\n")
    result = run("import", "fri", path, "-o", tmp_path / "o.toml", "--at", "2023")
    assert result.exit_code == 1 and f"{path}:2:3: not UTF-8" in result.output  # al|\xff
    path.write_bytes(b"person,Camp,ID,PU,Pc,PUc\nal\x00ice,a,c,0.5,0.5,0.5\n")
    result = run("import", "fri", path, "-o", tmp_path / "o.toml", "--at", "2023")
    assert result.exit_code == 1 and f"{path}:2: binary file" in result.output
    from cruxcli.files import importers

    monkeypatch.setattr(importers, "MAX_BYTES", 10)
    result = run("import", "fri", path, "-o", tmp_path / "o.toml", "--at", "2023")
    assert result.exit_code == 1 and "over the 0 MB" in result.output


def test_import_never_overwrites(tmp_path: Path) -> None:
    table = tmp_path / "fri.csv"
    table.write_text(FRI.split("alice,skeptic,compute")[0])  # one crux: one debate
    out = tmp_path / "exists.toml"
    out.write_text("keep me")
    result = run("import", "fri", table, "-o", out, "--at", "2023")
    assert result.exit_code == 2 and "never overwrites" in result.output
    assert out.read_text() == "keep me"


def test_a_fifo_is_refused_not_read_forever(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = run("import", "fri", fifo, "-o", tmp_path / "o.toml", "--at", "2023")
    assert result.exit_code == 1 and "not a regular file" in result.output


def test_an_export_from_before_the_participant_column_still_imports(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"  # exports before December 2026 named the column `who`
    old.write_text("kind,id,who,name,crux,question,stated,at\n"
                   "credence,,alice,Alice,h,The headline?,10%,2024-01-01\n")
    assert run("import", "csv", old, "-o", tmp_path / "o.toml").exit_code == 0
    assert "alice" in json.loads(run("show", tmp_path / "o.toml", "--format", "json").stdout
                                 )["rows"][0]["cells"][0]["participant"]


def test_an_import_reads_anything_as_large_as_a_debate_may_be() -> None:
    from cruxcli.files import importers, reading

    assert importers.MAX_BYTES == reading.MAX_BYTES  # so an export always imports again
