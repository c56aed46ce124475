"""The stated-credence grammar: what people write ("<1%", "~4%", "very unlikely") -> Credence.

Pure: no I/O, no click, no rich. The stated text is kept verbatim for display, because "<1%"
and "1%" are different claims; `value` is the single number the maths uses. See docs/format.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Literal, NamedTuple

Kind = Literal["point", "upper", "lower", "range", "verbal", "direction"]
BOUNDS = frozenset({"upper", "lower"})  # the kinds that state a bound ("<1%", "80%+")


class CredenceError(ValueError):
    """The text is not a credence; the message says why and what would be accepted."""


class Credence(NamedTuple):
    """A stated credence: the text as stated, and what it means for computation.

    `value` is the number used in maths (the bound for bounds, the log-odds midpoint for ranges
    and verbal terms); it is None for direction-only updates ("lower") and for verbal terms a
    debate keeps with "no number", which are never turned into a number. `low`/`high` is the
    interval the statement allows, set whenever `value` is.
    """

    text: str
    kind: Kind
    value: float | None
    low: float | None = None
    high: float | None = None
    approx: bool = False
    direction: int = 0  # -1 for "lower", +1 for "higher", 0 otherwise

    @property
    def numeric(self) -> bool:
        return self.value is not None

    @property
    def on_scale(self) -> bool:
        """Counted at a verbal scale's value, not at a number the speaker gave."""
        return self.kind == "verbal" and self.value is not None

    @property
    def is_bound(self) -> bool:
        return self.kind in BOUNDS


def logit(p: float) -> float:
    """Natural log-odds at full precision: -inf at 0 and +inf at 1, never a clamped stand-in."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return math.log(p) - math.log1p(-p)


def expit(x: float) -> float:
    """Inverse of logit."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def bits(p: float, q: float) -> float:
    """log2 of the odds ratio p:q, i.e. how far q is from p in bits (positive when p > q).
    Infinite when exactly one of them is 0% or 100%, or they are 0% and 100%."""
    if p == q:
        return 0.0
    return (logit(p) - logit(q)) / math.log(2.0)


def log2_ratio(p: float, q: float) -> float:
    """log2(p / q) of two probabilities: infinite when exactly one of them is 0."""
    if p == q:
        return 0.0
    if q == 0.0 or p == 0.0:
        return math.inf if q == 0.0 else -math.inf
    return math.log2(p / q)


# The default verbal scale: the US Intelligence Community's ICD 203 (2015) "expressions of
# likelihood", each a range; the value used is the range's log-odds midpoint. A debate can
# override or extend it with a [scale] table. Synonyms map to the nearest ICD 203 term.
ICD_203: dict[str, str] = {
    "almost no chance": "1-5%",
    "remote": "1-5%",
    "very unlikely": "5-20%",
    "highly unlikely": "5-20%",
    "highly improbable": "5-20%",
    "very improbable": "5-20%",
    "unlikely": "20-45%",
    "improbable": "20-45%",
    "probably not": "20-45%",
    "roughly even chance": "45-55%",
    "even chance": "45-55%",
    "roughly even odds": "45-55%",
    "as likely as not": "45-55%",
    "about as likely as not": "45-55%",
    "likely": "55-80%",
    "probable": "55-80%",
    "probably": "55-80%",
    "very likely": "80-95%",
    "highly likely": "80-95%",
    "highly probable": "80-95%",
    "very probable": "80-95%",
    "almost certain": "95-99%",
    "almost certainly": "95-99%",
    "nearly certain": "95-99%",
    "virtually certain": "95-99%",
    "toss-up": "45-55%",
    "a toss-up": "45-55%",
    "coin flip": "45-55%",
    "a coin flip": "45-55%",
    "coin toss": "45-55%",
    "a coin toss": "45-55%",
}

#: Everyday phrases that are numbers, not words for a range: "even odds" is odds of 1:1.
NUMBER_PHRASES = {"even odds": "1:1", "evens": "1:1", "fifty-fifty": "50%",
                  "fifty fifty": "50%"}

_HEDGES = (
    "approximately|approx\\.?|about|around|roughly|circa|ca\\.|perhaps|maybe|probably"
    "|possibly|something like|on the order of|~"
)
_HEDGE = re.compile(rf"^(?:{_HEDGES})\s*", re.I)
_UPPER_PREFIX = re.compile(
    r"^(?:<=|<|=<|at most|no more than|not more than|less than|under|below|up to)\s*", re.I
)
_LOWER_PREFIX = re.compile(
    r"^(?:>=|>|=>|at least|no less than|not less than|more than|over|above)\s*", re.I
)
_UPPER_SUFFIX = re.compile(r"\s*(?:or less|or lower|or below|or under)$", re.I)
_LOWER_SUFFIX = re.compile(r"\s*(?:\+|or more|or higher|or above|or greater|plus)$", re.I)

