"""`cruxcli new`: templates that ship with the package and always yield a valid debate."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import digest, run
from cruxcli.files import templates

NAMES = ["blank", "double-crux", "power-seeking", "scheming"]


def test_list_names_every_template() -> None:
    out = run("new", "--list").stdout
    for name in NAMES:
        assert name in out


@pytest.mark.parametrize("name", NAMES)
def test_each_template_makes_a_valid_debate(tmp_path: Path, name: str) -> None:
    path = tmp_path / "d.toml"
    assert run("new", path, "--template", name).exit_code == 0
    assert run("check", path).exit_code == 0


def test_title_is_serialized_safely(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    title = 'He said "50%"\nthen \\ left'
    assert run("new", path, "-t", "double-crux", "--title", title).exit_code == 0
    assert run("check", path).exit_code == 0
    import tomli

    assert tomli.loads(path.read_text())["title"] == title


def test_suffix_is_added(tmp_path: Path) -> None:
    assert run("new", tmp_path / "mine").exit_code == 0
    assert (tmp_path / "mine.toml").exists()


def test_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text("precious")
    before = digest(path)
    result = run("new", path, "-t", "blank")
    assert result.exit_code == 1 and "already exists" in result.output
    assert digest(path) == before


def test_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    result = run("new", tmp_path / "d.toml", "-t", "nope")
    assert result.exit_code == 2 and "double-crux" in result.output
    assert not (tmp_path / "d.toml").exists()


def test_scheming_template_has_the_four_foundational_properties() -> None:
    import tomli

    doc = tomli.loads(templates.instantiate("scheming").decode())
    assert doc["cruxes"]["scheming"]["premises"] == [
        "goal-directed", "long-term-goals", "base-goal-concept", "situational-awareness"]
    assert "credence" not in doc


def test_power_seeking_template_has_six_premises_and_no_credences() -> None:
    import tomli

    doc = tomli.loads(templates.instantiate("power-seeking").decode())
    assert len(doc["cruxes"][doc["headline"]]["premises"]) == 6
    assert "credence" not in doc and "participants" not in doc
