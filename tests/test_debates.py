"""The shipped debates: valid, every credence sourced and quoted verbatim, numbers as stated."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from conftest import REPO, run
from cruxcli.files import store

DEBATES = sorted((REPO / "debates").glob("*.toml"))
SEEDS = Path(os.environ.get("CRUXCLI_SEEDS", REPO.parent / "shared" / "seeds"))


def test_there_are_shipped_debates() -> None:
    assert {p.stem for p in DEBATES} >= {"scheming", "power-seeking"}


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_check_passes(path: Path) -> None:
    assert run("check", path).exit_code == 0


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_every_credence_has_a_source_and_a_quote(path: Path) -> None:
    debate = store.load(path)
    assert debate.sources_required
    for e in debate.entries:
        assert e.source and e.quote, e


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_every_quote_is_verbatim_in_the_sources(path: Path) -> None:
    """Each quote (its parts, where "[...]" marks an elision) occurs in a seed text or in the
    seeds README's list of further published statements (whitespace folded)."""
    corpus = [_normal(p.read_text(encoding="utf-8")) for p in SEEDS.iterdir() if p.is_file()]
    for e in store.load(path).entries:
        for part in e.quote.split("[...]"):  # type: ignore[union-attr]
            assert any(_normal(part) in text for text in corpus), (e.who, e.crux, part)


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_stated_forms_are_text_not_floats(path: Path) -> None:
    """A stated "5%" must stay "5%": nothing in debates/ was converted to a float."""
    for e in store.load(path).entries:
        assert e.credence.text != repr(e.credence.value), e


def test_power_seeking_keeps_stated_and_implied_apart() -> None:
    d = store.load(REPO / "debates" / "power-seeking.toml")
    premises = d.cruxes[d.headline].premises

    def latest(who: str, crux: str) -> float:
        return [e for e in d.entries if e.who == who and e.crux == crux][-1].credence.value

    carlsmith = math.prod(latest("carlsmith", c) for c in premises)
    supers = math.prod(latest("superforecasters", c) for c in premises)
    assert carlsmith == pytest.approx(0.0514, abs=5e-4)
    assert supers == pytest.approx(0.0021, abs=1e-4)
    assert latest("superforecasters", d.headline) == 0.01  # stated, not the product


def test_direction_only_updates_stay_directions() -> None:
    d = store.load(REPO / "debates" / "scheming.toml")
    down = [e for e in d.entries if e.who == "ryan" and e.crux == "scheming-before-full-automation"
            and e.given is None]
    assert [e.credence.kind for e in down] == ["direction"]
    assert down[0].credence.value is None
