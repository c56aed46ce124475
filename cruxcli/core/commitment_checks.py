"""Reading a debate's [[relation]], [[pledge]] and [[seal]] logs into core.commitments' types, with the
errors `check` reports (core.checks's "relations" and "pledges" checks). Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.commitments import (
    Pledge,
    Relation,
    Seal,
    implication_cycle,
    relation_problems,
    reveal_problem,
)
from cruxcli.core.credence import CredenceError, Scale, parse
from cruxcli.core.model import Entry, Problem, condition_hint, did_you_mean, parse_condition
from cruxcli.core.schema import Document, Numbered, text_of
from cruxcli.core.when import When, WhenError, parse_when


def relations(doc: Document, numbered: Numbered,
              problems: list[Problem]) -> list[Relation]:
    out = []
    for i, r in numbered:
        said = relation_problems(r["kind"], r["cruxes"], doc.cruxes)
        problems += [Problem(("relation", i, "kind" if s.startswith("kind") else "cruxes"), s,
                             r["kind"] if s.startswith("kind") else ", ".join(r["cruxes"]))
                     for s in said]
        if not said:
            out.append(Relation(i, r["kind"], tuple(r["cruxes"]), r.get("note")))
    if cycle := implication_cycle(out):
        first = next(r for r in out if r.kind in ("implies", "horizons") and cycle[0] in r.cruxes)
        problems.append(Problem(("relation", first.position, "cruxes"), "implications form a "
                                "cycle: " + " → ".join(cycle) + " (they would all be one crux)",
                                cycle[0]))
    return out


def pledges(doc: Document, numbered: Numbered, scale: Scale,
            problems: list[Problem]) -> list[Pledge]:
    out = []
    for i, p in numbered:
        ok = _names_known(doc, "pledge", i, p, problems)
        condition = parse_condition(p["if"])
        if condition.crux not in doc.cruxes or condition.crux == p["crux"]:
            ok = False
            problems.append(Problem(("pledge", i, "if"), f'`if` must name another crux, as '
                                    f'"C" or "not C": "{p["if"]}"'
                                    f'{condition_hint(p["if"], doc.cruxes)}', p["if"]))
        try:
            promise = parse(p["p"], scale)
            if promise.value is None and promise.kind != "direction":
                raise CredenceError(f'"{p["p"]}" has no number and no direction to pledge')
        except CredenceError as exc:
            ok = False
            problems.append(Problem(("pledge", i, "p"), str(exc), text_of(p["p"])))
        when = _date(("pledge", i, "at"), p["at"], problems)
        if ok and when is not None:
            out.append(Pledge(i, p["who"], p["crux"], condition, promise, when, p.get("note")))
    return out


def revealed(i: int, e: dict[str, Any], problems: list[Problem]) -> When | None | bool:
    """A credence's reveal time, if it reveals a seal (None if it does not); False for a
    reveal that lacks its salt or its date (a problem)."""
    if not any(k in e for k in ("seal", "salt", "revealed")):
        return None
    missing = [k for k in ("seal", "salt", "revealed") if k not in e]
    if missing:
        problems.append(Problem(("credence", i, missing[0]), "a revealed credence gives `seal`, "
                                "`salt` and `revealed` together; missing: " + ", ".join(missing)))
        return False
    when = _date(("credence", i, "revealed"), e["revealed"], problems)
    return False if when is None else when


def seals(doc: Document, numbered: Numbered, entries: list[Entry],
          problems: list[Problem]) -> list[Seal]:
    """The seals, and every reveal checked against its seal."""
    out = []
    for i, s in numbered:
        ok = _names_known(doc, "seal", i, s, problems)
        when = _date(("seal", i, "at"), s["at"], problems)
        if ok and when is not None:
            out.append(Seal(i, s["who"], s["crux"], s.get("given"), when, s["digest"]))
    by_id = {x.id: x for x in out}
    for e in entries:
        if e.seal is None:
            continue
        seal = by_id.get(e.seal)
        why = reveal_problem(e, seal)
        if why:
            problems.append(Problem(("credence", e.position, "seal"), why, e.seal))
    return out


def _names_known(doc: Document, log: str, i: int, table: dict[str, Any],
                 problems: list[Problem]) -> bool:
    """Whether the table's `who` and `crux` name a participant and a crux (else problems)."""
    ok = True
    for key, name, known in (("who", "participant", doc.participants),
                             ("crux", "crux", doc.cruxes)):
        if table[key] not in known:
            ok = False
            problems.append(Problem((log, i, key), f'unknown {name} "{table[key]}"'
                                    f"{did_you_mean(table[key], known)}", table[key]))
    return ok


def _date(where: tuple[str, int, str], text: Any, problems: list[Problem]) -> When | None:
    """The date a table states under a key (None, and a problem, if it is not one)."""
    try:
        return parse_when(text)
    except WhenError as exc:
        problems.append(Problem(where, str(exc), text_of(text)))
        return None
