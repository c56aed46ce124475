"""One key vocabulary across every report (docs/keys.md): every key any report writes, in JSON
or as a CSV column, is documented there, and no synonym of a documented key is used."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, credence, debate_text, json_keys, run
from cruxcli.reports.registry import REPORTS

DOCUMENTED = set(re.findall(r"`([a-z_0-9]+)`", (REPO / "docs" / "keys.md").read_text()))
#: Words that once named a concept another key names now (README: changelog).
SYNONYMS = {"who": "participant", "spread_bits": "bits", "index": "position",
            "implied_upper_bound": "implied_ceiling", "bounded": "rests_on_bound",
            "implied_bounded": "implied_rests_on_bound", "lowest_participant": "lowest",
            "first_stated": "first"}
RICH = debate_text(
    credence("alice", "h", "<10%", at="2024-01-01", source="s", quote="q", note="n"),
    credence("alice", "h", "lower", at="2024-02-01"),
    credence("alice", "a", "likely", at="2024-01-01"),
    credence("alice", "b", "~40%", at="2024-01-01"),
    credence("alice", "h", "30%", at="2024-01-01", given="a"),
    credence("bob", "h", "2-5%", at="2025", about="2024"),
    credence("bob", "a", "60%", at="2024-03-01"),
    credence("bob", "b", "20%", at="2024-03-01"),
    credence("bob", "h", "50%", at="2024-03-02"),
) + '\n[[resolution]]\ncrux = "a"\noutcome = "yes"\nat = 2025-06-01\n'


@pytest.fixture
def rich(tmp_path: Path) -> tuple[Path, Path]:
    new = tmp_path / "new.toml"
    new.write_text(RICH)
    old = tmp_path / "old.toml"
    old.write_text(RICH.replace('name = "Bob"', 'name = "Robert"').split("\n[[resolution]]")[0])
    return old, new


def args(name: str, old: Path, new: Path) -> list[str]:
    return {"show": [new], "cruxes": [new], "summary": [new, "--between", "alice", "bob"], "trace": [new],
            "score": [new], "due": [new, "--older-than", "0"],
            "diff": ["--no-index", old, new]}[name]


def keys_written(name: str, old: Path, new: Path, formats: tuple[str, ...]) -> set[str]:
    found = json_keys(json.loads(run(name, *args(name, old, new), "--format", "json").stdout))
    if "csv" in formats:
        header = next(csv.reader(io.StringIO(run(name, *args(name, old, new), "--format",
                                                 "csv").stdout)))
        found |= {part for column in header for part in column.split(".")}
    return found


@pytest.mark.parametrize("spec", REPORTS, ids=lambda s: s.name)
def test_every_key_is_in_the_vocabulary(rich, spec) -> None:
    found = keys_written(spec.name, *rich, spec.formats)
    assert not found - DOCUMENTED, sorted(found - DOCUMENTED)
    assert not found & set(SYNONYMS), {k: SYNONYMS[k] for k in found & set(SYNONYMS)}


def test_no_synonym_is_documented() -> None:
    assert not DOCUMENTED & set(SYNONYMS)
    assert set(SYNONYMS.values()) <= DOCUMENTED


def test_the_registry_names_every_reporting_command() -> None:
    from cruxcli.commands.cli import cli

    assert {spec.name for spec in REPORTS} <= set(cli.every_command())
    for spec in REPORTS:
        assert (REPO / spec.doc).is_file(), spec.doc
