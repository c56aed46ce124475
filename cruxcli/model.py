"""A debate file's shape (pydantic v2) and its cross-checks, producing a validated Debate. Pure.

Problems are returned as data with a key path (e.g. ("credence", 17, "p")); the store maps
paths to lines. Every problem is collected, not just the first, like beancount's checker.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from cruxcli.credence import Credence, CredenceError, Scale, check_scale_value, parse
from cruxcli.when import When, WhenError, parse_when

FORMAT = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
Path = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Participant(_Strict):
    name: str
    group: str | None = None
    url: str | None = None


class Crux(_Strict):
    question: str
    premises: list[str] = []


class _EntryIn(_Strict):
    who: str
    crux: str
    p: Any  # parsed by the credence grammar, which gives better messages than a union type
    at: Any  # likewise, by when.parse_when
    given: str | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None


class _DebateIn(_Strict):
    format: int
    title: str
    headline: str
    description: str | None = None
    sources_required: bool = False
    scale: dict[str, str | float] = {}
    participants: dict[str, Participant] = {}
    cruxes: dict[str, Crux] = {}
    credence: list[_EntryIn] = []


ENTRY_KEYS = tuple(_EntryIn.model_fields)
_ADAPTER = TypeAdapter(_DebateIn)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a debate: where (a key path), what, and the offending text if any."""

    path: Path
    message: str
    text: str | None = None


class InvalidDebate(ValueError):
    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
        self.total = total if total is not None else len(problems)


@dataclass(frozen=True, slots=True)
class Condition:
    """`given = "c"` (holds) or `given = "not c"` (does not hold)."""

    crux: str
    holds: bool = True

    def __str__(self) -> str:
        return self.crux if self.holds else f"not {self.crux}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One stated credence from the log. `index` is its position in the file."""

    index: int
    who: str
    crux: str
    credence: Credence
    when: When
    given: Condition | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None

    @property
    def series(self) -> tuple[str, str, Condition | None]:
        """Entries with the same series are successive statements of the same belief."""
        return (self.who, self.crux, self.given)


@dataclass(frozen=True)
class Debate:
    title: str
    headline: str
    participants: Mapping[str, Participant]
    cruxes: Mapping[str, Crux]
    entries: tuple[Entry, ...]  # in time order; ties keep file order
    scale: Scale
    sources_required: bool = False
    description: str | None = None


def did_you_mean(word: str, choices: object) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)  # type: ignore[call-overload]
    return f' (did you mean "{close[0]}"?)' if close else ""


def parse_condition(given: str) -> Condition:
    words = given.split()
    if len(words) == 2 and words[0] == "not":
        return Condition(words[1], holds=False)
    return Condition(given.strip())


def build(raw: dict[str, Any], max_problems: int = 200) -> Debate:
    """Validate a parsed TOML document and build the Debate, or raise InvalidDebate."""
    fmt = raw.get("format")
    if fmt is None:
        raise InvalidDebate([Problem(("format",), "missing `format = 1` at the top of the file")])
    if type(fmt) is not int or fmt != FORMAT:
        raise InvalidDebate(
            [Problem(("format",), f"format {fmt!r} is not supported; this cruxcli reads format 1")]
        )
    problems: list[Problem] = []
    try:
        doc = _ADAPTER.validate_python(raw)
        numbered = list(enumerate(doc.credence))
    except ValidationError:
        doc, numbered = _salvage(raw, problems)
    scale = _scale(doc, problems)
    _check_ids(doc, problems)
    _check_cruxes(doc, problems)
    entries = _entries(doc, numbered, scale, problems)
    if problems:
        raise InvalidDebate(problems[:max_problems], len(problems))
    entries.sort(key=lambda e: (e.when.start, e.index))
    return Debate(
        title=doc.title,
        headline=doc.headline,
        participants=doc.participants,
        cruxes=doc.cruxes,
        entries=tuple(entries),
        scale=scale,
        sources_required=doc.sources_required,
        description=doc.description,
    )


def _salvage(raw: dict[str, Any], problems: list[Problem]
             ) -> tuple[_DebateIn, list[tuple[int, _EntryIn]]]:
    """Validate a document part by part, so that every problem is found, not just its shape's."""

    def valid(adapter: TypeAdapter[Any], value: Any, path: Path) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            problems.extend(_from_pydantic(e, path) for e in exc.errors(include_url=False))
            return None

    parts = ("participants", "cruxes", "credence")
    top = valid(TypeAdapter(_DebateIn), {k: v for k, v in raw.items() if k not in parts}, ())
    doc = _DebateIn.model_construct(**(top.model_dump() if top else {"headline": "",
                                                                     "title": ""}))
    tables = {}
    for part, model in (("participants", Participant), ("cruxes", Crux)):
        value = raw.get(part, {})
        if not isinstance(value, dict):
            valid(TypeAdapter(dict[str, model]), value, (part,))  # type: ignore[valid-type]
            value = {}
        # an invalid table still defines its id, so references to it raise no second error
        tables[part] = {k: valid(TypeAdapter(model), v, (part, k))
                        or model.model_construct(name=k, question=k) for k, v in value.items()}
    numbered: list[tuple[int, _EntryIn]] = []
    entries = raw.get("credence", [])
    if not isinstance(entries, list):
        valid(TypeAdapter(list[_EntryIn]), entries, ("credence",))
        entries = []
    for i, e in enumerate(entries):
        if (entry := valid(TypeAdapter(_EntryIn), e, ("credence", i))) is not None:
            numbered.append((i, entry))
    return doc.model_copy(update=tables), numbered


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


