"""Commitments a debate can hold beyond credences: relations between cruxes that every
participant's credences must respect, and pledged updates, checked once the evidence arrives.
Pure; the formulas and tolerances are in docs/format.md.

A relation's violation is measured in bits, as every gap here: the smallest move, in bits
(log2 of the odds ratio), of one of the participant's credences that would make the relation
hold (infinite where no single move can).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from cruxcli.core.credence import Credence, bits
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.outcomes import Resolution, content_id, latest_resolutions
from cruxcli.core.when import When

KINDS = ("implies", "excludes", "partition", "horizons")
TOLERANCE = 0.1  # bits: a violation smaller than this is rounding, not incoherence
#: The keys of each log's tables (schema.KEYS reads them from here).
RELATION_KEYS = ("kind", "cruxes", "note")
PLEDGE_KEYS = ("who", "crux", "if", "p", "at", "note")
SEAL_KEYS = ("who", "crux", "given", "at", "digest")


class Relation(NamedTuple):
    """`implies` [a, b]: a implies b, so P(a) <= P(b). `horizons` [a, b, ...]: the same
    question at later and later horizons, each implying the next. `excludes`: at most one
    holds, so the credences sum to at most 1. `partition`: exactly one holds: they sum to 1."""

    position: int
    kind: str
    cruxes: tuple[str, ...]
    note: str | None = None

    @property
    def stated(self) -> dict[str, Any]:
        return dict(zip(RELATION_KEYS, (self.kind, self.cruxes, self.note), strict=True))

    @property
    def label(self) -> str:
        joint = {"implies": " → ", "horizons": " → ", "excludes": " ⊕ ", "partition": " + "}
        return f"{self.kind}: {joint[self.kind].join(self.cruxes)}"


def relation_problems(kind: str, cruxes: list[str], known: Any) -> list[str]:
    """What is wrong with a declared relation, if anything (an error in `check`)."""
    if kind not in KINDS:
        return [f'kind "{kind}": give one of {", ".join(KINDS)}']
    out = [f'unknown crux "{c}"' for c in cruxes if c not in known]
    if kind == "implies" and len(cruxes) != 2:
        out.append(f"implies takes two cruxes (a implies b), not {len(cruxes)}")
    elif len(cruxes) < 2:
        out.append(f"a {kind} of one crux says nothing: give two or more")
    if len(set(cruxes)) < len(cruxes):
        out.append("a crux is listed twice")
    return out


def implication_cycle(relations: list[Relation]) -> list[str] | None:
    """A cycle of implications (a implies b implies a), which would make them one crux."""
    edges: dict[str, set[str]] = {}
    for r in relations:
        if r.kind in ("implies", "horizons"):
            for a, b in zip(r.cruxes, r.cruxes[1:], strict=False):
                edges.setdefault(a, set()).add(b)
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := visit(nxt, path + [nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


class Violation(NamedTuple):
    relation: Relation
    who: str
    held: dict[str, Entry]  # the credences checked, by crux
    bits: float  # the smallest single move that would restore the relation; 0 if it holds

    @property
    def violated(self) -> bool:
        return self.bits > TOLERANCE


def _move_to(p: float, target: float) -> float:
    """Bits from p to target; infinite when the target is not a probability strictly inside
    (0, 1) that p could move to."""
    if target <= 0.0 or target >= 1.0:
        return 0.0 if p == target else math.inf
    return abs(bits(p, target))


def measure(r: Relation, values: dict[str, float]) -> float | None:
    """The relation's violation in bits for these credences (None: not all were given)."""
    if r.kind in ("implies", "horizons"):
        pairs = [(a, b) for a, b in zip(r.cruxes, r.cruxes[1:], strict=False)
                 if a in values and b in values]
        if not pairs:
            return None
        return max((bits(values[a], values[b]) if values[a] > values[b] else 0.0)
                   for a, b in pairs)
    given = [c for c in r.cruxes if c in values]
    total = sum(values[c] for c in given)
    # the smallest move of one credence that brings the sum to 1
    move = min((_move_to(values[c], 1.0 - (total - values[c])) for c in given), default=None)
    if r.kind == "excludes":
        return None if len(given) < 2 else move if total > 1.0 else 0.0
    if total > 1.0:  # a partition over 1 is violated even before every part is given
        return move
    if len(given) < len(r.cruxes):
        return None
    return 0.0 if total == 1.0 else move


def latest_held(debate: Debate) -> dict[tuple[str, str], Entry]:
    """Each participant's latest unconditional numeric credence on each crux."""
    held: dict[tuple[str, str], Entry] = {}
    for e in debate.entries:  # in time order
        if e.given is None and e.credence.value is not None:
            held[(e.who, e.crux)] = e
    return held


def violations(debate: Debate, held: dict[tuple[str, str], Entry]) -> list[Violation]:
    """Each relation against each participant's held numeric credences, (who, crux) -> entry
    (unconditional ones): every check, satisfied or not."""
    out = []
    for r in debate.relations:
        for who in debate.participants:
            mine = {c: held[(who, c)] for c in r.cruxes if (who, c) in held}
            values = {c: v for c, e in mine.items() if (v := e.credence.value) is not None}
            gap = measure(r, values)
            if gap is not None:
                out.append(Violation(r, who, mine, gap))
    return out


# --------------------------------------------------------------------------------- seals

SALT_HEX = 32  # a salt of at least 128 bits, as hex digits


def canonical(who: str, crux: str, given: str | None, stated: str, at: str) -> str:
    """The statement a seal commits to, in one exact form: a JSON array of the participant,
    the crux, the condition ("" for none), the credence as stated and the date as written,
    compact, in UTF-8 (docs/format.md)."""
    import json

    return json.dumps([who, crux, given or "", stated, at], ensure_ascii=False,
                      separators=(",", ":"))


