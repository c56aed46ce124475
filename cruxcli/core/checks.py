"""Every check of a debate, named in CHECKS (`cruxcli check --list`), and `build`, which runs
the errors' checks on a parsed file and returns the validated Debate. Pure.

Problems are returned as data with a key path (e.g. ("credence", 17, "p")); the reader maps
paths to lines. Every problem is collected, not just the first, like beancount's checker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from cruxcli.core import commitment_checks
from cruxcli.core.commitments import TOLERANCE
from cruxcli.core.credence import Credence, CredenceError, Scale, check_scale_value, parse
from cruxcli.core.crux_checks import MAX_PREMISE_DEPTH, check_cruxes
from cruxcli.core.model import (
    FORMAT,
    SLUG,
    Debate,
    Entry,
    InvalidDebate,
    KeyPath,
    Problem,
    condition_hint,
    did_you_mean,
    parse_condition,
    seen_before,
    shared_ids,
    start_of,
)
from cruxcli.core.outcomes import OUTCOMES, Resolution, Retraction
from cruxcli.core.schema import MAX_LONG, MAX_SHORT, Document, Numbered, text_of, validated
from cruxcli.core.when import When, WhenError, parse_when

#: How far past `now` a date may lie: someone east of UTC is already in tomorrow.
FUTURE_SLACK = dt.timedelta(days=1)


class Check(NamedTuple):
    """One named check of a debate: an error makes the file invalid (every command refuses
    it); a warning is reported by `check` (and fails `check --strict`)."""

    name: str
    severity: str  # "error", "warning", or "append" (what a write adds)
    says: str  # what holds when it passes


#: Every check, in the order `build` runs the errors' ones (each a function below, named
#: after it), then `warnings` the warnings, and `appended_news` what a write appends.
#: `cruxcli check --list` prints this table.
CHECKS = (
    Check("format", "error", "the file starts with `format = 1`"),
    Check("schema", "error", "every table has only its keys, each of its type, its text within "
          f"its length ({MAX_SHORT:,} or {MAX_LONG:,} characters)"),
    Check("scale", "error", "each [scale] term's value is a credence, or \"no number\""),
    Check("ids", "error", "participant and crux ids are slugs; the headline names a crux"),
    Check("premises", "error", "premises name other cruxes, once each, with no cycle and at most "
          f"{MAX_PREMISE_DEPTH} levels deep; premises_kind is chain or necessary; a crux's "
          "resolves_by is a date"),
    Check("credences", "error", "each credence names a participant and a crux (and, given a "
          "condition, another crux), states what the credence grammar reads, and is dated; a "
          "recollection (`about`) is about an earlier time"),
    Check("sources", "error", "with sources_required, every credence and resolution has a source "
          "and a quote"),
    Check("resolutions", "error", "each resolution names a crux, an outcome (yes, no or "
          "annulled) and a date"),
    Check("not-future", "error", "nothing is dated more than a day after today"),
    Check("retractions", "error", "each retraction names the id of a credence or resolution, and "
          "a date"),
    Check("contradictions", "error", "a resolution that changes a crux's standing outcome is a "
          "correction: dated after it, with a note"),
    Check("coherence", "warning", "a participant's stated P(U), P(c), P(U|c) and P(U|not c) can "
          "all hold (docs/summary.md)"),
    Check("after-resolution", "warning", "no credence on a crux is dated after the crux "
          "resolved"),
    Check("relations", "error", "each [[relation]] has a known kind (implies, excludes, "
          "partition, horizons) and enough known cruxes, and implications form no cycle"),
    Check("relation-held", "warning", "each participant's latest credences respect every "
          f"relation (within {TOLERANCE} bits)"),
    Check("seals", "error", "each [[seal]] names a participant and a crux, with a date and a "
          "digest; a credence that reveals a seal (`seal`, `salt`, `revealed`) states what was "
          "sealed: its digest matches, and its participant, crux, condition and date are the "
          "seal's"),
    Check("pledges", "error", "each [[pledge]] names a participant, a crux, a condition (`if`: "
          "another crux, or not it), a credence with a number or a direction, and a date"),
    Check("news", "append", "what `log`, `resolve` or `retract` appends is news: no credence "
          "on a crux already resolved, no word-for-word restatement of a retracted entry (it "
          "would share its id), no second retraction of an id"),
)


def appended_news(after: Debate, kind: str) -> list[str]:
    """The append check ("news") of the entry of `kind` a write just appended to `after`."""
    from cruxcli.core.outcomes import after_resolution

    if kind == "retraction":
        new = max(after.retractions, key=lambda r: r.position)
        first = next((r for r in after.retractions if r.target == new.target and r is not new),
                     None)
        return [f'{new.target} is already retracted (at {first.when}: "{first.why}")'] \
            if first else []
    item: Entry | Resolution = after.last_written(Entry) if kind == "credence" else \
        after.last_written(Resolution)
    out = [f"this states exactly what was retracted as {item.id}, so that retraction would "
           "take it back too: give --note saying why it is stated again"
           for r in after.retractions if r.target == item.id][:1]
    if isinstance(item, Entry):
        out += [f'"{e.crux}" resolved {r.outcome} at {r.when}: a credence stated at {e.when} '
                "is no forecast of it (log one on another crux, or give --at before the "
                "resolution)" for e, r in after_resolution([item], after.resolutions)]
    return out


def warnings(debate: Debate) -> list[Problem]:
    """The warning checks of a valid debate."""
    return [*_coherence(debate), *_after_resolution(debate), *_relations(debate)]


def _relations(debate: Debate) -> list[Problem]:
    if not debate.relations:  # no pass over the log for nothing
        return []
    from cruxcli.core.commitments import latest_held, violations

    return [Problem(("relation", v.relation.position, "cruxes"),
                    f"{v.who}'s credences break {v.relation.label}: "
                    + ", ".join(f"{c} {e.credence.text}" for c, e in v.held.items())
                    + f" ({v.bits:.2f} bits from holding; tolerance {TOLERANCE} bits)",
                    ", ".join(v.relation.cruxes))
            for v in violations(debate, latest_held(debate)) if v.violated]


def _coherence(debate: Debate) -> list[Problem]:
    from cruxcli.core.coherence import incoherences, latest_numbers

    return [Problem(("credence", x.p_u_c.position, "p"), x.message, x.p_u_c.credence.text)
            for x in incoherences(debate, latest_numbers(debate.entries))]


def _after_resolution(debate: Debate) -> list[Problem]:
    from cruxcli.core.outcomes import after_resolution

    return [Problem(("credence", e.position, "at"), f'{e.who}\'s credence on "{e.crux}" is '
                    f"dated {e.when}, after the crux resolved {r.outcome} at {r.when}: not a "
                    "forecast of it", e.when.text)
            for e, r in after_resolution(debate.entries, debate.resolutions)]


def build(raw: dict[str, Any], max_problems: int = 200, now: dt.datetime | None = None
          ) -> Debate:
    """Validate a parsed TOML document and build the Debate, or raise InvalidDebate. The
    document's credence log is used up (schema._credences): parse again to build again.
    With `now` (naive UTC), anything dated after it (plus FUTURE_SLACK) is a problem: the
    shell passes the clock, the core never reads it."""
    fmt = raw.get("format")
    if fmt is None:
        raise InvalidDebate([Problem(("format",), "missing `format = 1` at the top of the file")])
    if type(fmt) is not int or fmt != FORMAT:
        raise InvalidDebate(
            [Problem(("format",), f"format {fmt!r} is not supported; this cruxcli reads format 1")]
        )
    problems: list[Problem] = []
    tables, logs = validated(raw, problems)
    numbered = logs["credence"]
    doc = Document(tables)
    scale = _scale(doc, problems)
    _check_ids(doc, problems)
    check_cruxes(doc, problems)
    entries = _entries(doc, numbered, scale, problems)
    resolutions = _resolutions(doc, logs["resolution"], problems)
    if now is not None:
        _check_not_future(entries, now + FUTURE_SLACK, problems)
        _check_not_future(resolutions, now + FUTURE_SLACK, problems, "resolution")
    retractions, withdrawn = _retractions(logs["retraction"], entries, resolutions, problems)
    relations = commitment_checks.relations(doc, logs["relation"], problems)
    seals = commitment_checks.seals(doc, logs["seal"], entries, problems)
    pledges = commitment_checks.pledges(doc, logs["pledge"], scale, problems)
    _check_contradictions(resolutions, {id(r) for r, _ in withdrawn}, problems)
    if problems:
        raise InvalidDebate(problems[:max_problems], len(problems))
    entries.sort(key=start_of)  # stable: ties keep file order
    resolutions.sort(key=start_of)
    if withdrawn:
        gone = {id(item) for item, _ in withdrawn}
        entries = [e for e in entries if id(e) not in gone]
        resolutions = [r for r in resolutions if id(r) not in gone]
    return Debate(
        title=doc.title,
        headline=doc.headline,
        participants=doc.participants,
        cruxes=doc.cruxes,
        entries=tuple(entries),
        scale=scale,
        sources_required=doc.sources_required,
        description=doc.description,
        resolutions=tuple(resolutions),
        retractions=tuple(retractions),
        withdrawn=tuple(withdrawn),
        pledges=tuple(pledges),
        relations=tuple(relations),
        seals=tuple(seals),
    )


def _scale(doc: Document, problems: list[Problem]) -> Scale:
    for term, stated in doc.scale.items():
        try:
            check_scale_value(stated)
        except CredenceError as exc:
            problems.append(Problem(("scale", term), str(exc), str(stated)))
    return Scale({k: str(v) if isinstance(v, str) else repr(v) for k, v in doc.scale.items()})


def _check_ids(doc: Document, problems: list[Problem]) -> None:
    for kind, ids in (("participants", doc.participants), ("cruxes", doc.cruxes)):
        for ident in ids:
            if not SLUG.match(ident):
                problems.append(
                    Problem((kind, ident),
                            f'id "{ident}" must be a slug: lower-case letters, digits, - and _',
                            ident)
                )
    if doc.headline_given and doc.headline not in doc.cruxes:
        problems.append(
            Problem(("headline",),
                    f'headline "{doc.headline}" is not a crux'
                    f"{did_you_mean(doc.headline, doc.cruxes)}", doc.headline)
        )


def _check_not_future(entries: list[Any], limit: dt.datetime, problems: list[Problem],
                      log: str = "credence") -> None:
    what = {"credence": "a credence is dated when it was stated",
            "resolution": "a resolution is dated when the outcome became known"}[log]
    for e in entries:
        if e.when.start > limit:
            problems.append(Problem((log, e.position, "at"), f'"{e.when}" is in the future: '
                                    f"{what} (today is {limit.date() - FUTURE_SLACK})",
                                    e.when.text))


def _sourced(table: dict[str, Any], path: KeyPath, problems: list[Problem]) -> bool:
    """With sources_required, a `source` and a `quote`; each missing one is a problem."""
    missing = [key for key in ("source", "quote") if not (table.get(key) or "").strip()]
    problems += [Problem((*path, key), f"missing `{key}`: this debate has sources_required = "
                         "true") for key in missing]
    return not missing


def _resolutions(doc: Document, numbered: Numbered,
                 problems: list[Problem]) -> list[Resolution]:
    out = []
    for i, r in numbered:
        crux, outcome = r["crux"], r["outcome"]
        ok = _known("crux", crux, doc.cruxes, ("resolution", i, "crux"), problems)
        if outcome not in OUTCOMES:
            ok = False
            problems.append(Problem(("resolution", i, "outcome"), f'outcome "{outcome}": give '
                                    '"yes", "no" or "annulled"'
                                    f"{did_you_mean(outcome.lower(), OUTCOMES)}", outcome))
        try:
            when = parse_when(r["at"])
        except WhenError as exc:
            ok = False
            problems.append(Problem(("resolution", i, "at"), str(exc), text_of(r["at"])))
        if doc.sources_required and not _sourced(r, ("resolution", i), problems):
            ok = False
        if ok:
            out.append(Resolution(i, crux, outcome, when, r.get("source"), r.get("quote"),
                                  r.get("note")))
    return out


def _check_contradictions(resolutions: list[Resolution], gone: set[int],
                          problems: list[Problem]) -> None:
    """Two outcomes of one crux: only a correction may change the standing one, and a
    correction is dated after it and says why in a `note`. Anything else (two branches that
    each resolved the crux, say) is an error naming both, never a silent winner by date."""
    standing: dict[str, Resolution] = {}
    for r in sorted((r for r in resolutions if id(r) not in gone),
                    key=lambda r: (r.when.start, r.position)):
        before = standing.get(r.crux)
        standing[r.crux] = r
        if before is None or before.outcome == r.outcome:
            continue
        if r.when.start > before.when.end and (r.note or "").strip():
            continue
        why = ("is not dated after it" if r.when.start <= before.when.end else
               "has no `note` saying why it corrects it")
        problems.append(Problem(
            ("resolution", r.position, "outcome"),
            f'two outcomes of "{r.crux}": this resolution says "{r.outcome}" ({r.when}) but '
            f'[[resolution]] #{before.position} says "{before.outcome}" ({before.when}), and this '
            f"one {why}. Retract the wrong one (cruxcli retract), or correct it with a later "
            f"resolution and a note (cruxcli resolve ... --note WHY)", r.outcome,
            ("resolution", before.position, "outcome")))


def _retractions(numbered: Numbered, entries: list[Entry],
                 resolutions: list[Resolution], problems: list[Problem]
                 ) -> tuple[list[Retraction], list[tuple[Any, Retraction]]]:
    numbered = list(numbered)
    if not numbered:
        return [], []
    by_id: dict[str, list[Any]] = {}
    items: list[Entry | Resolution] = [*entries, *resolutions]
    for item in items:
        by_id.setdefault(item.id, []).append(item)
    out, withdrawn, taken = [], [], set()
    for i, r in numbered:
        try:
            when = parse_when(r["at"])
        except WhenError as exc:
            problems.append(Problem(("retraction", i, "at"), str(exc), text_of(r["at"])))
            continue
        if r["id"] not in by_id and r["id"] not in taken:
            problems.append(Problem(("retraction", i, "id"), f'no credence or resolution has '
                                    f'id "{r["id"]}" (ids: --format json, key `id`)', r["id"]))
            continue
        retraction = Retraction(i, r["id"], r["why"], when)
        out.append(retraction)
        # an id retracted twice (two merged branches each took it back) is withdrawn once
        withdrawn += [(item, retraction) for item in by_id.pop(r["id"], ())]
        taken.add(r["id"])
    return out, withdrawn


def _known(what: str, name: str, known: Mapping[str, Any], path: KeyPath,
           problems: list[Problem]) -> bool:
    """Whether `name` is one of `known`; else a problem at `path`, with a did-you-mean."""
    if name in known:
        return True
    problems.append(Problem(path, f'unknown {what} "{name}"{did_you_mean(name, known)}', name))
    return False


def _entries(doc: Document, numbered: Numbered, scale: Scale,
             problems: list[Problem]) -> list[Entry]:
    entries: list[Entry] = []
    people, cruxes = shared_ids(doc.participants), shared_ids(doc.cruxes)
    stated: dict[str, Credence] = {}  # the same stated text and date recur: parse each once
    dated: dict[Any, When] = {}
    plain = not doc.sources_required
    for i, e in numbered:
        if plain and (seen := seen_before(i, e, people, cruxes, stated, dated)) is not None:
            entries.append(seen)
            continue
        p, at = e["p"], e["at"]
        who, crux, stated_given = e["who"], e["crux"], e.get("given")
        ok = _known("participant", who, people, ("credence", i, "who"), problems)
        ok = _known("crux", crux, cruxes, ("credence", i, "crux"), problems) and ok
        given = None
        if stated_given is not None:
            given = parse_condition(stated_given)
            if given.crux not in cruxes:
                ok = False
                problems.append(Problem(("credence", i, "given"),
                                        f'`given` names unknown crux "{given.crux}"'
                                        f"{condition_hint(stated_given, cruxes)}", stated_given))
            elif given.crux == crux:
                ok = False
                problems.append(Problem(("credence", i, "given"),
                                        f'a credence on "{crux}" cannot be given itself',
                                        stated_given))
        try:
            credence = parse(p, scale)
            if type(p) is str:
                stated[p] = credence
        except CredenceError as exc:
            ok = False
            problems.append(Problem(("credence", i, "p"), str(exc), text_of(p)))
        try:
            when = parse_when(at)
            if type(at) is not dict and type(at) is not list:
                dated[at] = when
        except WhenError as exc:
            ok = False
            problems.append(Problem(("credence", i, "at"), str(exc), text_of(at)))
        if doc.sources_required and not _sourced(e, ("credence", i), problems):
            ok = False
        about = None
        if "about" in e:
            try:
                about = parse_when(e["about"])
            except WhenError as exc:
                ok = False
                problems.append(Problem(("credence", i, "about"), str(exc), text_of(e["about"])))
            else:
                if ok and about.start > when.start:
                    ok = False
                    problems.append(Problem(("credence", i, "about"), f'a recollection is about '
                                            f'an earlier time: "{about}" is after `at` "{when}"',
                                            about.text))
        revealed = commitment_checks.revealed(i, e, problems)
        if ok and not isinstance(revealed, bool):
            entries.append(Entry(i, people[who], cruxes[crux], credence, when, given,
                                 e.get("source"), e.get("quote"), e.get("note"), about,
                                 e.get("seal"), e.get("salt"), revealed))
    return entries
