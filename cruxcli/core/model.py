"""A debate file's shape and its cross-checks, producing a validated Debate. Pure.

The shape is declared once as a pydantic v2 core schema (pydantic-core, the engine under
pydantic's models): building it costs 0.2 ms, where pydantic's class API spends ~100 ms
generating schemas at every start of the CLI. Validated data becomes small named tuples.
Problems are returned as data with a key path (e.g. ("credence", 17, "p")); the reader maps
paths to lines. Every problem is collected, not just the first, like beancount's checker.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic_core import SchemaValidator, ValidationError

from cruxcli.core.credence import Credence, CredenceError, Scale, check_scale_value, parse
from cruxcli.core.outcomes import (
    OUTCOMES,
    RESOLUTION_KEYS,
    RETRACTION_KEYS,
    Resolution,
    Retraction,
    content_id,
    written,
)
from cruxcli.core.when import When, WhenError, parse_when

FORMAT = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KeyPath = tuple[str | int, ...]


class Participant(NamedTuple):
    name: str
    group: str | None = None
    url: str | None = None
    aggregate: bool = False  # a group's pooled numbers (e.g. superforecasters), not one mind


#: What a crux's `premises` are: a chain of conditionals whose product *is* the bottom line
#: (Carlsmith's six), or necessary conditions whose product only bounds it from above
#: (Wheaton's four foundational properties, whose order also matters).
PREMISE_KINDS = ("chain", "necessary")


class Crux(NamedTuple):
    question: str
    premises: tuple[str, ...] = ()
    premises_kind: str = "chain"

    @property
    def ceiling(self) -> bool:
        """Whether the product of the premises is only a ceiling on this crux (an upper
        bound), as for necessary conditions."""
        return self.premises_kind == "necessary"


# Core schemas are plain dicts (what pydantic_core.core_schema's helpers build; importing
# those helpers alone costs ~18 ms).
def _table(fields: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    """A TOML table with exactly these keys (strictly typed; unknown keys are errors)."""
    return {"type": "typed-dict", "extra_behavior": "forbid",
            "fields": {k: {"type": "typed-dict-field", "schema": v, "required": k in required}
                       for k, v in fields.items()}}


def _strict(kind: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "strict": True, **more}


#: The longest text a field may hold, in characters: names, ids, dates and stated credences
#: (and URLs) are short; questions, quotes, notes and reasons may be paragraphs. A bound keeps
#: every report's cost in proportion to what a debate could sensibly say (docs/format.md).
MAX_SHORT, MAX_LONG = 2_000, 100_000
_TEXT = _strict("str", max_length=MAX_SHORT)
_PROSE = _strict("str", max_length=MAX_LONG)
_ANY = {"type": "any"}
PARTICIPANT = _table({"name": _TEXT, "group": _TEXT, "url": _TEXT,
                      "aggregate": _strict("bool")}, ("name",))
CRUX = _table({"question": _PROSE, "premises": _strict("list", items_schema=_TEXT),
               "premises_kind": _TEXT}, ("question",))
# `p` and `at` are read by the credence grammar and when.parse_when, whose messages are better
# than a union type's (and are held to MAX_SHORT before they are read).
ENTRY = _table({"who": _TEXT, "crux": _TEXT, "p": _ANY, "at": _ANY, "given": _TEXT,
                "source": _PROSE, "quote": _PROSE, "note": _PROSE, "about": _ANY},
               ("who", "crux", "p", "at"))
RESOLUTION = _table({"crux": _TEXT, "outcome": _TEXT, "at": _ANY, "source": _PROSE,
                     "quote": _PROSE, "note": _PROSE}, ("crux", "outcome", "at"))
RETRACTION = _table({"id": _TEXT, "why": _PROSE, "at": _ANY}, ("id", "why", "at"))
TOP = {"format": _strict("int"), "title": _TEXT, "headline": _TEXT, "description": _PROSE,
       "sources_required": _strict("bool"),
       "scale": _strict("dict", keys_schema=_TEXT, values_schema={
           "type": "union", "choices": [_TEXT, _strict("float"), _strict("int")]})}
PARTS = {"participants": _strict("dict", keys_schema=_TEXT, values_schema=PARTICIPANT),
         "cruxes": _strict("dict", keys_schema=_TEXT, values_schema=CRUX),
         "credence": _strict("list", items_schema=ENTRY),
         "resolution": _strict("list", items_schema=RESOLUTION),
         "retraction": _strict("list", items_schema=RETRACTION)}
KEYS = {"": (*TOP, *PARTS), "participants": ("name", "group", "url", "aggregate"),
        "cruxes": ("question", "premises", "premises_kind"),
        "credence": ("who", "crux", "given", "p", "at", "source", "quote", "note", "about"),
        "resolution": RESOLUTION_KEYS, "retraction": RETRACTION_KEYS}
ENTRY_KEYS = KEYS["credence"]
_REQUIRED_TOP = ("format", "title", "headline")
_DEBATE = SchemaValidator(_table({**TOP, **PARTS}, _REQUIRED_TOP))
_VALIDATORS = {"top": SchemaValidator(_table(TOP, _REQUIRED_TOP)),
               "participants": SchemaValidator(PARTICIPANT), "cruxes": SchemaValidator(CRUX),
               "credence": SchemaValidator(ENTRY), "resolution": SchemaValidator(RESOLUTION),
               "retraction": SchemaValidator(RETRACTION)}
LOGS = ("credence", "resolution", "retraction")  # the append-only arrays of tables


class Problem(NamedTuple):
    """Something wrong in a debate: where (a key path), what, and the offending text if any."""

    path: KeyPath
    message: str
    text: str | None = None
    related: KeyPath | None = None  # another place the problem involves, e.g. a contradiction's


class InvalidDebate(ValueError):
    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
        self.total = total if total is not None else len(problems)


class Condition(NamedTuple):
    """`given = "c"` (holds) or `given = "not c"` (does not hold)."""

    crux: str
    holds: bool = True

    def __str__(self) -> str:
        return self.crux if self.holds else f"not {self.crux}"


class Entry(NamedTuple):
    """One stated credence from the log, at `position` in the file's [[credence]] log."""

    position: int
    who: str
    crux: str
    credence: Credence
    when: When
    given: Condition | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    about: When | None = None  # a recollection: the earlier time it is about (`at`: stated)

    @property
    def recalled(self) -> bool:
        """Stated later about an earlier time ("I would have put ~2% in mid 2024"): never a
        forecast made back then."""
        return self.about is not None

    @property
    def label(self) -> str:
        return series_label(self.who, self.crux, self.given)

    @property
    def stated(self) -> dict[str, Any]:
        """What the entry states, key by key as written (outcomes.written)."""
        return written(self, ENTRY_KEYS)

    @property
    def id(self) -> str:
        """Stable across clones and merges: derived from what the entry states (an absent
        `given` hashes as "", as it always has)."""
        return content_id("credence", *(v if v is not None or k != "given" else ""
                                        for k, v in self.stated.items()))

    @property
    def series(self) -> tuple[str, str, Condition | None]:
        """Entries with the same series are successive statements of the same belief."""
        return (self.who, self.crux, self.given)