_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
_PCT = r"\s*(?:%|percent|per cent|pct)"
_NUMBER = re.compile(rf"^({_NUM})({_PCT})?$", re.I)
_RANGE = re.compile(
    rf"^(?:between\s+)?({_NUM})({_PCT})?\s*(?:-|to|and)\s*({_NUM})({_PCT})?$", re.I
)
_ODDS = re.compile(rf"^({_NUM})\s*:\s*({_NUM})$")
_FREQ = re.compile(rf"^({_NUM})\s*(?:in|out of)\s*({_NUM})$", re.I)
_FRACTION = re.compile(rf"^({_NUM})\s*/\s*({_NUM})$")
_SPLIT = re.compile(rf"^({_NUM})\s*(/|-)\s*({_NUM})$")  # "60/40", "70-30": shares of 100

_DEGREE = (
    r"(?:a (?:little )?bit|a little|slightly|somewhat|a decent amount|a (?:great|good) deal|a (?:whole )?lot|a bunch"
    r"|much|significantly|substantially|sharply|considerably)"
)
_DIRECTION = re.compile(
    r"^(?:(?:i(?:'ve| have)?\s+)?(?:updated|updating|update|moved|revised|went|gone)\s+)?"
    rf"(?:{_DEGREE}\s+)?"
    r"(?:(?P<down>down(?:wards?)?|lower|decrease[sd]?|less likely|↓)"
    r"|(?P<up>up(?:wards?)?|higher|increase[sd]?|more likely|↑))"
    rf"(?:\s+{_DEGREE})?$",
    re.I,
)
_LIKELIHOOD_SUFFIX = re.compile(r"\s+(?:likely|chance|probability|probable)$", re.I)

_TRANSLATE = str.maketrans(
    {
        "≤": "<=",
        "≥": ">=",
        "≈": "~",
        "∼": "~",
        "–": "-",
        "—": "-",
        "−": "-",
        "⁄": "/",
        "∕": "/",
        "％": "%",
        "\u00a0": " ",
    }
)

ACCEPTED = (
    'e.g. 3%, 0.03, ~2%, <1%, 0.1% or less, 80%+, 2-5%, 1:99, 1 in 100, 1/3, "very unlikely" '
    'or "lower" (see docs/format.md)'
)


def _number(num: str, pct: str | None, whole: str) -> float:
    value = float(num)
    if pct:
        if value > 100:
            raise CredenceError(f'"{whole}" is above 100%')
        return value / 100.0
    if value > 1:
        raise CredenceError(
            f'"{whole}" is above 1: write a probability as 0..1 or as a percentage '
            f'(did you mean "{num}%"?)'
        )
    return value


def _ratio(a: float, b: float, whole: str) -> float:
    if b == 0 or a > b:
        raise CredenceError(f'"{whole}" is not a probability: it needs 0 <= a <= b')
    return a / b


def _split(text: str, whole: str) -> float | None:
    """A split such as "60/40" or "70-30" (two shares of 100, the first one's): its value,
    None if the text is not a split, CredenceError if it could also be read otherwise."""
    m = _SPLIT.match(text)
    if not m or float(m[1]) + float(m[3]) != 100.0:
        return None
    a, sep, b = float(m[1]), m[2], float(m[3])
    if a >= b:  # "60/40" cannot be a fraction (it is above 1), "70-30" not a range (backwards)
        return a / 100.0
    other = (f'the fraction {m[1]}/{m[3]} ("{_fmt(a / b)}")' if sep == "/"
             else f'the range "{m[1]}-{m[3]}%"')
    if sep == "/" and a / b == a / 100.0:
        return a / 100.0  # both readings agree ("0/100")
    raise CredenceError(f'"{whole}" could be a {m[1]}/{m[3]} split ("{m[1]}%") or {other}: '
                        "write the one you mean")


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _core(text: str, whole: str) -> tuple[float, float, float, Kind]:
    """Parse a bare numeric form; return (value, low, high, kind)."""
    if (v := _split(text, whole)) is not None:
        return v, v, v, "point"
    if m := _NUMBER.match(text):
        v = _number(m[1], m[2], whole)
        return v, v, v, "point"
    if m := _RANGE.match(text):
        unit = m[2] or m[4]
        lo, hi = _number(m[1], m[2] or unit, whole), _number(m[3], m[4] or unit, whole)
        if lo > hi:
            raise CredenceError(f'"{whole}": the range runs backwards ({m[1]} > {m[3]})')
        if lo == hi:
            return lo, lo, lo, "point"
        if lo == 0.0 or hi == 1.0:
            edge = f'"<{m[3]}{unit or ""}"' if lo == 0.0 else f'">{m[1]}{unit or ""}"'
            raise CredenceError(f'"{whole}": a range that reaches 0% or 100% has no log-odds '
                                f"midpoint; write a bound such as {edge} or a point value")
        mid = expit((logit(lo) + logit(hi)) / 2.0)
        return min(max(mid, lo), hi), lo, hi, "range"
    if m := _ODDS.match(text):
        a, b = float(m[1]), float(m[2])
        if a + b == 0:
            raise CredenceError(f'"{whole}": odds 0:0 are not a probability')
        v = a / (a + b)
        return v, v, v, "point"
    if m := _FREQ.match(text) or _FRACTION.match(text):
        v = _ratio(float(m[1]), float(m[2]), whole)
        return v, v, v, "point"
    raise CredenceError(f'"{whole}" is not a credence; expected {ACCEPTED}')


