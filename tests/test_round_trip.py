"""Round trips and incremental imports: the whole debate out and back (json), and this week's
records into the debate that holds last week's (--into), as hledger's import does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, credence, debate_text, digest, run


@pytest.mark.parametrize("name", ["scheming", "power-seeking"])
def test_the_whole_debate_comes_back_identical(name: str, tmp_path: Path) -> None:
    doc = tmp_path / "d.json"
    doc.write_text(run("export", REPO / "debates" / f"{name}.toml", "--format", "json").stdout)
    back = tmp_path / "back.toml"
    assert run("import", "json", doc, "-o", back).exit_code == 0
    diff = json.loads(run("diff", REPO / "debates" / f"{name}.toml", back, "--format",
                          "json").stdout)
    (only,) = diff["debates"]
    assert not any(only[k] for k in only if k not in ("path", "old", "new", "status", "headline"))
    assert only["headline"]["before"] == only["headline"]["after"]
    assert run("diff", "--strict", REPO / "debates" / f"{name}.toml", back).exit_code == 0
    again = json.loads(run("export", back, "--format", "json").stdout)
    original = json.loads(doc.read_text())
    for key in ("participants", "cruxes", "scale", "credence", "sources_required", "title"):
        assert again.get(key) == original.get(key), key  # premises, kinds, url, scale...


def test_a_file_cruxcli_wrote_comes_back_byte_for_byte(tmp_path: Path, write) -> None:
    source = write(debate_text(credence("alice", "h", "~2%", at="2024-10"),
                               credence("bob", "a", "<1%", at="2026", about="2024"))
                   + '\n[[resolution]]\ncrux = "a"\noutcome = "no"\nat = 2025-01-01\n')
    first = tmp_path / "first.toml"
    (tmp_path / "one.json").write_text(run("export", source, "--format", "json").stdout)
    assert run("import", "json", tmp_path / "one.json", "-o", first).exit_code == 0
    (tmp_path / "two.json").write_text(run("export", first, "--format", "json").stdout)
    second = tmp_path / "second.toml"
    assert run("import", "json", tmp_path / "two.json", "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_import_into_adds_only_what_is_new_and_twice_adds_nothing(tmp_path: Path, write) -> None:
    week1 = write(debate_text(credence("alice", "h", "30%")), "week1.toml")
    week2 = write(debate_text(credence("alice", "h", "30%"),
                              credence("bob", "a", "60%", at="2024-02-01")), "week2.toml")
    target = tmp_path / "mine.toml"
    assert run("new", target).exit_code == 0
    # the tidy export holds only who and what has an entry: alice on h, then bob on a
    for source, expected in ((week1, "added 1 participant, 1 crux, 1 credence; already "
                                      "there: nothing"),
                             (week2, "added 1 participant, 1 crux, 1 credence; already there: "
                                     "1 credence"),
                             (week2, "added nothing; already there: 2 credences")):
        exported = tmp_path / "export.csv"
        exported.write_text(run("export", source).stdout)
        result = run("import", "csv", exported, "--into", target)
        assert result.exit_code == 0 and expected in " ".join(result.output.split()), \
            result.output
    doc = json.loads(run("show", target, "--format", "json").stdout)
    assert sorted(c["stated"] for r in doc["rows"] for c in r["cells"]) == ["30%", "60%"]


def test_import_into_works_for_a_whole_debate_too(tmp_path: Path, write) -> None:
    source = write(debate_text(credence("alice", "h", "30%")))
    (tmp_path / "d.json").write_text(run("export", source, "--format", "json").stdout)
    target = write(debate_text(), "target.toml")
    result = run("import", "json", tmp_path / "d.json", "--into", target)
    assert result.exit_code == 0 and "added 1 credence" in result.output


def test_an_import_into_that_would_be_invalid_changes_nothing(tmp_path: Path, write) -> None:
    target = write(debate_text(credence("alice", "h", "30%")))
    before = digest(target)
    other = write(debate_text(credence("alice", "h", "40%"))
                  + '\n[[retraction]]\nid = "0000000000"\nwhy = "x"\nat = 2024-01-02\n', "o.toml")
    broken = tmp_path / "o.csv"
    broken.write_text(run("export", other).stdout.replace("0000000000", "1111111111"))
    result = run("import", "csv", broken, "--into", target)
    assert result.exit_code == 1 and digest(target) == before


def test_import_needs_one_of_output_and_into(tmp_path: Path, write) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text(run("export", write(debate_text(credence("alice", "h", "30%")))).stdout)
    assert run("import", "csv", csv).exit_code == 2
    assert run("import", "csv", csv, "-o", tmp_path / "a.toml", "--into", "x").exit_code == 2


COMMITMENTS = ('\n[[relation]]\nkind = "implies"\ncruxes = ["a", "h"]\n'
               '\n[[pledge]]\nwho = "alice"\ncrux = "h"\nif = "a"\np = "higher"\n'
               'at = 2024-02-01\n'
               '\n[[seal]]\nwho = "bob"\ncrux = "h"\nat = 2024-03-01\n'
               f'digest = "{"ab" * 32}"\n')


def test_relations_pledges_and_seals_come_back_and_into_adds_them_once(
        tmp_path: Path, write) -> None:
    source = write(debate_text(credence("alice", "h", "30%")) + COMMITMENTS)
    doc = tmp_path / "d.json"
    doc.write_text(run("export", source, "--format", "json").stdout)
    back = tmp_path / "back.toml"
    assert run("import", "json", doc, "-o", back).exit_code == 0
    assert run("diff", "--strict", source, back).exit_code == 0
    text = back.read_text()
    assert "[[relation]]" in text and "[[pledge]]" in text
    assert "at = 2024-02-01\n" in text and "at = 2024-03-01\n" in text  # dates, not strings
    target = write(debate_text(), "target.toml")
    for expected in ("added 1 credence, 1 seal, 1 pledge, 1 relation; already there: nothing",
                     "added nothing; already there: 1 credence, 1 seal, 1 pledge, 1 relation"):
        result = run("import", "json", doc, "--into", target)
        assert result.exit_code == 0 and expected in " ".join(result.output.split()), \
            result.output
    assert run("diff", "--strict", source, target).exit_code == 0