class Debate(NamedTuple):
    title: str
    headline: str
    participants: Mapping[str, Participant]
    cruxes: Mapping[str, Crux]
    entries: tuple[Entry, ...]  # in time order; ties keep file order; none retracted
    scale: Scale
    sources_required: bool = False
    description: str | None = None
    resolutions: tuple[Resolution, ...] = ()  # in time order; none retracted
    retractions: tuple[Retraction, ...] = ()
    withdrawn: tuple[tuple[Entry | Resolution, Retraction], ...] = ()  # what they took back

    @property
    def entries_written(self) -> list[Entry]:
        """Every credence in file order, retracted ones included: a retraction takes an entry
        out of the figures, not out of the history."""
        return _written(self.entries, self.withdrawn, Entry)

    @property
    def resolutions_written(self) -> list[Resolution]:
        """Every resolution in file order, retracted ones included."""
        return _written(self.resolutions, self.withdrawn, Resolution)


def _written(kept: tuple[Any, ...], withdrawn: tuple[tuple[Any, Retraction], ...],
             kind: type) -> list[Any]:
    return sorted([*kept, *(x for x, _ in withdrawn if isinstance(x, kind))],
                  key=lambda x: x.position)


def series_label(who: str, crux: str, given: Condition | None) -> str:
    """How reports name a participant's belief: "ryan · scheming | not neuralese"."""
    return f"{who} · {crux}" + (f" | {given}" if given else "")


