"""What a debate is once read: participants, cruxes, the logs' entries and the Debate that holds
them, as small named tuples, and the problems a file can have. Pure.

The file's shape is declared in `schema`; `checks` validates a parsed file and builds a Debate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from cruxcli.core.credence import Credence, Scale
from cruxcli.core.outcomes import (
    CREDENCE_KEYS,
    ID_KEYS,
    Resolution,
    Retraction,
    content_id,
    content_ids,
    written,
    written_columns,
    written_values,
)
from cruxcli.core.when import When

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
    resolves_by: When | None = None  # when it is expected to resolve (`cruxcli due`)

    @property
    def ceiling(self) -> bool:
        """Whether the product of the premises is only a ceiling on this crux (an upper
        bound), as for necessary conditions."""
        return self.premises_kind == "necessary"


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
    seal: str | None = None  # a sealed credence revealed: the [[seal]] it was committed by
    salt: str | None = None  # ... and the salt that opens it
    revealed: When | None = None  # ... and when it was revealed (before then, it was sealed)

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
        return written(self, CREDENCE_KEYS)

    @property
    def id(self) -> str:
        """Stable across clones and merges: derived from what the entry states (an absent
        `given` hashes as "", as it always has)."""
        values = written_values(self, CREDENCE_KEYS[:ID_KEYS])
        if values[_GIVEN] is None:
            values[_GIVEN] = ""
        if self.seal is not None:  # a reveal's keys, which only a revealed credence has
            values += [f"{k}={v}" for k, v in written(self, CREDENCE_KEYS[ID_KEYS:]).items()
                       if v is not None]
        return content_id("credence", *values)

    @staticmethod
    def ids(entries: Sequence[Entry]) -> list[str]:
        """Each entry's `id`, computed a key at a time (written_columns) for the 10^5 entries
        of an archive: 0.38 s instead of 0.70 s at 100,000."""
        absent = tuple("" if n == _GIVEN else "\x00" for n in range(ID_KEYS))  # as `id`
        out = content_ids(zip(repeat("credence"), *written_columns(
            entries, CREDENCE_KEYS[:ID_KEYS], absent)))
        for n, e in enumerate(entries):
            if e.seal is not None:  # a revealed credence hashes its reveal's keys too
                out[n] = e.id
        return out

    @property
    def series(self) -> tuple[str, str, Condition | None]:
        """Entries with the same series are successive statements of the same belief."""
        return (self.who, self.crux, self.given)


#: Entry.series and the value of an entry's credence, read at C speed (passes over 10^6).
SERIES = attrgetter("who", "crux", "given")
NUMBER = attrgetter("credence.value")


_GIVEN = CREDENCE_KEYS.index("given")


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
    pledges: tuple[Any, ...] = ()  # commitments.Pledge: updates pledged in advance
    seals: tuple[Any, ...] = ()  # commitments.Seal: credences committed, revealed later
    relations: tuple[Any, ...] = ()  # commitments.Relation: how cruxes must agree

    @property
    def entries_written(self) -> list[Entry]:
        """Every credence in file order, retracted ones included: a retraction takes an entry
        out of the figures, not out of the history."""
        return _written(self.entries, self.withdrawn, Entry)

    @property
    def taken_back(self) -> dict[int, list[Entry | Resolution]]:
        """What each retraction took back, by the retraction's position in its log."""
        out: dict[int, list[Entry | Resolution]] = {}
        for item, r in self.withdrawn:
            out.setdefault(r.position, []).append(item)
        return out

    @property
    def resolutions_written(self) -> list[Resolution]:
        """Every resolution in file order, retracted ones included."""
        return _written(self.resolutions, self.withdrawn, Resolution)

    def written(self, kind: type[Entry | Resolution]) -> int:
        """How many credences (Entry) or resolutions the file holds, retracted or not."""
        kept = self.entries if kind is Entry else self.resolutions
        return len(kept) + sum(isinstance(x, kind) for x, _ in self.withdrawn)

    def last_written(self, kind: type[_Logged]) -> _Logged:
        """The last credence (Entry) or resolution in the file, retracted or not: what a write
        just appended, found in one pass instead of sorting the whole log into file order."""
        kept: tuple[Any, ...] = self.entries if kind is Entry else self.resolutions
        if kept and kept[-1].position == self.written(kind) - 1:  # numbered from 0
            return kept[-1]  # type: ignore[no-any-return]  # written last, dated latest
        return max(_logged(kept, self.withdrawn, kind), key=_POSITION)


_Logged = TypeVar("_Logged", Entry, Resolution)
_POSITION = attrgetter("position")


def _logged(kept: tuple[Any, ...], withdrawn: tuple[tuple[Any, Retraction], ...],
            kind: type) -> list[Any]:
    return [*kept, *(x for x, _ in withdrawn if isinstance(x, kind))]


def _written(kept: tuple[Any, ...], withdrawn: tuple[tuple[Any, Retraction], ...],
             kind: type) -> list[Any]:
    return sorted(_logged(kept, withdrawn, kind), key=_POSITION)


def series_label(who: str, crux: str, given: Condition | None) -> str:
    """How reports name a participant's belief: "ryan · scheming | not neuralese"."""
    return f"{who} · {crux}" + (f" | {given}" if given else "")


def did_you_mean(word: str, choices: object, prefix: str = "") -> str:
    import difflib  # only a mistake needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)  # type: ignore[call-overload]
    return f' (did you mean "{prefix}{close[0]}"?)' if close else ""


def parse_condition(given: str) -> Condition:
    words = given.split()
    if len(words) == 2 and words[0] == "not":
        return Condition(words[1], holds=False)
    return Condition(given.strip())


def condition_hint(given: str, cruxes: object) -> str:
    """A did-you-mean for a condition that keeps its sign: "NOT clouds" -> "not clouds"."""
    first, _, rest = given.strip().partition(" ")
    if first.lower() == "not" and rest.strip():
        return did_you_mean(rest.strip(), cruxes, "not ")
    return did_you_mean(given, cruxes)


def seen_before(i: int, e: dict[str, Any], people: Mapping[str, str],
                cruxes: Mapping[str, str], stated: dict[str, Credence],
                dated: dict[Any, When]) -> Entry | None:
    """The common case of a big log, built without checking again: a plain entry whose ids
    are known and whose stated text and date were parsed for an earlier entry (None: check it
    in full). `people` and `cruxes` map each id to itself: every entry shares that one
    string (shared_ids). tuple.__new__ skips the named tuple's argument handling."""
    if not e.keys() <= _PLAIN:  # a condition, a recollection, a seal or a reveal: checked
        return None
    try:
        return _NEW(Entry, (i, people[e["who"]], cruxes[e["crux"]], stated[e["p"]],
                            dated[e["at"]], None, e.get("source"), e.get("quote"),
                            e.get("note"), None, None, None, None))
    except (KeyError, TypeError):  # not seen yet, or not hashable
        return None


def shared_ids(table: Mapping[str, Any]) -> dict[str, str]:
    """Each id of a table mapped to itself, for entries to hold the table's own string rather
    than the copy each line of the file parsed to: a pass over a log of 10^6 credences in time
    order then reads a few thousand strings, not two an entry scattered over a gigabyte
    (commitments.latest_held 1.47 s -> 0.80 s), and time grows with the log's length."""
    return {k: k for k in table}


_NEW = tuple.__new__
#: The keys of an entry that seen_before builds without checking: any other key is checked.
_PLAIN = frozenset({"who", "crux", "p", "at", "source", "quote", "note"})


#: What logs are sorted by: when it was stated (ties keep file order); read at C speed.
start_of = attrgetter("when.start")
