"""A permanent fuzzer: valid debates mutated at random (bytes, hostile text, structure) and run
through every command and format. Whatever the input: exit 0, 1 or 2, never a traceback, no raw
control character in any output, and a command that fails leaves the file byte for byte as it
was. Small in CI; `make fuzz` runs it long (CRUXCLI_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, credence, debate_text, digest, run

EXAMPLES = int(os.environ.get("CRUXCLI_FUZZ_EXAMPLES", "40"))
SEEDS = [*(p.read_text(encoding="utf-8") for p in sorted((REPO / "debates").glob("*.toml"))),
         debate_text(credence("alice", "h", "10%"), credence("bob", "a", "lower"),
                     credence("alice", "h", "30%", given="a", note="n"))
         + '\n[[resolution]]\ncrux = "b"\noutcome = "no"\nat = 2024-02-01\n',
    # the commitments: a relation, a pledge, a seal and a revealed credence, a resolve-by date
    debate_text(credence("alice", "a", "60%"), credence("bob", "b", "50%"))
    .replace('question = "Premise A?"', 'question = "Premise A?"\nresolves_by = 2024-06-01')
    + '\n[[relation]]\nkind = "excludes"\ncruxes = ["a", "b"]\n'
    + '\n[[pledge]]\nwho = "alice"\ncrux = "h"\nif = "a"\np = "<5%"\nat = 2024-01-02\n'
    + '\n[[seal]]\nwho = "bob"\ncrux = "h"\nat = 2024-01-03\n'
    'digest = "93ac48b1fa9d3ab6e48d4b4ea6c2bd3bc7d7a3a54f34f6c2c9f2a38f8d0f2c11"\n',
]
HOSTILE = ["\x1b[2J", "\x1b]0;x\x07", "\x9b31m", "\u202e", "\u2066", "\x7f", "\x00", "\r",
           '"', "'", "[", "]]", "{", "=", "\n[[credence]]\n", "\n[cruxes.x]\n", ".", "\\",
           "0%", "100%", "1e-300", "9999-12-31T23:00:00-05:00", "-1", "nan", "inf", "é",
           "[/x]", "[bold]", "=HYPERLINK(1)", "\xff"]
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x7f")
COMMANDS = [["check", "{p}"], ["check", "{p}", "--format", "json"],
            *[["show", "{p}", "--format", f] for f in ("table", "json", "csv", "md")],
            *[["summary", "{p}", "--format", f] for f in ("table", "json", "csv", "md")],
            ["trace", "{p}", "--format", "table"], ["trace", "{p}", "--format", "json"],
            ["score", "{p}", "--format", "table"], ["score", "{p}", "--format", "csv"],
            ["cruxes", "{p}", "--format", "json"], ["due", "{p}", "--format", "json"],
            ["export", "{p}", "--format", "json"], ["git", "textconv", "{p}"]]
WRITES = [["log", "{p}", "alice", "h", "5%", "--at", "2024-02-01"],
          ["add", "participant", "{p}", "carol", "--name", "C\x1b"],
          ["add", "crux", "{p}", "newc", "--question", "Q?", "--premise-of", "h"],
          ["resolve", "{p}", "a", "yes", "--at", "2024-03-01"],
          ["retract", "{p}", "0123456789", "--why", "x"],
          ["pledge", "{p}", "bob", "h", "higher", "--if", "not b", "--at", "2024-02-02"]]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "hostile", "text"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(HOSTILE)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif kind == "duplicate":
            lines = text.split("\n")
            n = draw(st.integers(0, len(lines) - 1))
            lines.insert(n, lines[n])
            text = "\n".join(lines)
        elif kind == "hostile":
            text = text.replace('p = "', 'p = "' + draw(st.sampled_from(HOSTILE)), 1)
        else:
            text = text[:at] + draw(st.text(max_size=12)) + text[at:]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=4)) + data[cut:]
    return data


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_any_mutation_is_handled(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.toml"
        path.write_bytes(data)
        for command in COMMANDS:
            result = run(*[a.format(p=path) for a in command])
            assert result.exit_code in (0, 1, 2), (command, result.output)
            assert not any(c in result.output for c in RAW), (command, result.output)
        page = Path(folder) / "page.html"
        result = run("report", path, "-o", page)
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 0:  # the page holds the file's text only as inert, visible data
            html = page.read_text(encoding="utf-8")
            assert not any(c in html for c in RAW) and "<script" not in html
        for command in WRITES:
            before = digest(path)
            result = run(*[a.format(p=path) for a in command])
            assert result.exit_code in (0, 1, 2), (command, result.output)
            assert not any(c in result.output for c in RAW), (command, result.output)
            if result.exit_code != 0:
                assert digest(path) == before, command


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated(), mutated())
def test_the_merge_driver_handles_any_two_sides(ours: bytes, theirs: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base, a, b = (Path(folder) / n for n in ("base", "ours", "theirs"))
        base.write_bytes(SEEDS[-1].encode())
        a.write_bytes(ours)
        b.write_bytes(theirs)
        result = run("git", "merge-driver", base, a, b, "d.toml")
        assert result.exit_code in (0, 1), result.output
        assert not any(c in result.output for c in RAW), result.output
        if result.exit_code == 0:
            assert run("check", a).exit_code == 0  # a clean merge is a valid debate


def _import_seeds() -> list[tuple[str, str, bytes]]:
    """(format, file name, bytes): one valid input of every import format, the zip included."""
    import io
    import zipfile

    from test_import import FATEBOOK_HEADER, FRI, fatebook_row, metaculus_files
    from test_predictionbook import PUBLIC

    PREDICTIONBOOK = PUBLIC.encode()

    with tempfile.TemporaryDirectory() as folder:
        q, f = metaculus_files(Path(folder))
        question, forecast = q.read_bytes(), f.read_bytes()
        path = Path(folder) / "d.toml"
        path.write_text(SEEDS[-1], encoding="utf-8")
        exported = run("export", path).stdout.encode()
        whole = run("export", path, "--format", "json").stdout.encode()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("question_data.csv", question)
        z.writestr("forecast_data.csv", forecast)
    fatebook = "\n".join([FATEBOOK_HEADER, fatebook_row("Q?", "", "al", "0.3", "2024-01-05 09:03:7",
                                                        "YES", "2024-02-01 00:00:00"),
                          fatebook_row("Q?", "", "bo", "0.6", "2024-01-06 10:00:00")])
    return [("csv", "export.csv", exported), ("fri", "fri.csv", FRI.encode()),
            ("fatebook", "fatebook.csv", fatebook.encode()),
            ("metaculus", "forecast_data.csv", forecast), ("metaculus", "download.zip",
                                                           bundle.getvalue()),
            ("json", "debate.json", whole), ("predictionbook", "public.csv", PREDICTIONBOOK)]


IMPORTS = _import_seeds()


@st.composite
def mutated_import(draw: st.DrawFn) -> tuple[str, str, bytes]:
    fmt, name, data = draw(st.sampled_from(IMPORTS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "bytes", "cell"]))
        if kind == "insert":
            data = data[:at] + draw(st.sampled_from(HOSTILE)).encode("utf-8", "surrogatepass") + \
                data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        else:  # a whole cell of hostile text, where a comma was
            data = data.replace(b",", b"," + draw(st.sampled_from(HOSTILE)).encode(
                "utf-8", "surrogatepass") + b",", 1)
    return fmt, name, data


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_import())
def test_any_mutated_import_is_handled(case: tuple[str, str, bytes]) -> None:
    fmt, name, data = case
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(data)
        sources = [source]
        if fmt == "metaculus" and name.endswith(".csv"):  # the questions stay valid
            question = next(d for f, n, d in IMPORTS if n == "download.zip")
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(question)) as z:
                (Path(folder) / "question_data.csv").write_bytes(z.read("question_data.csv"))
            sources.append(Path(folder) / "question_data.csv")
        out = Path(folder) / "out"
        result = run("import", fmt, *sources, "-o", f"{out}/", "--at", "2023")
        assert result.exit_code in (0, 1, 2), result.output
        assert not any(c in result.output for c in RAW), result.output
        made = sorted(out.glob("*.toml")) if out.exists() else []
        assert bool(made) == (result.exit_code == 0)  # all or nothing
        for path in made:
            assert run("check", path).exit_code == 0, path.read_text()
            exported = run("export", path)
            assert exported.exit_code == 0 and not any(c in exported.output for c in RAW)
            before = digest(path)  # the same records again, into what they made: nothing new
            again = run("import", fmt, *sources, "--into", path, "--at", "2023")
            assert again.exit_code in (0, 1, 2), again.output
            assert again.exit_code != 0 or "added nothing" in again.output or len(made) > 1
            if again.exit_code != 0:
                assert digest(path) == before


@settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, derandomize=EXAMPLES <= 100,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated(), mutated())
def test_diff_of_any_two_versions_is_handled(old: bytes, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "old.toml", Path(folder) / "new.toml"
        a.write_bytes(old)
        b.write_bytes(new)
        for fmt in ("table", "json", "md"):
            result = run("diff", "--no-index", a, b, "--strict", "--format", fmt)
            assert result.exit_code in (0, 1, 2), result.output
            assert not any(c in result.output for c in RAW), result.output