def _start(e: Entry | Resolution) -> Any:
    return e.when.start


def did_you_mean(word: str, choices: object) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)  # type: ignore[call-overload]
    return f' (did you mean "{close[0]}"?)' if close else ""


def parse_condition(given: str) -> Condition:
    words = given.split()
    if len(words) == 2 and words[0] == "not":
        return Condition(words[1], holds=False)
    return Condition(given.strip())


#: How far past `now` a date may lie: someone east of UTC is already in tomorrow.
FUTURE_SLACK = dt.timedelta(days=1)


def condition_hint(given: str, cruxes: object) -> str:
    """A did-you-mean for a condition that keeps its sign: "NOT clouds" -> "not clouds"."""
    first, _, rest = given.strip().partition(" ")
    if first.lower() == "not" and rest.strip():
        close = difflib.get_close_matches(rest.strip(), list(cruxes), n=1, cutoff=0.6)  # type: ignore[call-overload]
        return f' (did you mean "not {close[0]}"?)' if close else ""
    return did_you_mean(given, cruxes)


def build(raw: dict[str, Any], max_problems: int = 200, now: dt.datetime | None = None
          ) -> Debate:
    """Validate a parsed TOML document and build the Debate, or raise InvalidDebate.
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
    try:
        doc = _DEBATE.validate_python(raw)
        logs = {log: list(enumerate(doc.get(log, []))) for log in LOGS}
    except ValidationError:
        doc, logs = _salvage(raw, problems)
    numbered = logs["credence"]
    doc = _Doc(doc)
    scale = _scale(doc, problems)
    _check_ids(doc, problems)
    _check_cruxes(doc, problems)
    entries = _entries(doc, numbered, scale, problems)
    resolutions = _resolutions(doc, logs["resolution"], problems)
    if now is not None:
        _check_not_future(entries, now + FUTURE_SLACK, problems)
        _check_not_future(resolutions, now + FUTURE_SLACK, problems, "resolution")
    retractions, withdrawn = _retractions(logs["retraction"], entries, resolutions, problems)
    _check_contradictions(resolutions, {id(r) for r, _ in withdrawn}, problems)
    if problems:
        raise InvalidDebate(problems[:max_problems], len(problems))
    entries.sort(key=_start)  # stable: ties keep file order
    resolutions.sort(key=_start)
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
    )


class _Doc:
    """A validated document, with the tables as named tuples and defaults filled in."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.title: str = doc.get("title", "")
        self.headline: str = doc.get("headline", "")
        self.headline_given = "headline" in doc  # a missing one is reported as missing
        self.description: str | None = doc.get("description")
        self.sources_required: bool = doc.get("sources_required", False)
        self.scale: dict[str, Any] = doc.get("scale", {})
        self.participants = {k: v if isinstance(v, Participant) else Participant(**v)
                             for k, v in doc.get("participants", {}).items()}
        self.cruxes = {k: v if isinstance(v, Crux) else
                       Crux(v["question"], tuple(v.get("premises", ())),
                            v.get("premises_kind", "chain"))
                       for k, v in doc.get("cruxes", {}).items()}


def _salvage(raw: dict[str, Any], problems: list[Problem]
             ) -> tuple[dict[str, Any], dict[str, list[tuple[int, dict[str, Any]]]]]:
    """Validate a document part by part, so that every problem is found, not just its shape's."""

    def valid(part: str, value: Any, path: KeyPath) -> Any:
        try:
            return _VALIDATORS[part].validate_python(value)
        except ValidationError as exc:
            problems.extend(_from_pydantic(e, path) for e in exc.errors(include_url=False))
            return None

    doc = valid("top", {k: v for k, v in raw.items() if k not in PARTS}, ()) or {}
    placeholders = {"participants": lambda k: Participant(k), "cruxes": lambda k: Crux(k)}
    for part, placeholder in placeholders.items():
        value = raw.get(part, {})
        if not isinstance(value, dict):
            problems.append(Problem((part,), f"expected a table, not {_describe(value)}"))
            value = {}
        # an invalid table still defines its id, so references to it raise no second error
        doc[part] = {k: valid(part, v, (part, k)) or placeholder(k) for k, v in value.items()}
    logs = {}
    for log in LOGS:
        entries = raw.get(log, [])
        if not isinstance(entries, list):
            problems.append(Problem((log,), f"expected [[{log}]] tables, not "
                                    f"{_describe(entries)}"))
            entries = []
        logs[log] = [(i, entry) for i, raw_entry in enumerate(entries)
                     if (entry := valid(log, raw_entry, (log, i))) is not None]
    return doc, logs


