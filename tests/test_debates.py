"""The shipped debates: valid, every credence sourced and quoted verbatim, numbers as stated."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from conftest import REPO, run
from cruxcli.files import reading

DEBATES = sorted((REPO / "debates").glob("*.toml"))
SEEDS = Path(os.environ.get("CRUXCLI_SEEDS", REPO.parent / "shared" / "seeds"))


def test_there_are_shipped_debates() -> None:
    assert {p.stem for p in DEBATES} >= {"scheming", "power-seeking"}


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_check_passes(path: Path) -> None:
    assert run("check", path).exit_code == 0


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_every_credence_has_a_source_and_a_quote(path: Path) -> None:
    debate = reading.load(path)
    assert debate.sources_required
    for e in debate.entries:
        assert e.source and e.quote, e


# Quotes from cited posts that the seed copies abbreviate, each as given verbatim in the issue
# that asked for it (issue 14), from the post at the entry's `source`.
BEYOND_SEEDS = [
    "I think it's about 25% likely that the first AIs capable of obsoleting top human experts "
    "are scheming.",  # https://www.lesswrong.com/posts/aEguDPoCzt3287CCD (the seeds: "about 25% likely")
]


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_every_quote_is_verbatim_in_the_sources(path: Path) -> None:
    """Each quote (its parts, where "[...]" marks an elision) occurs in a seed text or in the
    seeds README's list of further published statements (whitespace folded)."""
    corpus = [_normal(p.read_text(encoding="utf-8")) for p in SEEDS.iterdir() if p.is_file()]
    corpus += [_normal(q) for q in BEYOND_SEEDS]
    for e in reading.load(path).entries:
        for part in e.quote.split("[...]"):  # type: ignore[union-attr]
            assert any(_normal(part) in text for text in corpus), (e.who, e.crux, part)


@pytest.mark.parametrize("path", DEBATES, ids=lambda p: p.stem)
def test_stated_forms_are_text_not_floats(path: Path) -> None:
    """A stated "5%" must stay "5%": nothing in debates/ was converted to a float."""
    for e in reading.load(path).entries:
        assert e.credence.text != repr(e.credence.value), e


def test_power_seeking_keeps_stated_and_implied_apart() -> None:
    d = reading.load(REPO / "debates" / "power-seeking.toml")
    premises = d.cruxes[d.headline].premises

    def latest(who: str, crux: str) -> float:
        return [e for e in d.entries if e.who == who and e.crux == crux][-1].credence.value

    carlsmith = math.prod(latest("carlsmith", c) for c in premises)
    supers = math.prod(latest("superforecasters", c) for c in premises)
    assert carlsmith == pytest.approx(0.0514, abs=5e-4)
    assert supers == pytest.approx(0.0021, abs=1e-4)
    assert latest("superforecasters", d.headline) == 0.01  # stated, not the product


def test_direction_only_updates_stay_directions() -> None:
    d = reading.load(REPO / "debates" / "scheming.toml")
    down = [e for e in d.entries if e.who == "ryan" and e.crux == "scheming-before-full-automation"
            and e.given is None]
    assert [e.credence.kind for e in down] == ["direction"]
    assert down[0].credence.value is None


# ---- issue 14: the shipped debates say exactly what their sources say -------------------------

def scheming():
    return reading.load(REPO / "debates" / "scheming.toml")


def entries_of(who: str, crux: str | None = None):
    return [e for e in scheming().entries if e.who == who and (crux is None or e.crux == crux)]


def test_each_proposition_has_its_own_crux() -> None:
    (bp,) = entries_of("belrose-pope")
    assert bp.crux == "scheming-spontaneous" and bp.credence.text == "perhaps 0.1% or less"
    (carlsmith,) = entries_of("carlsmith")
    assert carlsmith.crux == "scheming-baseline"
    assert str(carlsmith.given) == "sophisticated-goal-directed"  # the conditional is kept
    headline = [e for e in scheming().entries if e.crux == "scheming" and e.given is None]
    assert {e.who for e in headline if e.credence.value is not None} == {"wheaton"}
    doc = json.loads(run("summary", REPO / "debates" / "scheming.toml", "--format",
                         "json").stdout)
    assert not [r for r in doc["divergence"] if r["crux"] == "scheming" and r["n"] > 1]


def test_the_derpy_split_is_the_footnote_of_the_four_percent_forecast() -> None:
    (derpy,) = entries_of("ryan", "derpy-scheming")
    assert str(derpy.given) == "scheming-3x" and derpy.when.text == "2024-10"