def _from_pydantic(err: Any, prefix: Path = ()) -> Problem:
    loc: Path = prefix + tuple(p for p in err["loc"] if p not in ("str", "float", "int"))
    kind = err["type"]
    if kind == "missing":
        return Problem(loc, f"missing required key `{loc[-1]}`")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return Problem(loc, f"unknown key `{loc[-1]}`{did_you_mean(str(loc[-1]), allowed)}",
                       str(loc[-1]))
    expected = _PYDANTIC_MESSAGES.get(kind, err["msg"])
    if kind.endswith("_type") and "union" not in kind:
        return Problem(loc, f"{expected}, not {_describe(err['input'])}", _text_of(err["input"]))
    return Problem(loc, expected, _text_of(err.get("input")))


def _text_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _allowed_keys(loc: Path) -> tuple[str, ...]:
    if not loc:
        return tuple(_DebateIn.model_fields)
    if loc[0] == "credence":
        return ENTRY_KEYS
    if loc[0] == "participants":
        return tuple(Participant.model_fields)
    if loc[0] == "cruxes":
        return tuple(Crux.model_fields)
    return ()


def _scale(doc: _DebateIn, problems: list[Problem]) -> Scale:
    for term, stated in doc.scale.items():
        try:
            check_scale_value(stated)
        except CredenceError as exc:
            problems.append(Problem(("scale", term), str(exc), str(stated)))
    return Scale({k: str(v) if isinstance(v, str) else repr(v) for k, v in doc.scale.items()})


def _check_ids(doc: _DebateIn, problems: list[Problem]) -> None:
    for kind, ids in (("participants", doc.participants), ("cruxes", doc.cruxes)):
        for ident in ids:
            if not SLUG.match(ident):
                problems.append(
                    Problem((kind, ident),
                            f'id "{ident}" must be a slug: lower-case letters, digits, - and _',
                            ident)
                )
    if doc.headline and doc.headline not in doc.cruxes:
        problems.append(
            Problem(("headline",),
                    f'headline "{doc.headline}" is not a crux'
                    f"{did_you_mean(doc.headline, doc.cruxes)}", doc.headline)
        )


def _check_cruxes(doc: _DebateIn, problems: list[Problem]) -> None:
    for ident, crux in doc.cruxes.items():
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
    if cycle := _premise_cycle(doc.cruxes):
        problems.append(
            Problem(("cruxes", cycle[0], "premises"),
                    "premises form a cycle: " + " -> ".join(cycle), cycle[1])
        )


def _premise_cycle(cruxes: Mapping[str, Crux]) -> list[str] | None:
    """A cycle in the premise graph (excluding self-loops, reported separately), if any."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node: str, stack: list[str]) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in cruxes[node].premises:
            if nxt == node or nxt not in cruxes:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt, stack)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in cruxes:
        if start not in state and (found := visit(start, [])):
            return found
    return None


def _entries(doc: _DebateIn, numbered: list[tuple[int, _EntryIn]], scale: Scale,
             problems: list[Problem]) -> list[Entry]:
    entries: list[Entry] = []
    people, cruxes = doc.participants, doc.cruxes
    for i, e in numbered:
        ok = True
        if e.who not in people:
            ok = False
            problems.append(Problem(("credence", i, "who"), f'unknown participant "{e.who}"'
                                    f"{did_you_mean(e.who, people)}", e.who))
        if e.crux not in cruxes:
            ok = False
            problems.append(Problem(("credence", i, "crux"), f'unknown crux "{e.crux}"'
                                    f"{did_you_mean(e.crux, cruxes)}", e.crux))
        given = None
        if e.given is not None:
            given = parse_condition(e.given)
            if given.crux not in cruxes:
                ok = False
                problems.append(Problem(("credence", i, "given"),
                                        f'`given` names unknown crux "{given.crux}"'
                                        f"{did_you_mean(given.crux, cruxes)}", e.given))
            elif given.crux == e.crux:
                ok = False
                problems.append(Problem(("credence", i, "given"),
                                        f'a credence on "{e.crux}" cannot be given itself',
                                        e.given))
        try:
            credence = parse(e.p, scale)
        except CredenceError as exc:
            ok = False
            problems.append(Problem(("credence", i, "p"), str(exc), _text_of(e.p)))
        try:
            when = parse_when(e.at)
        except WhenError as exc:
            ok = False
            problems.append(Problem(("credence", i, "at"), str(exc), _text_of(e.at)))
        if doc.sources_required:
            if missing := [k for k in ("source", "quote") if not (getattr(e, k) or "").strip()]:
                ok = False
                problems.append(Problem(("credence", i), "this debate has sources_required = "
                                        f"true, and this credence has no {' and no '.join(missing)}"))
        if ok:
            entries.append(Entry(i, e.who, e.crux, credence, when, given,
                                 e.source, e.quote, e.note))
    return entries
