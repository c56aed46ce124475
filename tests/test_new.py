"""`cruxcli new`: templates that ship with the package and always yield a valid debate."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

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


def test_new_creates_missing_directories_and_sets_the_question(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "debates" / "rain.toml"
    result = run("new", path, "--title", "Rain", "--question", 'Will it "rain" tomorrow?')
    assert result.exit_code == 0
    doc = tomli.loads(path.read_text())
    assert doc["title"] == "Rain"
    assert doc["cruxes"][doc["headline"]]["question"] == 'Will it "rain" tomorrow?'
    assert path.read_text().startswith("# blank:")  # the template's comments are kept


def test_double_crux_question_is_replaced_not_left_as_the_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    run("new", path, "-t", "double-crux", "--question", "Will X happen?")
    assert "Alice and Bob disagree about" not in path.read_text()
    assert tomli.loads(path.read_text())["cruxes"]["question"]["question"] == "Will X happen?"


@pytest.mark.parametrize("template", ["blank", "double-crux"])
def test_a_new_debates_page_does_not_read_headline_headline(tmp_path: Path, template) -> None:
    path, page = tmp_path / "d.toml", tmp_path / "d.html"
    run("new", path, "-t", template)
    assert run("report", path, "-o", page).exit_code == 0
    assert "headline <code>question</code>" in page.read_text()


@pytest.mark.parametrize("name", [".", "", "/", ".."])
def test_a_path_that_names_no_file_is_a_usage_error(tmp_path: Path, monkeypatch,
                                                    name: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", name)
    assert result.exit_code == 2 and "names no file" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_too_long_for_the_file_system_is_a_clear_error(tmp_path: Path) -> None:
    result = run("new", tmp_path / ("x" * 300))
    assert result.exit_code == 1 and "File name too long" in result.output
    assert list(tmp_path.iterdir()) == []
