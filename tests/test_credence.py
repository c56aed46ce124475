"""The stated-credence grammar: every form in docs/format.md, its errors, and its invariants."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cruxcli.core.credence import CredenceError, Scale, bits, expit, logit, parse


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("0.03", "point", 0.03),
        ("3%", "point", 0.03),
        ("3 %", "point", 0.03),
        ("3 percent", "point", 0.03),
        ("25% chance", "point", 0.25),
        ("about 25% likely", "point", 0.25),
        ("~2%", "point", 0.02),
        ("≈2%", "point", 0.02),
        ("about 2%", "point", 0.02),
        ("<1%", "upper", 0.01),
        ("≤1%", "upper", 0.01),
        ("at most 1%", "upper", 0.01),
        ("0.1% or less", "upper", 0.001),
        ("perhaps 0.1% or less", "upper", 0.001),
        (">80%", "lower", 0.8),
        ("80%+", "lower", 0.8),
        ("probably 80%+", "lower", 0.8),
        ("at least 80%", "lower", 0.8),
        ("1:99", "point", 0.01),
        ("1 in 100", "point", 0.01),
        ("1/3", "point", 1 / 3),
        ("2⁄3", "point", 2 / 3),
        ("0%", "point", 0.0),
        ("100%", "point", 1.0),
    ],
)
def test_numeric_forms(text: str, kind: str, value: float) -> None:
    c = parse(text)
    assert (c.kind, c.text) == (kind, text)
    assert c.value == pytest.approx(value)


def test_approximate_forms_are_marked() -> None:
    assert parse("~2%").approx and parse("about 2%").approx
    assert not parse("2%").approx


def test_bounds_keep_their_interval() -> None:
    upper, lower = parse("<1%"), parse("80%+")
    assert (upper.low, upper.high) == (0.0, 0.01)
    assert (lower.low, lower.high) == (0.8, 1.0)
    assert upper.is_bound and lower.is_bound


def test_range_uses_log_odds_midpoint() -> None:
    c = parse("2-5%")
    assert c.kind == "range" and (c.low, c.high) == (0.02, 0.05)
    assert logit(c.value) == pytest.approx((logit(0.02) + logit(0.05)) / 2)
    assert parse("2% to 5%").value == pytest.approx(c.value)
    # the log-odds midpoint lies below the arithmetic midpoint for small probabilities
    assert c.value < 0.035


def test_verbal_terms_use_the_icd_203_scale() -> None:
    c = parse("very unlikely")
    assert c.kind == "verbal" and (c.low, c.high) == (0.05, 0.20)
    assert c.value == pytest.approx(expit((logit(0.05) + logit(0.2)) / 2))
    assert parse("Likely").kind == "verbal"  # case does not matter


@pytest.mark.parametrize("text, low, high", [
    ("toss-up", 0.45, 0.55), ("a coin flip", 0.45, 0.55), ("Coin toss", 0.45, 0.55),
    ("virtually certain", 0.95, 0.99)])
def test_everyday_words_for_a_range_are_verbal_terms(text: str, low: float, high: float) -> None:
    c = parse(text)
    assert (c.kind, c.low, c.high, c.text) == ("verbal", low, high, text)


@pytest.mark.parametrize("text", ["even odds", "Evens", "fifty-fifty"])
def test_even_odds_is_a_number_not_a_word(text: str) -> None:
    c = parse(text)
    assert (c.kind, c.value, c.text, c.on_scale) == ("point", 0.5, text, False)


def test_a_debate_scale_overrides_and_extends_the_default() -> None:
    scale = Scale({"very unlikely": "1-3%", "quite unlikely": "10%"})
    assert parse("very unlikely", scale).high == 0.03
    assert parse("quite unlikely", scale).value == pytest.approx(0.10)
    with pytest.raises(CredenceError):
        parse("quite unlikely")  # not in the default scale


@pytest.mark.parametrize(
    "text, direction",
    [("lower", -1), ("updated down", -1), ("updated down a decent amount", -1),
     ("updating down", -1), ("somewhat less likely", -1), ("higher", 1),
     ("increases a bunch", 1), ("a great deal more likely", 1), ("I have updated slightly up", 1)],
)
def test_direction_only_updates_never_become_numbers(text: str, direction: int) -> None:
    c = parse(text)
    assert c.kind == "direction" and c.direction == direction
    assert c.value is None and not c.numeric


def test_toml_numbers_are_probabilities() -> None:
    assert parse(0.03).value == 0.03 and parse(0.03).text == "0.03"
    assert parse(1).value == 1.0 and parse(0).value == 0.0


@pytest.mark.parametrize(
    "stated, message",
    [
        ("150%", "above 100%"),
        ("-3%", "negative"),
        ("3", 'did you mean "3%"'),
        ("nan", "not a credence"),
        ("inf", "not a credence"),
        ("", "empty"),
        ("5-2%", "backwards"),
        ("3/2", "not a probability"),
        ("abc", "not a credence"),
        (True, "not a credence"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (2, 'did you mean "2%"'),
        (-0.5, "outside [0, 1]"),
    ],
)
def test_invalid_credences_say_why(stated: object, message: str) -> None:
    with pytest.raises(CredenceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(stated)  # type: ignore[arg-type]


def test_zero_and_one_are_infinite_in_log_odds_never_clamped() -> None:
    assert logit(0.0) == -math.inf and logit(1.0) == math.inf
    assert bits(0.5, 0.0) == math.inf and bits(0.0, 1.0) == -math.inf and bits(0.0, 0.0) == 0.0
    assert bits(0.25, 0.001) == pytest.approx(8.38, abs=0.01)
    # a stated 1e-8 is used as 1e-8: log2 of its odds against 1e-7's, by hand
    assert bits(1e-7, 1e-8) == pytest.approx(math.log2((1e-7 / (1 - 1e-7)) / (1e-8 / (1 - 1e-8))))


# ---- properties -----------------------------------------------------------------------------

percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False).map(str)
fraction = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False).map(str)
hedge = st.sampled_from(["", "~", "about ", "roughly ", "perhaps ", "≈"])
prefix = st.sampled_from(["", "<", "<=", "≤", ">", ">=", "≥", "at most ", "at least "])
suffix = st.sampled_from(["", " or less", "+", " or more"])


@st.composite
def stated_forms(draw: st.DrawFn) -> str:
    core = draw(st.one_of(percent.map(lambda x: f"{x}%"), fraction))
    if draw(st.booleans()):
        return draw(hedge) + draw(prefix) + core
    return draw(hedge) + core + draw(suffix)


@given(stated_forms())
def test_any_accepted_form_parses_into_the_unit_interval_and_displays_as_stated(text: str) -> None:
    try:
        c = parse(text)
    except CredenceError as exc:  # only a bound that admits nothing ("<0%", "100% or more")
        assert "admits nothing" in str(exc), text
        return
    assert c.text == text
    assert c.value is not None and 0.0 <= c.value <= 1.0
    assert 0.0 <= c.low <= c.value <= c.high <= 1.0  # type: ignore[operator]


@given(st.tuples(percent, percent).map(lambda t: sorted(t, key=float)))
def test_ranges_lie_within_their_ends(ends: list[str]) -> None:
    lo, hi = float(ends[0]) / 100, float(ends[1]) / 100
    if lo < hi and (lo == 0 or hi == 1):  # no log-odds midpoint: refused, never invented
        with pytest.raises(CredenceError, match="no log-odds midpoint"):
            parse(f"{ends[0]}-{ends[1]}%")
        return
    c = parse(f"{ends[0]}-{ends[1]}%")
    assert lo - 1e-12 <= c.value <= hi + 1e-12  # type: ignore[operator]


@given(st.text(max_size=40))
def test_arbitrary_text_parses_validly_or_raises_credence_error(text: str) -> None:
    try:
        c = parse(text)
    except CredenceError:
        return
    assert c.text == text
    assert c.value is None or 0.0 <= c.value <= 1.0


@given(st.floats(min_value=1e-5, max_value=1 - 1e-5), st.floats(min_value=1e-5, max_value=1 - 1e-5))
def test_bits_are_antisymmetric(p: float, q: float) -> None:
    assert bits(p, q) == pytest.approx(-bits(q, p), abs=1e-9)


def test_the_documented_scale_matches_the_code() -> None:
    """docs/format.md's verbal-scale table: every term, range and value is what parse() does."""
    from conftest import REPO

    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc.split("### The verbal scale")[1].split("A debate can override")[0]
    rows = [line.split("|")[1:4] for line in section.splitlines() if line.startswith("| ")]
    checked = 0
    for terms, span, value in rows[2:]:  # after the header and its rule
        for term in terms.split(","):
            term = term.strip().replace("(about) ", "").replace("(ly)", "").replace("(a) ", "")
            c = parse(term)
            assert c.kind == "verbal", term
            assert f"{c.low * 100:g}-{c.high * 100:g}%" == span.strip()
            assert f"{c.value * 100:.1f}%".replace(".0%", "%") == value.strip()
            checked += 1
    assert checked >= 20