def digest(salt: str, statement: str) -> str:
    """SHA-256 of the salt, a newline and the canonical statement, as hex."""
    import hashlib

    return hashlib.sha256(f"{salt}\n{statement}".encode()).hexdigest()


class Seal(NamedTuple):
    """A credence committed now, by a digest of a secret salt and the statement, and revealed
    later: stating it before seeing the others', provably."""

    position: int
    who: str
    crux: str
    given: str | None
    when: When
    digest: str

    @property
    def stated(self) -> dict[str, Any]:
        return dict(zip(SEAL_KEYS, (self.who, self.crux, self.given, self.when.text,
                                    self.digest), strict=True))

    @property
    def id(self) -> str:
        return content_id("seal", *(v or "" for v in self.stated.values()))


def reveal_problem(e: Entry, seal: Seal | None) -> str | None:
    """Why the credence `e` does not reveal the seal it names; None if it does."""
    if seal is None:
        return f'reveals seal "{e.seal}", but no [[seal]] has that id'
    if len(e.salt or "") < SALT_HEX:
        return f"the salt of a seal has at least {SALT_HEX} hex digits (128 bits)"
    mine = (e.who, e.crux, str(e.given) if e.given else None, e.when.text)
    theirs = (seal.who, seal.crux, seal.given, seal.when.text)
    if mine != theirs:
        return (f"reveals [[seal]] #{seal.position} ({seal.who} · {seal.crux}, "
                f"{seal.when.text}) but states {e.who} · {e.crux}, {e.when.text}: a reveal "
                "states the sealed participant, crux, condition and date")
    opened = digest(e.salt or "", canonical(e.who, e.crux, mine[2], e.credence.text,
                                            e.when.text))
    if opened != seal.digest:
        return (f"does not open [[seal]] #{seal.position}: the digest of its salt and "
                f'statement "{e.credence.text}" is {opened[:12]}..., the seal says '
                f"{seal.digest[:12]}... (was the credence or the salt changed?)")
    return None


def sealed(debate: Debate, when: When | None = None) -> list[Seal]:
    """Seals not revealed by the end of `when` (or at all): never a number anywhere."""
    if not debate.seals:  # no pass over the log for nothing
        return []
    limit = when.end if when is not None else None
    shown = {e.seal for e in debate.entries_written if e.seal is not None and
             (limit is None or e.revealed is None or e.revealed.start <= limit)}
    return [s for s in debate.seals if s.id not in shown and
            (limit is None or s.when.start <= limit)]


# ------------------------------------------------------------------------------- pledges

class Pledge(NamedTuple):
    """Should `condition` turn out as stated, `who`'s next P(crux) will satisfy `promise`."""

    position: int
    who: str
    crux: str
    condition: Condition
    promise: Credence
    when: When
    note: str | None = None

    @property
    def stated(self) -> dict[str, Any]:
        return dict(zip(PLEDGE_KEYS, (self.who, self.crux, str(self.condition),
                                      self.promise.text, self.when.text, self.note),
                        strict=True))


class Kept(NamedTuple):
    pledge: Pledge
    status: str  # "pending", "not triggered", "awaiting", "kept", "broken", "unjudged"
    resolution: Resolution | None = None  # of the condition
    prior: Entry | None = None  # their last P(crux) before the condition resolved
    then: Entry | None = None  # their first P(crux) after it
    bits: float | None = None  # how far `then` is from what they pledged; 0 if kept


def _gap(promise: Credence, value: float, prior: Entry | None) -> tuple[bool, float] | None:
    """Whether `value` keeps the promise, and its distance in bits from the nearest value the
    promise admits (0 when kept). A direction is measured from their last number before the
    evidence (None without one); no move at all breaks it, at a distance of 0 bits."""
    if promise.kind == "direction":
        if prior is None or prior.credence.value is None:
            return None
        before = prior.credence.value
        if (value - before) * promise.direction > 0:
            return True, 0.0
        return False, abs(bits(value, before))
    low = promise.low if promise.low is not None else promise.value
    high = promise.high if promise.high is not None else promise.value
    assert low is not None and high is not None
    if low <= value <= high:
        return True, 0.0
    return False, abs(bits(value, low if value < low else high))


def pledges(debate: Debate) -> list[Kept]:
    """Every pledge and where it stands: pending (the condition is open), not triggered (it
    resolved the other way), awaiting (it resolved as pledged, no P(crux) stated since),
    kept or broken (by how many bits)."""
    settled = latest_resolutions(debate.resolutions)
    out = []
    for p in debate.pledges:
        r = settled.get(p.condition.crux)
        if r is None or r.value is None:
            out.append(Kept(p, "pending"))
            continue
        if (r.value == 1.0) != p.condition.holds:
            out.append(Kept(p, "not triggered", r))
            continue
        mine = [e for e in debate.entries if e.who == p.who and e.crux == p.crux and
                e.given is None and not e.recalled]
        prior = next((e for e in reversed(mine) if e.when.end < r.when.start and
                      e.credence.value is not None), None)
        then = next((e for e in mine if e.when.start > r.when.end and
                     e.credence.value is not None), None)
        if then is None or then.credence.value is None:
            out.append(Kept(p, "awaiting", r, prior))
            continue
        judged = _gap(p.promise, then.credence.value, prior)
        if judged is None:  # a direction with no number before to move from
            out.append(Kept(p, "unjudged", r, prior, then))
            continue
        out.append(Kept(p, "kept" if judged[0] else "broken", r, prior, then, judged[1]))
    return out