def test_a_recollection_is_said_when_it_was_said_and_never_back_then() -> None:
    recalled = entries_of("ryan", "scheming-mythos")
    assert [(e.credence.text, e.when.text, e.about.text) for e in recalled] == [
        ("quite unlikely", "2026", "2024"), ("~2%", "2026", "2024")]
    assert recalled[0].credence.value is None  # "quite unlikely": his words, no number
    doc = json.loads(run("show", REPO / "debates" / "scheming.toml", "--as-of", "2024-12-31",
                         "--format", "json").stdout)
    assert not any(r["crux"] == "scheming-mythos" and r["cells"] for r in doc["rows"])


def test_the_top_expert_quote_says_what_it_is_about() -> None:
    (e,) = entries_of("ryan", "scheming-top-expert")
    # the post has a footnote marker after "likely": cut, and marked as cut
    assert e.quote == ("I think it's about 25% likely[...] that the first AIs capable of "
                       "obsoleting top human experts are scheming.")


def test_the_missing_statements_are_recorded() -> None:
    stated = {(e.who, e.crux, str(e.given or ""), e.credence.text) for e in scheming().entries}
    assert ("wheaton", "misaligned-long-term-goal-first", "", "very unlikely") in stated
    assert ("wheaton", "scheming", "base-goal-with-goal-directed", "also seems unlikely") in stated
    assert ("wheaton", "gradient-free-training", "", "doesn't seem likely") in stated
    assert ("commenter-rlhf", "scheming", "components-from-pretraining",
            "a great deal more likely") in stated
    assert ("wheaton", "paradigm-shift", "", "very unlikely") in stated
    assert ("commenter-later", "deceptive-alignment-later", "", "less likely") in stated
    (later,) = entries_of("commenter-later")
    assert later.credence.kind == "direction"
    (more,) = [e for e in entries_of("commenter-rlhf") if e.crux == "scheming"]
    assert more.credence.direction == 1


def test_wheatons_own_words_are_never_numbers_he_would_reject() -> None:
    """He glosses "highly unlikely" as <1%; ICD 203 puts "very unlikely" at 5-20%. The debate
    keeps his verbal terms as words, so none of them is drawn or pooled at a number."""
    verbal = [e for e in entries_of("wheaton") if e.credence.kind == "verbal"]
    assert {e.credence.text for e in verbal} == {"very unlikely", "also seems unlikely",
                                                 "doesn't seem likely"}
    assert all(e.credence.value is None for e in verbal)


def test_necessary_premises_give_an_upper_bound_not_an_implied_value(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    assert run("new", path, "-t", "scheming").exit_code == 0
    text = path.read_text() + "\n[participants.x]\nname = \"X\"\n"
    for crux in ("goal-directed", "long-term-goals", "base-goal-concept", "situational-awareness"):
        text += f'\n[[credence]]\nwho = "x"\ncrux = "{crux}"\np = "likely"\nat = 2024-01-01\n'
    text += '\n[[credence]]\nwho = "x"\ncrux = "scheming"\np = "<1%"\nat = 2024-01-01\n'
    path.write_text(text)
    (row,) = json.loads(run("summary", path, "--format", "json").stdout)["bottom_line"]
    # "likely" is 55-80%: its log-odds midpoint, to the fourth power
    likely = 1 / (1 + math.exp(-(math.log(0.55 / 0.45) + math.log(0.8 / 0.2)) / 2))
    assert row["implied"] == pytest.approx(likely ** 4) and row["implied_ceiling"]
    assert row["reading"] == "within the bound" and not row["flagged"]  # <1% is below ≤22.5%
    assert row["implied_rests_on_verbal"]
    table = run("summary", path).output
    assert f"≤{100 * likely ** 4:.0f}%" in table and "†" in table  # 22.5%, to two digits


def test_power_seeking_premises_say_by_2070_and_given_the_earlier_ones() -> None:
    d = reading.load(REPO / "debates" / "power-seeking.toml")
    premises = d.cruxes[d.headline].premises
    assert d.cruxes[d.headline].premises_kind == "chain"
    for crux in premises[1:]:
        question = d.cruxes[crux].question
        assert "2070" in question, crux
    for crux in premises[2:]:
        assert "given the earlier premises" in d.cruxes[crux].question, crux
    assert d.participants["superforecasters"].aggregate


def test_a_figure_resting_on_a_verbal_term_is_marked_everywhere() -> None:
    path = REPO / "debates" / "scheming.toml"
    show = run("show", path).output
    assert "likely†" in show and "rests on a verbal term" in " ".join(show.split())
    doc = json.loads(run("show", path, "--format", "json").stdout)
    cells = [c for r in doc["rows"] for c in r["cells"]]
    assert all(c["verbal"] == (c["form"] == "verbal" and c["value"] is not None) for c in cells)
    trace = json.loads(run("trace", path, "--crux", "goal-directed", "--format", "json").stdout)
    assert trace["lines"][0]["rests_on_verbal"]
