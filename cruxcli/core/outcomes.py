"""Resolutions and retractions: the two append-only logs beside the credences. Pure.

A `[[resolution]]` says a crux turned out yes, no or annulled at a time; a later one of the
same crux supersedes an earlier one (a correction), and both stay in the file. A
`[[retraction]]` names an entry by its id and takes it out of every figure without editing
history. Ids are derived from content, so they are the same on every clone and after any merge.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from itertools import compress
from typing import Any, NamedTuple

from cruxcli.core.when import When

OUTCOMES = ("yes", "no", "annulled")

#: The keys of each log's tables, in the order an entry's id hashes them, and the field of the
#: entry's tuple each is read into where the names differ. This is the one definition of what
#: an entry states: its id, the diff (`--strict`), the textconv facts and the exports all
#: derive from `written`, so a key added to the format is covered everywhere at once.
CREDENCE_KEYS = ("who", "crux", "given", "p", "at", "source", "quote", "note", "about", "seal",
                 "salt", "revealed")
#: The keys an id has always hashed; a later key enters an id only where it is given, so that
#: adding keys to the format never changes an existing entry's id.
ID_KEYS = 9
RESOLUTION_KEYS = ("crux", "outcome", "at", "source", "quote", "note")
RETRACTION_KEYS = ("id", "why", "at")
FIELD_OF = {"p": "credence", "at": "when", "id": "target"}


def written(item: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """What a log entry states, key by key, as written in the file (None where absent)."""
    return dict(zip(keys, written_values(item, keys), strict=True))


def written_values(item: Any, keys: tuple[str, ...]) -> list[Any]:
    """`written`'s values alone, in the order of `keys` (ids hash 10^5 of them at once)."""
    return [as_written(v) for v in _getter(keys)(item)]


def as_written(value: Any) -> Any:
    """A field's value as the file writes it: text, a flag, or the text it was parsed from."""
    return value if value is None or type(value) is str or type(value) is bool else \
        getattr(value, "text", None) or str(value)


def written_columns(items: Any, keys: tuple[str, ...], absent: tuple[Any, ...] | None = None
                    ) -> list[list[Any]]:
    """`written_values` of many entries, a key at a time, each column converted at C speed
    where its values allow (all text; all parsed from a text); a key's absent value is
    `absent`'s for that key, if given, instead of None."""
    out = []
    for n, column in enumerate(zip(*map(_getter(keys), items), strict=True)):
        none = None if absent is None else absent[n]
        kinds = set(map(type, column))
        parsed = type(None) not in kinds and all(hasattr(k, "text") for k in kinds)
        texts = list(map(_TEXT, column)) if parsed else []  # what each was parsed from
        if kinds <= {str, type(None)}:
            values = list(column) if type(None) not in kinds else \
                [none if v is None else v for v in column]
        elif parsed and all(texts):  # as as_written gives them
            values = texts
        else:
            values = [none if v is None else as_written(v) for v in column]
        out.append(values)
    return out or [[] for _ in keys]


_TEXT = operator.attrgetter("text")


@functools.cache
def _getter(keys: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields that hold `keys`, read at once (reports take the ids of 10^5 entries)."""
    fields = [FIELD_OF.get(k, k) for k in keys]
    get = operator.attrgetter(*fields)
    return get if len(fields) > 1 else lambda item: (get(item),)


class Resolution(NamedTuple):
    position: int  # position in the file's [[resolution]] log
    crux: str
    outcome: str  # "yes", "no" or "annulled"
    when: When  # when the outcome became known
    source: str | None = None
    quote: str | None = None
    note: str | None = None

    @property
    def stated(self) -> dict[str, Any]:
        return written(self, RESOLUTION_KEYS)

    @property
    def id(self) -> str:
        return content_id("resolution", *self.stated.values())

    @property
    def label(self) -> str:
        return f"resolution of {self.crux}"

    @property
    def value(self) -> float | None:
        """1 for yes, 0 for no, None for annulled (nothing to score against)."""
        return {"yes": 1.0, "no": 0.0}.get(self.outcome)


class Retraction(NamedTuple):
    position: int
    target: str  # the id of the credence or resolution taken back
    why: str
    when: When

    @property
    def stated(self) -> dict[str, Any]:
        return written(self, RETRACTION_KEYS)


def content_id(*fields: Any) -> str:
    """A short stable id of an entry's stated content: equal content, equal id."""
    import hashlib  # only ids need it: 3 ms of a report's start

    text = "\x1f".join(["\x00" if f is None else str(f) for f in fields])  # unit separators
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def content_ids(rows: Any) -> list[str]:
    """content_id of each row of text fields (None already written as "\x00")."""
    import hashlib

    sha = hashlib.sha256
    return [sha("\x1f".join(row).encode("utf-8", "surrogatepass")).hexdigest()[:10]
            for row in rows]


def latest_resolutions(resolutions: tuple[Resolution, ...], until: dt.datetime | None = None
                       ) -> dict[str, Resolution]:
    """Each crux's standing resolution: the latest (by time, then file order), of those known
    by `until` if given (an as-of date's end)."""
    out: dict[str, Resolution] = {}
    for r in resolutions:  # in time order
        if until is None or r.when.start <= until:
            out[r.crux] = r
    return out


def after_resolution(entries: Any, resolutions: tuple[Resolution, ...]) -> list[tuple[Any,
                                                                                   Resolution]]:
    """Credences stated after their crux was resolved (the crux's standing resolution): the
    question was settled, so they are not forecasts of it."""
    settled = latest_resolutions(resolutions)
    if not settled:
        return []
    ends = {crux: r.when.end for crux, r in settled.items()}  # When.end computes: once a crux
    on_settled = compress(entries, map(ends.__contains__, map(_CRUX, entries)))  # C speed
    return [(e, settled[e.crux]) for e in on_settled if e.when.start > ends[e.crux]]


_CRUX = operator.attrgetter("crux")
