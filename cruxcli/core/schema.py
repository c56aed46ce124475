"""A debate file's shape, declared once as a pydantic v2 core schema (pydantic-core, the engine
under pydantic's models): building it costs 0.2 ms, where pydantic's class API spends ~100 ms
generating schemas at every start of the CLI. A document that does not fit is validated part by
part, so that every problem is found, each with its key path. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic_core import SchemaValidator, ValidationError

from cruxcli.core.commitments import PLEDGE_KEYS, RELATION_KEYS, SEAL_KEYS
from cruxcli.core.model import Crux, KeyPath, Participant, Problem, did_you_mean
from cruxcli.core.outcomes import CREDENCE_KEYS, RESOLUTION_KEYS, RETRACTION_KEYS


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
               "premises_kind": _TEXT, "resolves_by": _ANY}, ("question",))


# `p` and `at` are read by the credence grammar and when.parse_when, whose messages are better
# than a union type's (and are held to MAX_SHORT before they are read).
ENTRY = _table({"who": _TEXT, "crux": _TEXT, "p": _ANY, "at": _ANY, "given": _TEXT,
                "source": _PROSE, "quote": _PROSE, "note": _PROSE, "about": _ANY,
                "seal": _TEXT, "salt": _TEXT, "revealed": _ANY},
               ("who", "crux", "p", "at"))


RESOLUTION = _table({"crux": _TEXT, "outcome": _TEXT, "at": _ANY, "source": _PROSE,
                     "quote": _PROSE, "note": _PROSE}, ("crux", "outcome", "at"))


RETRACTION = _table({"id": _TEXT, "why": _PROSE, "at": _ANY}, ("id", "why", "at"))


SEAL = _table({"who": _TEXT, "crux": _TEXT, "given": _TEXT, "at": _ANY, "digest": _TEXT},
               ("who", "crux", "at", "digest"))


PLEDGE = _table({"who": _TEXT, "crux": _TEXT, "if": _TEXT, "p": _ANY, "at": _ANY,
                 "note": _PROSE}, ("who", "crux", "if", "p", "at"))


RELATION = _table({"kind": _TEXT, "cruxes": _strict("list", items_schema=_TEXT),
                   "note": _PROSE}, ("kind", "cruxes"))


TOP = {"format": _strict("int"), "title": _TEXT, "headline": _TEXT, "description": _PROSE,
       "sources_required": _strict("bool"),
       "scale": _strict("dict", keys_schema=_TEXT, values_schema={
           "type": "union", "choices": [_TEXT, _strict("float"), _strict("int")]})}


PARTS = {"participants": _strict("dict", keys_schema=_TEXT, values_schema=PARTICIPANT),
         "cruxes": _strict("dict", keys_schema=_TEXT, values_schema=CRUX),
         "credence": _strict("list", items_schema=ENTRY),
         "resolution": _strict("list", items_schema=RESOLUTION),
         "retraction": _strict("list", items_schema=RETRACTION),
         "seal": _strict("list", items_schema=SEAL),
         "pledge": _strict("list", items_schema=PLEDGE),
         "relation": _strict("list", items_schema=RELATION)}


KEYS = {"": (*TOP, *PARTS), "participants": ("name", "group", "url", "aggregate"),
        "cruxes": ("question", "premises", "premises_kind", "resolves_by"),
        "credence": CREDENCE_KEYS,
        "resolution": RESOLUTION_KEYS, "retraction": RETRACTION_KEYS,
        "seal": SEAL_KEYS, "pledge": PLEDGE_KEYS, "relation": RELATION_KEYS}




_REQUIRED_TOP = ("format", "title", "headline")


#: All but the credence log, which is validated a piece at a time (`_credences`).
_REST = SchemaValidator(_table({**TOP, **{k: v for k, v in PARTS.items() if k != "credence"}},
                               _REQUIRED_TOP))
_CREDENCES = SchemaValidator(PARTS["credence"])


_VALIDATORS = {"top": SchemaValidator(_table(TOP, _REQUIRED_TOP)),
               "participants": SchemaValidator(PARTICIPANT), "cruxes": SchemaValidator(CRUX),
               "credence": SchemaValidator(ENTRY), "resolution": SchemaValidator(RESOLUTION),
               "retraction": SchemaValidator(RETRACTION), "pledge": SchemaValidator(PLEDGE),
               "seal": SchemaValidator(SEAL),
               "relation": SchemaValidator(RELATION)}


LOGS = ("credence", "resolution", "retraction", "seal", "pledge", "relation")  # append-only


#: A log's entries, each numbered by its place in the file (read once, in order).
Numbered = Iterable[tuple[int, dict[str, Any]]]


def validated(raw: dict[str, Any], problems: list[Problem]
              ) -> tuple[dict[str, Any], dict[str, Numbered]]:
    """The document's tables (typed, with defaults) and each log's entries numbered by their
    place in the file (as they are read: no pair is built for 10^6 credences at once); what
    does not fit the schema is left out and added to `problems`. The credence log is
    validated as it is read, and its raw tables are let go as they are (see _credences)."""
    credences = raw.get("credence", [])
    if type(credences) is not list:
        return _salvage(raw, problems)
    try:
        doc = _REST.validate_python({k: v for k, v in raw.items() if k != "credence"})
    except ValidationError:
        return _salvage(raw, problems)
    logs: dict[str, Numbered] = {log: enumerate(doc.get(log, [])) for log in LOGS}
    logs["credence"] = _credences(credences, problems)
    return doc, logs


#: Credences validated at a time: a whole log validated at once is a second copy of its
#: tables beside the parsed ones (183 MB more at 10^6 credences).
PIECE = 2**12


def _credences(log: list[Any], problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    """A credence log's entries, validated and numbered a piece at a time. Each piece's raw
    tables are taken out of `log` (None in their place) once validated, so that what is built
    from them reuses their memory: reading the growth benchmark's debate of 10^6 credences
    (reading.parse_text) peaks at 798 MB, not 1,169 MB, in the same time. An entry that does
    not fit is left out, its problems added to `problems`."""
    for start in range(0, len(log), PIECE):
        piece = log[start:start + PIECE]
        log[start:start + len(piece)] = [None] * len(piece)
        try:
            valid = _CREDENCES.validate_python(piece)
        except ValidationError:
            valid = [_valid("credence", entry, ("credence", i), problems)
                     for i, entry in enumerate(piece, start)]
        del piece
        for i, entry in enumerate(valid, start):
            if entry is not None:
                yield i, entry


def _valid(part: str, value: Any, path: KeyPath, problems: list[Problem]) -> Any:
    """`value` validated as a `part`, or None with its problems added to `problems`."""
    try:
        return _VALIDATORS[part].validate_python(value)
    except ValidationError as exc:
        problems.extend(_from_pydantic(e, path) for e in exc.errors(include_url=False))
        return None


def _salvage(raw: dict[str, Any], problems: list[Problem]
             ) -> tuple[dict[str, Any], dict[str, Numbered]]:
    """Validate a document part by part, so that every problem is found, not just its shape's."""
    doc = _valid("top", {k: v for k, v in raw.items() if k not in PARTS}, (), problems) or {}
    placeholders = {"participants": lambda k: Participant(k), "cruxes": lambda k: Crux(k)}
    for part, placeholder in placeholders.items():
        value = raw.get(part, {})
        if not isinstance(value, dict):
            problems.append(Problem((part,), f"expected a table, not {_describe(value)}"))
            value = {}
        # an invalid table still defines its id, so references to it raise no second error
        doc[part] = {k: _valid(part, v, (part, k), problems) or placeholder(k)
                     for k, v in value.items()}
    logs: dict[str, Numbered] = {}
    for log in LOGS:
        entries = raw.get(log, [])
        if not isinstance(entries, list):
            problems.append(Problem((log,), f"expected [[{log}]] tables, not "
                                    f"{_describe(entries)}"))
            entries = []
        logs[log] = [(i, entry) for i, raw_entry in enumerate(entries)
                     if (entry := _valid(log, raw_entry, (log, i), problems)) is not None]
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
        return Problem(loc, f"{expected}, not {_describe(err['input'])}", text_of(err["input"]))
    return Problem(loc, expected, text_of(err.get("input")))


def text_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _allowed_keys(loc: KeyPath) -> tuple[str, ...]:
    return KEYS.get(str(loc[0]) if loc else "", ())


class Document:
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
        self.resolves_by = {k: v["resolves_by"] for k, v in doc.get("cruxes", {}).items()
                            if isinstance(v, dict) and "resolves_by" in v}  # read by checks