# ---- the grammar means what people mean, or refuses ------------------------------------------

@pytest.mark.parametrize("text, value", [("50/50", 0.5), ("60/40", 0.6), ("70-30", 0.7),
                                         ("70 - 30", 0.7), ("100/0", 1.0), ("about 60/40", 0.6)])
def test_splits_are_the_first_share(text: str, value: float) -> None:
    assert parse(text).value == value


@pytest.mark.parametrize("text, hint", [
    ("20/80", '"20%"'), ("30-70", '"30-70%"'), ("<0%", "admits nothing"),
    (">100%", "admits nothing"), ("100% or more", "admits nothing"), ("0-5%", '"<5%"'),
    ("<2-5%", "one number")])
def test_forms_that_read_two_ways_or_admit_nothing_are_refused_with_a_suggestion(
        text: str, hint: str) -> None:
    with pytest.raises(CredenceError, match=re.escape(hint)):
        parse(text)


@given(st.integers(0, 120), st.integers(0, 120),
       st.sampled_from(["/", "-", ":", " in ", " to ", " out of "]), st.sampled_from(["", "%"]))
def test_no_accepted_text_maps_to_a_value_it_does_not_state(a: int, b: int, sep: str,
                                                           unit: str) -> None:
    text = f"{a}{sep}{b}{unit}"
    try:
        c = parse(text)
    except CredenceError:
        return
    stated = {x / 100 for x in (a, b)} | {x for x in (a, b) if x <= 1}
    if b:
        stated.add(a / b)  # a fraction, "a in b", "a out of b"
    if a + b:
        stated.add(a / (a + b))  # odds a:b
    assert c.value is not None
    if c.kind == "range":
        assert c.low in stated and c.high in stated and c.low <= c.value <= c.high
    else:
        assert any(math.isclose(c.value, s) for s in stated), (text, c.value)
    if sep in "/-" and not unit and a + b == 100:
        assert c.value == a / 100  # a split is the first share, never a fraction of 100%