_PYDANTIC_MESSAGES = {
    "string_type": "expected text (a quoted string)",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
    "list_type": "expected a list, e.g. [\"a\", \"b\"]",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "float_type": "expected a number",
}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def _from_pydantic(err: Any, prefix: KeyPath = ()) -> Problem:
    loc: KeyPath = prefix + tuple(p for p in err["loc"] if p not in ("str", "float", "int"))
    kind = err["type"]
    if kind == "missing":
        return Problem(loc, f"missing required key `{loc[-1]}`")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return Problem(loc, f"unknown key `{loc[-1]}`{did_you_mean(str(loc[-1]), allowed)}",
                       str(loc[-1]))
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return Problem(loc, f"{len(err['input']):,} characters, over the {limit:,} this field "
                            "may have (docs/format.md)")
    expected = _PYDANTIC_MESSAGES.get(kind, err["msg"])
    if kind.endswith("_type") and "union" not in kind:
        return Problem(loc, f"{expected}, not {_describe(err['input'])}", _text_of(err["input"]))
    return Problem(loc, expected, _text_of(err.get("input")))


def _text_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _allowed_keys(loc: KeyPath) -> tuple[str, ...]:
    return KEYS.get(str(loc[0]) if loc else "", ())


def _scale(doc: _Doc, problems: list[Problem]) -> Scale:
    for term, stated in doc.scale.items():
        try:
            check_scale_value(stated)
        except CredenceError as exc:
            problems.append(Problem(("scale", term), str(exc), str(stated)))
    return Scale({k: str(v) if isinstance(v, str) else repr(v) for k, v in doc.scale.items()})


def _check_ids(doc: _Doc, problems: list[Problem]) -> None:
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


def _check_cruxes(doc: _Doc, problems: list[Problem]) -> None:
    for ident, crux in doc.cruxes.items():
        if crux.premises_kind not in PREMISE_KINDS:
            problems.append(Problem(("cruxes", ident, "premises_kind"),
                                    f'premises_kind is "{crux.premises_kind}": give "chain" (the '
                                    'bottom line is their product) or "necessary" (necessary '
                                    "conditions: their product is only an upper bound)",
                                    crux.premises_kind))
        seen: set[str] = set()
        for premise in crux.premises:
            path = ("cruxes", ident, "premises")
            if premise == ident:
                problems.append(Problem(path, f'crux "{ident}" lists itself as a premise', premise))
            elif premise not in doc.cruxes:
                problems.append(Problem(path, f'unknown crux "{premise}" in premises'
                                              f"{did_you_mean(premise, doc.cruxes)}", premise))
            elif premise in seen:
                problems.append(Problem(path, f'premise "{premise}" is listed twice', premise))
            seen.add(premise)
    cycle, depth = _premise_graph(doc.cruxes)
    if cycle:
        problems.append(
            Problem(("cruxes", cycle[0], "premises"),
                    "premises form a cycle: " + " -> ".join(cycle), cycle[1])
        )
    elif depth and (deepest := max(depth, key=depth.__getitem__)) and \
            depth[deepest] > MAX_PREMISE_DEPTH:
        problems.append(Problem(("cruxes", deepest, "premises"),
                                f'premises nest {depth[deepest]} levels deep below "{deepest}"; '
                                f"a debate allows at most {MAX_PREMISE_DEPTH} (docs/format.md)",
                                deepest))


#: How deep premises may nest (a premise of a premise of ...). Real arguments use a few levels;
#: the limit keeps every report's walk of the tree shallow, whatever a file says.
MAX_PREMISE_DEPTH = 50


