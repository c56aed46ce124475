"""The habits people bring from other tools: case they do not think about, everyday phrases,
pipes, short ids, completion and a pager."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import credence, debate_text, run


def test_an_outcome_in_any_case_is_the_outcome(write) -> None:
    path = write(debate_text(credence("alice", "a", "30%")))
    assert run("resolve", path, "a", "Yes", "--at", "2024-06-01").exit_code == 0
    assert 'outcome = "yes"' in path.read_text()


def test_import_reads_standard_input(tmp_path: Path, write) -> None:
    exported = run("export", write(debate_text(credence("alice", "h", "30%")))).stdout
    result = run("import", "csv", "-", "-o", tmp_path / "copy.toml", input=exported)
    assert result.exit_code == 0, result.output
    doc = json.loads(run("show", tmp_path / "copy.toml", "--format", "json").stdout)
    assert [c["stated"] for r in doc["rows"] for c in r["cells"]] == ["30%"]