def _numeric(text: str, whole: str) -> Credence:
    approx = False
    while m := _HEDGE.match(text):
        approx, text = True, text[m.end() :]
    if m := _LIKELIHOOD_SUFFIX.search(text):
        text = text[: m.start()]
    kind: Kind | None = None
    if m := _UPPER_PREFIX.match(text) or _UPPER_SUFFIX.search(text):
        kind = "upper"
    elif m := _LOWER_PREFIX.match(text) or _LOWER_SUFFIX.search(text):
        kind = "lower"
    if m:
        text = (text[: m.start()] + text[m.end() :]).strip()
    if text.startswith("-"):
        raise CredenceError(f'"{whole}" is negative: a probability is between 0% and 100%')
    value, low, high, core_kind = _core(text, whole)
    if kind is not None and core_kind == "range":
        raise CredenceError(f'"{whole}" is a bound on a range: give one number, e.g. "<5%"')
    if (kind, value) in (("upper", 0.0), ("lower", 1.0)):
        raise CredenceError(f'"{whole}" is a bound that admits nothing beyond '
                            f'{"0%" if value == 0.0 else "100%"}: write that value itself '
                            "if it is what was meant")
    if kind == "upper":
        return Credence(whole, "upper", value, 0.0, value, approx)
    if kind == "lower":
        return Credence(whole, "lower", value, value, 1.0, approx)
    return Credence(whole, core_kind, value, low, high, approx)


def _normal(text: str) -> str:
    return " ".join(text.translate(_TRANSLATE).split()).strip()


def normal_term(term: str) -> str:
    """The form under which a verbal term is looked up in a scale: lower case, single spaces."""
    return _normal(term).lower().rstrip(".!")


class Scale:
    """Verbal terms -> numeric stated forms: ICD_203 extended and overridden by a debate.

    Hashed by identity, so one Scale per debate keys the parse cache cheaply.
    """

    __slots__ = ("terms", "overrides")

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self.overrides: dict[str, str] = dict(overrides or {})  # as the debate gives them
        terms = {normal_term(k): v for k, v in ICD_203.items()}
        for term, stated in (overrides or {}).items():
            terms[normal_term(term)] = stated
        self.terms: dict[str, str] = terms


DEFAULT_SCALE = Scale()
#: A [scale] value for a verbal term that the debate keeps as stated, with no number at all
#: (e.g. "quite unlikely", which no standard scale defines): like a direction-only update,
#: it is shown and never enters a computation.
NO_NUMBER = "no number"


@lru_cache(maxsize=8192)
def _parse_text(text: str, scale: Scale) -> Credence:
    norm = _normal(text)
    if not norm:
        raise CredenceError("the credence is empty")
    term = normal_term(norm)
    if (stated := scale.terms.get(term)) is not None:
        if normal_term(stated) == NO_NUMBER:
            return Credence(text, "verbal", None)  # words only: shown, never computed
        base = _numeric(_normal(stated), stated)
        return Credence(text, "verbal", base.value, base.low, base.high, True)
    if m := _DIRECTION.match(term):
        return Credence(text, "direction", None, direction=-1 if m["down"] else 1)
    if term in NUMBER_PHRASES:
        return _numeric(NUMBER_PHRASES[term], text)._replace(text=text)
    return _numeric(norm, text)


def parse(stated: str | float | int, scale: Scale = DEFAULT_SCALE) -> Credence:
    """Parse a stated credence. A TOML number is read as a probability in [0, 1].

    Raises CredenceError with a message that quotes the text.
    """
    if isinstance(stated, bool):
        raise CredenceError(f"{str(stated).lower()} is not a credence; expected {ACCEPTED}")
    if isinstance(stated, (int, float)):
        value = float(stated)
        if not math.isfinite(value):
            raise CredenceError(f"{stated} is not a credence: it must be a finite number")
        if not 0.0 <= value <= 1.0:
            hint = f' (did you mean "{stated}%"?)' if 1 < value <= 100 else ""
            raise CredenceError(f"{stated} is outside [0, 1]{hint}")
        return Credence(repr(stated), "point", value, value, value)
    if not isinstance(stated, str):
        raise CredenceError(f"a credence must be text or a number, not {type(stated).__name__}")
    if len(stated) > MAX_TEXT:
        raise CredenceError(f"{len(stated):,} characters is not a credence (at most {MAX_TEXT:,})")
    return _parse_text(stated, scale)


MAX_TEXT = 2_000  # the longest stated credence or date read (model.MAX_SHORT)


def check_scale_value(stated: str | float) -> Credence:
    """A [scale] entry must be a numeric form (not verbal, not a direction), or "no number"
    for a term the debate keeps as words only."""
    if isinstance(stated, str) and normal_term(stated) == NO_NUMBER:
        return Credence(stated, "verbal", None)
    cred = parse(stated)
    if cred.kind in ("verbal", "direction"):
        raise CredenceError(f'a scale entry must be a number or a range, not "{stated}"')
    return cred