def _premise_graph(cruxes: Mapping[str, Crux]) -> tuple[list[str] | None, dict[str, int]]:
    """A cycle in the premise graph (self-loops are reported separately), if any; else each
    crux's depth (1 + the deepest of its premises). Iterative: any depth of file is safe."""
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    depth: dict[str, int] = {}

    def below(node: str) -> list[str]:
        return [p for p in cruxes[node].premises if p != node and p in cruxes]

    for start in cruxes:
        if start in state:
            continue
        state[start] = 1
        path, stack = [start], [iter(below(start))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                node = path.pop()
                stack.pop()
                state[node] = 2
                depth[node] = 1 + max((depth[p] for p in below(node)), default=0)
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt], {}
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(below(nxt)))
    return None, depth


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


def _resolutions(doc: _Doc, numbered: list[tuple[int, dict[str, Any]]],
                 problems: list[Problem]) -> list[Resolution]:
    out = []
    for i, r in numbered:
        ok, crux, outcome = True, r["crux"], r["outcome"]
        if crux not in doc.cruxes:
            ok = False
            problems.append(Problem(("resolution", i, "crux"), f'unknown crux "{crux}"'
                                    f"{did_you_mean(crux, doc.cruxes)}", crux))
        if outcome not in OUTCOMES:
            ok = False
            problems.append(Problem(("resolution", i, "outcome"), f'outcome "{outcome}": give '
                                    '"yes", "no" or "annulled"'
                                    f"{did_you_mean(outcome.lower(), OUTCOMES)}", outcome))
        try:
            when = parse_when(r["at"])
        except WhenError as exc:
            ok = False
            problems.append(Problem(("resolution", i, "at"), str(exc), _text_of(r["at"])))
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


def _retractions(numbered: list[tuple[int, dict[str, Any]]], entries: list[Entry],
                 resolutions: list[Resolution], problems: list[Problem]
                 ) -> tuple[list[Retraction], list[tuple[Any, Retraction]]]:
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
            problems.append(Problem(("retraction", i, "at"), str(exc), _text_of(r["at"])))
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


def _entries(doc: _Doc, numbered: list[tuple[int, dict[str, Any]]], scale: Scale,
             problems: list[Problem]) -> list[Entry]:
    entries: list[Entry] = []
    people, cruxes = doc.participants, doc.cruxes
    stated: dict[str, Credence] = {}  # the same stated text and date recur: parse each once
    dated: dict[Any, When] = {}
    plain = not doc.sources_required
    new, append = tuple.__new__, entries.append
    for i, e in numbered:
        if plain and "given" not in e and "about" not in e:  # the fast path: known ids, text
            # and date seen before
            try:
                who, crux = e["who"], e["crux"]
                if who in people and crux in cruxes:
                    append(new(Entry, (i, who, crux, stated[e["p"]], dated[e["at"]], None,
                                       e.get("source"), e.get("quote"), e.get("note"), None)))
                    continue
            except (KeyError, TypeError):  # not seen yet, or not hashable: check in full
                pass
        p, at = e["p"], e["at"]
        ok = True
        who, crux, stated_given = e["who"], e["crux"], e.get("given")
        if who not in people:
            ok = False
            problems.append(Problem(("credence", i, "who"), f'unknown participant "{who}"'
                                    f"{did_you_mean(who, people)}", who))
        if crux not in cruxes:
            ok = False
            problems.append(Problem(("credence", i, "crux"), f'unknown crux "{crux}"'
                                    f"{did_you_mean(crux, cruxes)}", crux))
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
            problems.append(Problem(("credence", i, "p"), str(exc), _text_of(p)))
        try:
            when = parse_when(at)
            if type(at) is not dict and type(at) is not list:
                dated[at] = when
        except WhenError as exc:
            ok = False
            problems.append(Problem(("credence", i, "at"), str(exc), _text_of(at)))
        if doc.sources_required and not _sourced(e, ("credence", i), problems):
            ok = False
        about = None
        if "about" in e:
            try:
                about = parse_when(e["about"])
            except WhenError as exc:
                ok = False
                problems.append(Problem(("credence", i, "about"), str(exc), _text_of(e["about"])))
            else:
                if ok and about.start > when.start:
                    ok = False
                    problems.append(Problem(("credence", i, "about"), f'a recollection is about '
                                            f'an earlier time: "{about}" is after `at` "{when}"',
                                            about.text))
        if ok:
            entries.append(Entry(i, who, crux, credence, when, given,
                                 e.get("source"), e.get("quote"), e.get("note"), about))
    return entries
